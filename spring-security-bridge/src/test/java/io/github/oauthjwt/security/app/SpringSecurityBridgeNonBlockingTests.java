package io.github.oauthjwt.security.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Proves with BlockHound that the bridge's per-request path blocks no event-loop thread: Spring
 * Security's resource server with this library's checks, for verified, refused, forbidden and
 * unavailable tokens, and a refetch for a rotated key, over real HTTP. BlockHound is installed
 * before the application starts, in a JVM of its own (the {@code blockhound} tag), and records
 * blocking calls instead of throwing them, so none can hide behind an error handler.
 */
@Tag("blockhound")
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"oauth-jwt.issuer=" + TestTokens.ISSUER, "oauth-jwt.audience=" + TestTokens.AUDIENCE,
                "oauth-jwt.jwks.initial-backoff=30s"})
class SpringSecurityBridgeNonBlockingTests {

    private static final Queue<String> BLOCKING_CALLS = new ConcurrentLinkedQueue<>();
    private static volatile boolean watching;

    private static final TestKey KEY = TestKey.rsa("k1");
    private static final TestKey ROTATED = TestKey.rsa("k2");
    private static final TestKey UNPUBLISHED = TestKey.rsa("k3");
    private static final JwksServer JWKS = JwksServer.serving(KEY);

    @BeforeAll
    static void installBlockHound() {
        BlockHound.install(builder -> builder
                .allowBlockingCallsInside("java.util.logging.Logger", "log")
                .blockingMethodCallback(method -> {
                    if (watching) {
                        BLOCKING_CALLS.add(method + " on " + Thread.currentThread().getName() + " at\n    "
                                + Arrays.stream(new Throwable().getStackTrace()).limit(40).map(String::valueOf)
                                        .collect(Collectors.joining("\n    ")));
                    }
                }));
    }

    @DynamicPropertySource
    static void jwks(DynamicPropertyRegistry registry) {
        registry.add("oauth-jwt.jwks-uri", () -> JWKS.uri().toString());
    }

    @AfterAll
    static void stopJwks() {
        JWKS.close();
    }

    @LocalServerPort
    private int port;

    private WebTestClient client;

    @BeforeEach
    void watch() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(15)).build();
        BLOCKING_CALLS.clear();
        watching = true;
    }

    @AfterEach
    void stopWatching() {
        watching = false;
    }

    private WebTestClient.ResponseSpec get(String path, String token) {
        return client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    @Test
    void detectsABlockingCallOnAReactorThread() {
        Mono.fromRunnable(() -> LockSupport.parkNanos(1_000_000)).subscribeOn(Schedulers.parallel()).block();

        assertThat(BLOCKING_CALLS).hasSize(1).first().asString().contains(".park");
    }

    @Test
    void verifiesRefusesForbidsAndFetchesRotatedKeysWithoutBlocking() {
        get("/api/data", TestTokens.signedBy(KEY).build()).expectStatus().isOk();
        get("/api/admin", TestTokens.signedBy(KEY).scope("admin").build()).expectStatus().isOk();
        get("/api/admin", TestTokens.signedBy(KEY).build()).expectStatus().isForbidden();
        get("/api/data", TestTokens.signedBy(KEY).claim("aud", "other").build()).expectStatus().isUnauthorized();
        client.get().uri("/api/data").exchange().expectStatus().isUnauthorized();

        JWKS.publish(KEY, ROTATED);
        get("/api/data", TestTokens.signedBy(ROTATED).build()).expectStatus().isOk();

        JWKS.failWith(503);
        get("/api/data", TestTokens.signedBy(UNPUBLISHED).build()).expectStatus().isEqualTo(503);

        assertThat(BLOCKING_CALLS).as("blocking calls on non-blocking threads").isEmpty();
    }
}
