package io.github.oauthjwt.example;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The example application started the way {@code java -jar} starts it, with command-line
 * arguments, on a free port; closing it stops it. Gives a {@link WebTestClient} that talks to it
 * over real HTTP.
 */
final class RunningExample implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private RunningExample(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts the app with {@code --server.port=0} and these arguments, and returns once it is ready. */
    static RunningExample start(String... args) {
        return startWith(List.of(), args);
    }

    /** Starts the app with configuration classes of a test's own besides its own, as {@link #start}. */
    static RunningExample startWith(List<Class<?>> configuration, String... args) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0"));
        arguments.addAll(List.of(args));
        List<Class<?>> sources = new ArrayList<>(List.of(ExampleApplication.class));
        sources.addAll(configuration);
        return new RunningExample(new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                .run(arguments.toArray(String[]::new)));
    }

    /** The port the server bound. */
    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** A client for this app. */
    WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port()).build();
    }

    /** A bean of the running app. */
    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
