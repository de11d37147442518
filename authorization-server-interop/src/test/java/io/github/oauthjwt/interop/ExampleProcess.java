package io.github.oauthjwt.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example app run from its jar in a JVM of its own, as {@code java -jar} runs it, on the port it
 * picks with {@code --server.port=0}, read from its {@code Netty started on port} log line. Its
 * output is copied to this JVM's standard output, each line prefixed {@code [example]}. Closing it
 * stops the process: a graceful stop, then a forced one after a bounded wait.
 */
final class ExampleProcess implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("Netty started on port (\\d+)");

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final URI baseUri;

    private ExampleProcess(Process process, int port) {
        this.process = process;
        this.baseUri = URI.create("http://localhost:" + port);
    }

    /**
     * Starts the jar with these arguments after {@code --server.port=0} and returns once the app
     * listens, or throws once it has exited or {@link #STARTUP_TIMEOUT} has passed without it
     * listening (having stopped it).
     */
    static ExampleProcess start(Path jar, String... args) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No example jar at " + jar + "; build it in the same reactor, e.g."
                    + " mvn -pl authorization-server-interop -am verify");
        }
        // C1 only: the app starts in about half the time, which is all a short-lived test JVM needs.
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-XX:TieredStopAtLevel=1", "-jar",
                jar.toString(), "--server.port=0"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread output = new Thread(() -> copyOutput(process, port), "example-output");
        output.setDaemon(true);
        output.start();
        try {
            return new ExampleProcess(process, port.get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException | InterruptedException ex) {
            stop(process);
            if (ex instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            String why = ex instanceof TimeoutException ? "not listening after " + STARTUP_TIMEOUT
                    : ex.getCause().getMessage();
            throw new IllegalStateException("The example did not start (" + why
                    + "); its output is above, prefixed [example]", ex);
        }
    }

    /** {@code http://localhost:<port>}. */
    URI baseUri() {
        return baseUri;
    }

    @Override
    public void close() {
        try {
            stop(process);
        } catch (InterruptedException ex) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void copyOutput(Process process, CompletableFuture<Integer> port) {
        try (BufferedReader lines = process.inputReader(StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println("[example] " + line);
                Matcher started = STARTED.matcher(line);
                if (started.find()) {
                    port.complete(Integer.parseInt(started.group(1)));
                }
            }
            port.completeExceptionally(new IllegalStateException("The example exited before it listened"));
        } catch (IOException ex) {
            port.completeExceptionally(new UncheckedIOException(ex));
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
