package io.github.oauthjwt.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import com.nimbusds.jose.util.JSONArrayUtils;

/**
 * Turns the JSON results of several rounds of {@link ClaimsParserBenchmark} with
 * {@code VerifyBenchmark.rawSignature} and {@code webFilter} (RS256), one file per round, into the
 * Markdown tables of RESULTS.md: each round's figures and the parsers' saving as a share of that
 * round's {@code webFilter} operation, then the medians over the rounds. A round may hold only some
 * of the claims sets. Throughput and average time results are both read, as nanoseconds per
 * operation.
 *
 * <p>A benchmark's time in a round is the median of its measurement iterations over all forks, not
 * JMH's mean: on a shared machine an iteration in which the process was descheduled can take a
 * hundred times the others (63,859 ns against about 600 for one parser iteration in one round), and
 * one such iteration moves the mean more than the difference being measured. Bytes per operation
 * are JMH's figure ({@code gc.alloc.rate.norm}), which the machine's load does not change.
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar io.github.oauthjwt.benchmarks.ClaimsParserResults claims-round*.json}</pre>
 */
public final class ClaimsParserResults {

    private static final List<String> CLAIMS = List.of("rfc9068", "auth0", "keycloak");
    private static final List<String> PARSERS = List.of("jsonObjectParser", "nimbus", "nimbusAfterDepthScan");

    /** One benchmark's time (median iteration), its fastest iteration's time, and allocation per operation. */
    private record Score(double nanosPerOp, double fastestNanosPerOp, double bytesPerOp) {
    }

    /** One round: its file, which part ran first, and its scores by {@code method/param}. */
    private record Round(String file, String firstPart, Map<String, Score> scores) {

        double nanos(String key) {
            return score(key).nanosPerOp();
        }

        boolean has(String key) {
            return scores.containsKey(key);
        }

        Score score(String key) {
            Score score = scores.get(key);
            if (score == null) {
                throw new IllegalArgumentException(file + " has no result for " + key);
            }
            return score;
        }

        /** (nimbus-like parser − JsonObjectParser) / webFilter RS256, in percent; NaN if this round lacks the claims set. */
        double savingPercent(String parser, String claims) {
            if (!has(parser + "/" + claims)) {
                return Double.NaN;
            }
            return 100 * (nanos(parser + "/" + claims) - nanos("jsonObjectParser/" + claims)) / nanos("webFilter/RS256");
        }

        /** The value of {@code key}, or NaN if this round lacks it. */
        double nanosOrNaN(String key) {
            return has(key) ? nanos(key) : Double.NaN;
        }

        double bytesOrNaN(String key) {
            return has(key) ? score(key).bytesPerOp() : Double.NaN;
        }
    }

    private ClaimsParserResults() {
    }

    /**
     * Prints the tables for the JSON files named by the arguments, one per round.
     *
     * @param args the paths of JMH JSON result files
     * @throws IOException if a file cannot be read
     * @throws ParseException if one is not JMH's JSON
     */
    public static void main(String[] args) throws IOException, ParseException {
        if (args.length == 0) {
            System.err.println("usage: ClaimsParserResults <round1.json> [<round2.json> ...]");
            System.exit(2);
        }
        List<Round> rounds = new ArrayList<>();
        for (String file : args) {
            rounds.add(read(Path.of(file)));
        }
        StringBuilder out = new StringBuilder();

        out.append("Medians over the rounds that hold each row, nanoseconds (median iteration) and bytes per operation:\n\n")
                .append("| claims set | bytes | JsonObjectParser ns | B | nimbus ns | B | depth scan + nimbus ns | B"
                        + " | nimbus / JsonObjectParser (time) |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String claims : CLAIMS) {
            out.append(String.format(Locale.ROOT, "| %s (%d rounds) | %,d", claims,
                    rounds.stream().filter(round -> round.has("jsonObjectParser/" + claims)).count(),
                    ClaimsParserBenchmark.pool(claims)[0].getBytes(StandardCharsets.UTF_8).length));
            for (String parser : PARSERS) {
                String key = parser + "/" + claims;
                out.append(String.format(Locale.ROOT, " | %,.0f | %,.0f",
                        median(rounds, round -> round.nanosOrNaN(key)), median(rounds, round -> round.bytesOrNaN(key))));
            }
            out.append(String.format(Locale.ROOT, " | %.2f |%n",
                    median(rounds, round -> round.nanosOrNaN("nimbus/" + claims) / round.nanosOrNaN("jsonObjectParser/" + claims))));
        }
        out.append(String.format(Locale.ROOT, "| webFilter RS256 | | %,.0f | %,.0f | | | | | |%n",
                median(rounds, round -> round.nanos("webFilter/RS256")),
                median(rounds, round -> round.score("webFilter/RS256").bytesPerOp())));
        out.append(String.format(Locale.ROOT, "| rawSignature RS256 | | %,.0f | %,.0f | | | | | |%n",
                median(rounds, round -> round.nanos("rawSignature/RS256")),
                median(rounds, round -> round.score("rawSignature/RS256").bytesPerOp())));

        out.append("\nSaving of JsonObjectParser as a share of one webFilter RS256 operation, each round against"
                + " its own webFilter figure:\n\n| round | first | webFilter ns | rawSignature ns"
                + " | webFilter / rawSignature (throughput)");
        for (String claims : CLAIMS) {
            out.append(" | ").append(claims).append(": nimbus | ").append(claims).append(": scan + nimbus");
        }
        out.append(" |\n|---|---|---:|---:|---:").append("|---:|---:".repeat(CLAIMS.size())).append("|\n");
        for (int i = 0; i < rounds.size(); i++) {
            Round round = rounds.get(i);
            out.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %.2f", i + 1, round.firstPart(),
                    round.nanos("webFilter/RS256"), round.nanos("rawSignature/RS256"), throughputRatio(round)));
            for (String claims : CLAIMS) {
                out.append(" | ").append(percent(round.savingPercent("nimbus", claims)))
                        .append(" | ").append(percent(round.savingPercent("nimbusAfterDepthScan", claims)));
            }
            out.append(" |\n");
        }
        out.append(String.format(Locale.ROOT, "| median | | %,.0f | %,.0f | %.2f",
                median(rounds, round -> round.nanos("webFilter/RS256")),
                median(rounds, round -> round.nanos("rawSignature/RS256")),
                median(rounds, ClaimsParserResults::throughputRatio)));
        for (String claims : CLAIMS) {
            out.append(String.format(Locale.ROOT, " | **%.1f%%** | **%.1f%%**",
                    median(rounds, round -> round.savingPercent("nimbus", claims)),
                    median(rounds, round -> round.savingPercent("nimbusAfterDepthScan", claims))));
        }
        out.append(" |\n");

        // Load only ever adds time: the fastest webFilter iteration of all rounds is the smallest
        // denominator the runs support, so the share it gives is an upper bound the noise cannot hide.
        double fastestWebFilter = rounds.stream()
                .mapToDouble(round -> round.score("webFilter/RS256").fastestNanosPerOp()).min().orElseThrow();
        out.append(String.format(Locale.ROOT, "%nUpper bound: the median saving per round against the fastest webFilter"
                + " RS256 iteration of all rounds, %,.0f ns:%n%n| claims set | nimbus − JsonObjectParser ns | share"
                + " | scan + nimbus − JsonObjectParser ns | share |%n|---|---:|---:|---:|---:|%n", fastestWebFilter));
        for (String claims : CLAIMS) {
            double nimbus = median(rounds, round -> round.nanosOrNaN("nimbus/" + claims)
                    - round.nanosOrNaN("jsonObjectParser/" + claims));
            double scan = median(rounds, round -> round.nanosOrNaN("nimbusAfterDepthScan/" + claims)
                    - round.nanosOrNaN("jsonObjectParser/" + claims));
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %,.0f | %s |%n", claims, nimbus,
                    percent(100 * nimbus / fastestWebFilter), scan, percent(100 * scan / fastestWebFilter)));
        }
        System.out.print(out);
    }

    /** webFilter's throughput over rawSignature's, as RESULTS.md states it. */
    private static double throughputRatio(Round round) {
        return round.nanos("rawSignature/RS256") / round.nanos("webFilter/RS256");
    }

    private static String percent(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f%%", value);
    }

    /** The median of the values that are not NaN (rounds lacking the row), or NaN if there are none. */
    private static double median(List<Round> rounds, ToDoubleFunction<Round> value) {
        return median(rounds.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).toArray());
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    @SuppressWarnings("unchecked")
    private static Round read(Path file) throws IOException, ParseException {
        Map<String, Score> scores = new HashMap<>();
        String firstPart = null;
        for (Object element : JSONArrayUtils.parse(Files.readString(file))) {
            Map<String, Object> result = (Map<String, Object>) element;
            String benchmark = (String) result.get("benchmark");
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            if (firstPart == null) {
                firstPart = benchmark.contains("ClaimsParserBenchmark") ? "parsers" : "webFilter";
            }
            Map<String, Object> params = (Map<String, Object>) result.get("params");
            String param = (String) (params.containsKey("claims") ? params.get("claims") : params.get("alg"));
            Map<String, Object> primary = (Map<String, Object>) result.get("primaryMetric");
            Map<String, Object> secondary = (Map<String, Object>) result.get("secondaryMetrics");
            Map<String, Object> allocation = secondary != null
                    ? (Map<String, Object>) secondary.get("gc.alloc.rate.norm") : null;
            String unit = (String) primary.get("scoreUnit");
            double[] iterations = ((List<Object>) primary.get("rawData")).stream()
                    .flatMap(fork -> ((List<Object>) fork).stream())
                    .mapToDouble(iteration -> nanosPerOp(((Number) iteration).doubleValue(), unit))
                    .toArray();
            scores.put(method + "/" + param, new Score(median(iterations), Arrays.stream(iterations).min().orElseThrow(),
                    allocation != null ? ((Number) allocation.get("score")).doubleValue() : Double.NaN));
        }
        return new Round(file.getFileName().toString(), firstPart, scores);
    }

    /** A JMH score in {@code ops/s}, {@code ops/ms}, {@code ns/op}, {@code us/op}, ... as nanoseconds per operation. */
    private static double nanosPerOp(double score, String unit) {
        String[] parts = unit.split("/");
        double nanos = switch (parts[0].equals("ops") ? parts[1] : parts[0]) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            default -> throw new IllegalArgumentException("unknown time unit in " + unit);
        };
        return parts[0].equals("ops") ? nanos / score : score * nanos;
    }
}
