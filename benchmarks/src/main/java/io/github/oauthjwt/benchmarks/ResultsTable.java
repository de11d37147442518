package io.github.oauthjwt.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.nimbusds.jose.util.JSONArrayUtils;

/**
 * Turns the JSON results of a {@link VerifyBenchmark} run ({@code -rf json}) into the Markdown
 * tables of RESULTS.md: throughput and allocation per benchmark and algorithm, then the ratios the
 * targets are stated in, each taken within the one run.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar io.github.oauthjwt.benchmarks.ResultsTable jmh-result.json}</pre>
 */
public final class ResultsTable {

    private static final List<String> ALGORITHMS = List.of("RS256", "PS256", "ES256", "EdDSA");
    private static final List<String> METHODS = List.of("rawSignature", "rawSignatureBouncyCastle", "nimbusProcessor",
            "springSecurityDecoder", "webFilter", "webFilterTwoThreads", "webFilterRepeatedToken");

    /** One benchmark's throughput (ops/s, with its 99.9% error) and allocation (bytes per operation). */
    private record Score(double opsPerSecond, double error, double bytesPerOp) {
    }

    private ResultsTable() {
    }

    /**
     * Prints the tables for the JSON file named by the only argument.
     *
     * @param args the path of a JMH JSON result file
     * @throws IOException if the file cannot be read
     * @throws ParseException if it is not JMH's JSON
     */
    public static void main(String[] args) throws IOException, ParseException {
        if (args.length != 1) {
            System.err.println("usage: ResultsTable <jmh-result.json>");
            System.exit(2);
        }
        Map<String, Score> scores = read(Path.of(args[0]));
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | alg | ops/s | ± (99.9%) | B/op |\n|---|---|---:|---:|---:|\n");
        for (String method : METHODS) {
            for (String alg : ALGORITHMS) {
                Score score = scores.get(method + "/" + alg);
                if (score != null) {
                    out.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %,.0f |%n", method, alg,
                            score.opsPerSecond(), score.error(), score.bytesPerOp()));
                }
            }
        }
        out.append("\n| alg | webFilter / rawSignature | webFilter / rawSignatureBouncyCastle"
                + " | webFilter / springSecurityDecoder | webFilterRepeatedToken / rawSignature"
                + " | webFilterTwoThreads / webFilter | B/op webFilter / springSecurityDecoder |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (String alg : ALGORITHMS) {
            out.append("| ").append(alg)
                    .append(" | ").append(ratio(scores, "webFilter", "rawSignature", alg, false))
                    .append(" | ").append(ratio(scores, "webFilter", "rawSignatureBouncyCastle", alg, false))
                    .append(" | ").append(ratio(scores, "webFilter", "springSecurityDecoder", alg, false))
                    .append(" | ").append(ratio(scores, "webFilterRepeatedToken", "rawSignature", alg, false))
                    .append(" | ").append(ratio(scores, "webFilterTwoThreads", "webFilter", alg, false))
                    .append(" | ").append(ratio(scores, "webFilter", "springSecurityDecoder", alg, true))
                    .append(" |\n");
        }
        Score eddsa = scores.get("webFilter/EdDSA");
        Score springEs256 = scores.get("springSecurityDecoder/ES256");
        if (eddsa != null && springEs256 != null) {
            out.append(String.format(Locale.ROOT, "%nwebFilter EdDSA / springSecurityDecoder ES256: %.2f%n",
                    eddsa.opsPerSecond() / springEs256.opsPerSecond()));
        }
        System.out.print(out);
    }

    private static String ratio(Map<String, Score> scores, String numerator, String denominator, String alg,
            boolean allocation) {
        Score top = scores.get(numerator + "/" + alg);
        Score bottom = scores.get(denominator + "/" + alg);
        if (top == null || bottom == null) {
            return "–";
        }
        double ratio = allocation ? top.bytesPerOp() / bottom.bytesPerOp() : top.opsPerSecond() / bottom.opsPerSecond();
        return String.format(Locale.ROOT, "%.2f", ratio);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Score> read(Path file) throws IOException, ParseException {
        Map<String, Score> scores = new LinkedHashMap<>();
        for (Object element : JSONArrayUtils.parse(Files.readString(file))) {
            Map<String, Object> result = (Map<String, Object>) element;
            String benchmark = (String) result.get("benchmark");
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String alg = (String) ((Map<String, Object>) result.get("params")).get("alg");
            Map<String, Object> primary = (Map<String, Object>) result.get("primaryMetric");
            Map<String, Object> secondary = (Map<String, Object>) result.get("secondaryMetrics");
            Map<String, Object> allocation = secondary != null
                    ? (Map<String, Object>) secondary.get("gc.alloc.rate.norm") : null;
            scores.put(method + "/" + alg, new Score(number(primary.get("score")), number(primary.get("scoreError")),
                    allocation != null ? number(allocation.get("score")) : Double.NaN));
        }
        return scores;
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN; // JMH writes "NaN" for a single fork's error
    }
}
