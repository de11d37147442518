package io.github.oauthjwt.webflux.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * Reads Project Wycheproof test vector files from {@code ../shared/testdata/wycheproof} beside the
 * project's root, where this setup and CI lay them (never copied into the project). Where the
 * folder is absent, as in a clone outside this setup, {@link #dynamicTests} yields one test that is
 * skipped with a message saying so, rather than passing or failing. The system property
 * {@code wycheproof.dir} points elsewhere.
 */
public final class Wycheproof {

    /** One test vector with the group it belongs to (the group holds the key). */
    public record Vector(Map<String, Object> group, Map<String, Object> test) {

        public int tcId() {
            return ((Number) test.get("tcId")).intValue();
        }

        /** {@code valid}, {@code invalid} or {@code acceptable}. */
        public String result() {
            return (String) test.get("result");
        }

        public String comment() {
            return String.valueOf(test.get("comment"));
        }

        @SuppressWarnings("unchecked")
        public List<String> flags() {
            Object flags = test.get("flags");
            return flags instanceof List<?> list ? (List<String>) list : List.of();
        }

        public String string(String member) {
            return (String) test.get(member);
        }

        /** A hex member of the test ({@code msg}, {@code sig}) as bytes. */
        public byte[] hex(String member) {
            return HexFormat.of().parseHex((String) test.get(member));
        }

        /** What a test report shows: id, expected result, comment and flags. */
        public String describe() {
            return "tcId " + tcId() + " (" + result() + ") " + comment() + (flags().isEmpty() ? "" : " " + flags());
        }
    }

    private Wycheproof() {
    }

    /** The folder of vector files, or {@code null} when it cannot be found. */
    public static Path directory() {
        String configured = System.getProperty("wycheproof.dir");
        if (configured != null) {
            Path path = Path.of(configured);
            return Files.isDirectory(path) ? path : null;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path parent = dir.getParent();
            if (parent != null && Files.isRegularFile(dir.resolve("pom.xml"))) {
                Path candidate = parent.resolve("shared").resolve("testdata").resolve("wycheproof");
                if (Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /**
     * One dynamic test per vector of {@code fileName}, made by {@code tests} from all of them (in file
     * order); where the file cannot be found, a single test that is skipped and says why.
     */
    public static Stream<DynamicTest> dynamicTests(String fileName, Function<List<Vector>, Stream<DynamicTest>> tests) {
        Path dir = directory();
        if (dir == null || !Files.isRegularFile(dir.resolve(fileName))) {
            String why = "Skipped: Wycheproof file " + fileName + " not found in ../shared/testdata/wycheproof beside"
                    + " the project root (a clone outside the setup that provides it); -Dwycheproof.dir=... points elsewhere";
            return Stream.of(DynamicTest.dynamicTest(fileName + " is absent", () -> Assumptions.abort(why)));
        }
        return tests.apply(load(dir.resolve(fileName)));
    }

    private static List<Vector> load(Path file) {
        String fileName = file.getFileName().toString();
        Map<String, Object> document;
        try {
            document = JSONObjectUtils.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException("Wycheproof file " + file + " is not JSON", e);
        }
        List<Vector> vectors = new ArrayList<>();
        for (Object group : (List<?>) document.get("testGroups")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> groupMap = (Map<String, Object>) group;
            for (Object test : (List<?>) groupMap.get("tests")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> testMap = (Map<String, Object>) test;
                vectors.add(new Vector(groupMap, testMap));
            }
        }
        Object declared = document.get("numberOfTests");
        if (declared instanceof Number count && count.intValue() != vectors.size()) {
            throw new IllegalStateException(fileName + " declares " + count + " tests but holds " + vectors.size());
        }
        return vectors;
    }
}
