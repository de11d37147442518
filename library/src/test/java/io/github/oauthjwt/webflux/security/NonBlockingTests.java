package io.github.oauthjwt.webflux.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import io.github.oauthjwt.webflux.JwtClaims;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.ResourceMetadata;
import io.github.oauthjwt.webflux.TrustedIssuer;
import io.github.oauthjwt.webflux.TrustedIssuers;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.testing.DpopProofs;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.webflux.jwks.JwksMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.github.oauthjwt.testing.Await;
import io.github.oauthjwt.testing.IssuerServer;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.blockhound.BlockHound;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Proves with BlockHound that nothing blocks an event-loop thread while the filter validates
 * tokens, fetches and refreshes keys, and rides out JWKS outages: the real filter behind a real
 * reactor-netty server, keys from a real JWKS endpoint (MockWebServer), requests over HTTP.
 *
 * <p>BlockHound is installed once for the JVM, before any Reactor or Netty thread exists: the tag
 * {@code blockhound} gives these tests a JVM of their own (a second surefire execution), since a
 * worker thread already idling when BlockHound arrives would look blocked. It records every
 * blocking call on a non-blocking thread (Reactor's schedulers and Netty's event loops) while a
 * test runs, without throwing, so a blocking call cannot hide behind an error handler; each test
 * asserts that nothing was recorded. The observed path (Micrometer observations into a meter
 * registry, the server observing requests too) is covered like the rest.
 * {@link #detectsABlockingCallOnTheServersEventLoop} proves the
 * recorder sees the very threads the filter runs on. Writing log records is allowed, as BlockHound
 * itself allows it for Logback: where log output goes is the application's logging backend's
 * business. The JVM needs {@code -XX:+AllowRedefinitionToAddDeleteMethods} (surefire's argLine).
 */
@Tag("blockhound")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NonBlockingTests {

    private static final Queue<String> BLOCKING_CALLS = new ConcurrentLinkedQueue<>();
    private static volatile boolean watching;

    private final TestKey rs256 = TestKey.rsa("rsa-1").signingWith("RS256");
    private final TestKey ps256 = TestKey.rsa("rsa-pss").signingWith("PS256");
    private final TestKey es256 = TestKey.ec("ec-256", Curve.P_256);
    private final TestKey ed25519 = TestKey.ed25519("ed-1");
    private final TestKey rotated = TestKey.ec("ec-rotated", Curve.P_384);
    private final Queue<Boolean> handledOnNonBlockingThread = new ConcurrentLinkedQueue<>();

    private JwksServer jwks;
    private DisposableServer server;
    private WebTestClient client;
    private JwksKeySource keys;

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

    @BeforeEach
    void startJwksAndWatch() {
        jwks = JwksServer.serving();
        publish(rs256, ps256, es256, ed25519);
        BLOCKING_CALLS.clear();
        handledOnNonBlockingThread.clear();
        watching = true;
    }

    @AfterEach
    void stop() {
        watching = false;
        if (server != null) {
            server.disposeNow();
        }
        jwks.close();
    }

    private void publish(TestKey... published) {
        jwks.publishJson(TestTokens.jwks(Arrays.stream(published).map(TestKey::publicJwk).toList()), null);
    }

    /** Serves {@code /api/data} behind a filter that takes its keys from {@code source}, over real HTTP. */
    private void serve(JwksKeySource source) {
        serve(source, DpopOptions.disabled());
    }

    private void serve(JwksKeySource source, DpopOptions dpop) {
        serve(source, OAuthJwtFilter.builder(source).issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE)
                .paths("/api/**").dpop(dpop).build());
    }

    /** Serves {@code /api/data} behind {@code filter}, watching {@code source} for fetches in flight. */
    private void serve(JwksKeySource source, OAuthJwtFilter filter) {
        serve(source, filter, ObservationRegistry.NOOP);
    }

    /** {@link #serve(JwksKeySource, OAuthJwtFilter)} with the server observing its requests in {@code observations}. */
    private void serve(JwksKeySource source, OAuthJwtFilter filter, ObservationRegistry observations) {
        this.keys = source;
        RouterFunction<ServerResponse> routes = route(GET("/api/data"), request -> {
            handledOnNonBlockingThread.add(Schedulers.isInNonBlockingThread());
            return ServerResponse.ok().bodyValue("sub=" + JwtClaims.from(request).subject());
        }).andRoute(GET("/canary"), request -> {
            // A deliberate blocking call: BlockHound must catch it, or it is not installed.
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            return ServerResponse.ok().bodyValue("parked");
        });
        HttpHandler handler = WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(routes)).filter(filter)
                .observationRegistry(observations).build();
        server = HttpServer.create().host("127.0.0.1").port(0).handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + server.port())
                .responseTimeout(Duration.ofSeconds(15)).build();
    }

    private static String claims() {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE
                + "\",\"sub\":\"alice\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}";
    }

    private static String token(TestKey key) {
        return key.sign(key.header(), claims());
    }

    private WebTestClient.ResponseSpec get(String token) {
        return client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private void assertPasses(String token) {
        get(token).expectStatus().isOk().expectBody(String.class).isEqualTo("sub=alice");
    }

    private void awaitQuietKeySource() {
        Await.until("no JWKS fetch is in flight", () -> !keys.stats().fetchInFlight());
    }

    private void assertNothingBlocked() {
        assertThat(BLOCKING_CALLS).as("blocking calls on non-blocking threads").isEmpty();
        assertThat(handledOnNonBlockingThread).as("requests handled on a non-blocking thread").doesNotContain(false);
    }

    @Test
    void detectsABlockingCallOnTheServersEventLoop() {
        serve(JwksKeySource.fromUri(jwks.uri()));
        client.get().uri("/canary").exchange().expectStatus().isOk();
        assertThat(BLOCKING_CALLS).hasSize(1).first().asString().contains(".park");
    }

    @Test
    void discoversTheKeysOfOneOfSeveralIssuersAndServesResourceMetadataWithoutBlocking() {
        try (IssuerServer discovered = IssuerServer.serving(rs256)) {
            JwksKeySource discoveredKeys = JwksKeySource.fromIssuer(discovered.issuer());
            serve(discoveredKeys, OAuthJwtFilter.builder(TrustedIssuers.of(
                            TrustedIssuer.builder(discovered.issuer()).keys(discoveredKeys).build(),
                            TrustedIssuer.builder(TestTokens.ISSUER).keys(JwksKeySource.fromUri(jwks.uri())).build()))
                    .audience(TestTokens.AUDIENCE).paths("/api/**")
                    .resourceMetadata(ResourceMetadata.builder().build()).build());

            assertPasses(rs256.sign(rs256.header(), claims().replace(TestTokens.ISSUER, discovered.issuer())));
            assertPasses(token(es256));
            get(token(ps256).replace("a", "b")).expectStatus().isUnauthorized();
            client.get().uri("/.well-known/oauth-protected-resource").exchange().expectStatus().isOk();
            awaitQuietKeySource();

            assertThat(discovered.requestedPaths()).containsExactly("/.well-known/openid-configuration", "/jwks");
            assertNothingBlocked();
        }
    }

    @Test
    void fetchesKeysOnAColdStartWithoutBlocking() {
        serve(JwksKeySource.fromUri(jwks.uri()));
        assertPasses(token(rs256));
        awaitQuietKeySource();
        assertThat(jwks.requestCount()).isEqualTo(1);
        assertThat(handledOnNonBlockingThread).containsExactly(true);
        assertNothingBlocked();
    }

    @Test
    void validatesAndRefusesTokensFromTheCacheWithoutBlocking() {
        serve(JwksKeySource.fromUri(jwks.uri()));
        for (int i = 0; i < 5; i++) {
            for (TestKey key : List.of(rs256, ps256, es256, ed25519)) {
                assertPasses(token(key));
            }
        }
        String valid = token(es256);
        get(valid.substring(0, valid.length() - 4) + "AAAA").expectStatus().isUnauthorized();
        get(rs256.sign("{\"alg\":\"none\"}", claims())).expectStatus().isUnauthorized();
        get(rs256.sign(rs256.header(), claims().replaceFirst("\"exp\":\\d+", "\"exp\":1"))).expectStatus().isUnauthorized();
        get(rs256.sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"b64\"],\"b64\":false}", claims()))
                .expectStatus().isUnauthorized();
        awaitQuietKeySource();
        assertThat(jwks.requestCount()).isEqualTo(1);
        assertThat(handledOnNonBlockingThread).hasSize(20);
        assertNothingBlocked();
    }

    @Test
    void checksDpopProofsAndNoncesWithoutBlocking() {
        serve(JwksKeySource.fromUri(jwks.uri()), DpopOptions.builder().nonces(new byte[32], Duration.ofMinutes(5)).build());
        String base = "http://127.0.0.1:" + server.port();
        TestKey holder = TestKey.ec("holder", Curve.P_256);
        long now = Instant.now().getEpochSecond();
        String token = es256.sign(es256.header(), "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE
                + "\",\"sub\":\"alice\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + ",\"cnf\":{\"jkt\":\""
                + DpopProofs.thumbprint(holder) + "\"}}");
        String nonce = client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "DPoP " + token)
                .header("DPoP", DpopProofs.signedBy(holder).forRequest("GET", base + "/api/data").accessToken(token).build())
                .exchange().expectStatus().isUnauthorized().returnResult(String.class).getResponseHeaders()
                .getFirst("DPoP-Nonce");
        for (int i = 0; i < 10; i++) {
            client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "DPoP " + token)
                    .header("DPoP", DpopProofs.signedBy(holder).forRequest("GET", base + "/api/data").accessToken(token)
                            .claim("nonce", nonce).build())
                    .exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("sub=alice");
        }
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isUnauthorized();
        awaitQuietKeySource();
        assertThat(handledOnNonBlockingThread).hasSize(10);
        assertNothingBlocked();
    }

    @Test
    void refetchesForARotatedKeyWithoutBlocking() {
        serve(JwksKeySource.fromUri(jwks.uri()));
        assertPasses(token(rs256));
        publish(rs256, rotated);
        assertPasses(token(rotated));
        get(rotated.sign("{\"alg\":\"ES384\",\"kid\":\"unknown\"}", claims())).expectStatus().isUnauthorized();
        awaitQuietKeySource();
        assertThat(jwks.requestCount()).isEqualTo(3);
        assertNothingBlocked();
    }

    @Test
    void observesValidationsAndFetchesIntoAMeterRegistryWithoutBlocking() {
        MeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        JwksKeySource source = JwksKeySource.builder(jwks.uri()).observationRegistry(observations).build();
        new JwksMetrics(source).bindTo(meters);
        serve(source, OAuthJwtFilter.builder(source).issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE)
                .paths("/api/**").observationRegistry(observations).build(), observations);

        String repeated = token(rs256);
        assertPasses(repeated);
        assertPasses(repeated);
        assertPasses(token(ed25519));
        publish(rs256, rotated);
        assertPasses(token(rotated));
        get(rs256.sign(rs256.header(), claims().replaceFirst("\"exp\":\\d+", "\"exp\":1"))).expectStatus().isUnauthorized();
        client.get().uri("/api/data").exchange().expectStatus().isUnauthorized();
        awaitQuietKeySource();

        assertThat(meters.get("oauth.jwt.validation").timers().stream().mapToLong(Timer::count).sum()).isEqualTo(6);
        assertThat(meters.get("oauth.jwt.validation").tags("outcome", "verified", "cache", "hit").timer().count())
                .isEqualTo(1);
        assertThat(meters.get("oauth.jwt.validation").tags("outcome", "invalid_token", "reason", "expired").timer().count())
                .isEqualTo(1);
        assertThat(meters.get("oauth.jwks.fetch").tags("trigger", "initial").timer().count()).isEqualTo(1);
        assertThat(meters.get("oauth.jwks.fetch").tags("trigger", "unknown_kid").timer().count()).isEqualTo(1);
        assertThat(meters.get(JwksMetrics.KEYS).gauge().value()).isEqualTo(2);
        assertNothingBlocked();
    }

    @Test
    void refreshesKeysInTheBackgroundWithoutBlocking() {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        serve(JwksKeySource.builder(jwks.uri()).scheduler(clock).build());
        assertPasses(token(rs256));
        clock.advanceTimeBy(Duration.ofMinutes(4).plusSeconds(30));
        assertPasses(token(rs256));
        Await.until("the background refresh reached the JWKS", () -> jwks.requestCount() == 2);
        awaitQuietKeySource();
        assertPasses(token(es256));
        assertThat(keys.stats().fetches()).isEqualTo(2);
        assertThat(keys.stats().lastFetchSucceeded()).isTrue();
        assertNothingBlocked();
    }

    @Test
    void servesStaleKeysThroughAnOutageWithoutBlocking() {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        serve(JwksKeySource.builder(jwks.uri()).scheduler(clock).build());
        assertPasses(token(rs256));
        jwks.failWith(500);
        clock.advanceTimeBy(Duration.ofMinutes(10));
        assertPasses(token(rs256));
        Await.until("the failed refresh is recorded", () -> keys.stats().failures() == 1);
        awaitQuietKeySource();
        assertPasses(token(ed25519));
        assertThat(keys.stats().lastFailure()).isEqualTo("HTTP status 500");
        assertNothingBlocked();
    }

    @Test
    void answers503WhenTheColdFetchTimesOutWithoutBlocking() {
        jwks.stallBody();
        serve(JwksKeySource.builder(jwks.uri()).timeout(Duration.ofMillis(300)).build());
        get(token(rs256)).expectStatus().isEqualTo(503).expectHeader().exists(HttpHeaders.RETRY_AFTER);
        awaitQuietKeySource();
        assertThat(keys.stats().lastFailure()).isEqualTo("no complete response within 300 ms");
        assertNothingBlocked();
    }

    @Test
    void answers503WhenTheJwksEndpointRefusesConnectionsWithoutBlocking() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/jwks");
        }
        serve(JwksKeySource.fromUri(closed));
        get(token(rs256)).expectStatus().isEqualTo(503).expectHeader().exists(HttpHeaders.RETRY_AFTER);
        awaitQuietKeySource();
        assertThat(keys.stats().failures()).isEqualTo(1);
        assertNothingBlocked();
    }
}
