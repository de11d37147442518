package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.testing.Await;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Unknown {@code kid}s against key rotation (issue 9): noise never makes a freshly published key
 * refused, fetches stay bounded by the refetch interval, waiting is capped, and a key the JWKS
 * drops stops verifying, cached tokens included. A real JWKS endpoint counts the requests; a
 * {@link VirtualTimeScheduler} moves the cache's time.
 */
class UnknownKidRefetchTests {

    private static final TestKey K1 = TestKey.rsa("k1");
    private static final TestKey K2 = TestKey.rsa("k2");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration INTERVAL = JwksKeySource.Builder.DEFAULT_REFETCH_INTERVAL;
    private static final KeyResolution.Missing UNKNOWN = new KeyResolution.Missing(KeyResolution.Reason.UNKNOWN_KID);

    private JwksServer jwks;
    private VirtualTimeScheduler time;

    @BeforeEach
    void start() {
        jwks = JwksServer.serving(K1);
        time = VirtualTimeScheduler.create();
    }

    @AfterEach
    void stop() {
        jwks.close();
        time.dispose();
    }

    private JwksKeySource warmSource(JwksKeySource.Builder options) {
        JwksKeySource source = options.scheduler(time).build();
        source.keys().block(WAIT);
        return source;
    }

    private static CompletableFuture<KeyResolution> lookUp(JwksKeySource source, String kid) {
        return source.resolve(kid, JWSAlgorithm.RS256).toFuture();
    }

    /** Moves time on, then waits until no fetch is in flight, so each fetch ends at the instant it began. */
    private void advance(JwksKeySource source, Duration duration) {
        time.advanceTimeBy(duration);
        Await.until("no fetch is in flight", () -> !source.stats().fetchInFlight());
    }

    @Test
    void aKeyPublishedRightAfterThreeUnknownKidsIsAcceptedForItsFirstToken() {
        JwksKeySource source = warmSource(JwksKeySource.builder(jwks.uri()));
        List<CompletableFuture<KeyResolution>> noise = List.of(lookUp(source, "stale-1"), lookUp(source, "stale-2"),
                lookUp(source, "stale-3"));
        advance(source, INTERVAL);
        noise.forEach(lookup -> assertThat(lookup).succeedsWithin(WAIT).isEqualTo(UNKNOWN));
        assertThat(jwks.requestCount()).isEqualTo(2);

        jwks.publish(K1, K2);
        CompletableFuture<KeyResolution> first = lookUp(source, "k2");
        advance(source, INTERVAL);

        assertThat(first).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Found.class);
        assertThat(jwks.requestCount()).isEqualTo(3);
    }

    @Test
    void twoHundredConcurrentFirstTokensOfAKeyPublishedAfterNoiseShareOneFetch() {
        JwksKeySource source = warmSource(JwksKeySource.builder(jwks.uri()));
        List<CompletableFuture<KeyResolution>> noise = List.of(lookUp(source, "stale-1"), lookUp(source, "stale-2"),
                lookUp(source, "stale-3"));
        advance(source, INTERVAL);
        noise.forEach(lookup -> assertThat(lookup).succeedsWithin(WAIT).isEqualTo(UNKNOWN));

        jwks.publish(K1, K2);
        CompletableFuture<List<KeyResolution>> firstTokens = Flux.range(0, 200)
                .flatMap(i -> source.resolve("k2", JWSAlgorithm.RS256), 200).collectList().toFuture();
        Await.until("200 lookups wait", () -> source.stats().waitingLookups() == 200);
        advance(source, INTERVAL);

        assertThat(firstTokens).succeedsWithin(WAIT)
                .satisfies(all -> assertThat(all).hasSize(200).allMatch(KeyResolution.Found.class::isInstance));
        assertThat(jwks.requestCount()).isEqualTo(3);
    }

    @Test
    void aRotationDuringAMinuteOfRandomKidsIsAcceptedWithinOneIntervalWithBoundedFetches() {
        JwksKeySource source = warmSource(JwksKeySource.builder(jwks.uri()));
        long startedAt = time.now(TimeUnit.MILLISECONDS);
        List<CompletableFuture<KeyResolution>> noise = new ArrayList<>();
        AtomicLong rotatedKeyFoundAt = new AtomicLong(-1);
        CompletableFuture<KeyResolution> rotated = null;
        long rotatedAt = 0;

        for (int tick = 0; tick < 240; tick++) {
            if (tick == 120) {
                jwks.publish(K1, K2);
                rotatedAt = time.now(TimeUnit.MILLISECONDS);
                rotated = source.resolve("k2", JWSAlgorithm.RS256)
                        .doOnNext(found -> rotatedKeyFoundAt.set(time.now(TimeUnit.MILLISECONDS))).toFuture();
            }
            noise.add(lookUp(source, UUID.randomUUID().toString()));
            advance(source, Duration.ofMillis(250));
        }
        advance(source, INTERVAL);

        assertThat(rotated).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Found.class);
        assertThat(rotatedKeyFoundAt.get() - rotatedAt).isLessThanOrEqualTo(INTERVAL.toMillis());
        noise.forEach(lookup -> assertThat(lookup).succeedsWithin(WAIT).isEqualTo(UNKNOWN));
        long seconds = (time.now(TimeUnit.MILLISECONDS) - startedAt) / 1000;
        assertThat(jwks.requestCount() - 1).isLessThanOrEqualTo((int) (seconds / INTERVAL.toSeconds() + 1));
    }

    @Test
    void answersLookupsPastTheCapAtOnceAndTheWaitingOnesWithTheNextFetch() {
        List<JwksEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        JwksKeySource source = warmSource(JwksKeySource.builder(jwks.uri()).maxWaitingLookups(5).listener(events::add));
        List<CompletableFuture<KeyResolution>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(lookUp(source, "random-" + i));
        }

        assertThat(lookUp(source, "random-5")).isCompletedWithValue(UNKNOWN);
        assertThat(lookUp(source, "random-6")).isCompletedWithValue(UNKNOWN);
        assertThat(source.stats().lookupsTurnedAway()).isEqualTo(2);
        assertThat(source.stats().waitingLookups()).isEqualTo(5);
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        assertThat(events).filteredOn(JwksEvent.WaitingLookupsFull.class::isInstance).containsExactly(
                new JwksEvent.WaitingLookupsFull(jwks.uri(), 5), new JwksEvent.WaitingLookupsFull(jwks.uri(), 5));

        advance(source, INTERVAL);
        waiting.forEach(lookup -> assertThat(lookup).succeedsWithin(WAIT).isEqualTo(UNKNOWN));
        assertThat(source.stats().waitingLookups()).isZero();
        assertThat(jwks.requestCount()).isEqualTo(2);
    }

    @Test
    void boundsAWaitByTheIntervalPlusTheFetchTimeout() {
        JwksKeySource source = warmSource(JwksKeySource.builder(jwks.uri()));
        jwks.holdResponses();
        CompletableFuture<KeyResolution> lookup = lookUp(source, "k2");

        time.advanceTimeBy(INTERVAL.plus(JwksKeySource.Builder.DEFAULT_TIMEOUT).minusMillis(1));
        assertThat(lookup).isNotDone();
        time.advanceTimeBy(Duration.ofMillis(1));

        assertThat(lookup).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Unavailable.class);
        jwks.release();
    }

    @Test
    void aKeyTheJwksDropsStopsVerifyingWithTheFetchThatDroppedItCachedTokensIncluded() {
        JwksKeySource source = warmSource(JwksKeySource.builder(jwks.uri()));
        WebTestClient client = WebTestClient.bindToRouterFunction(
                        route(GET("/api/data"), request -> ServerResponse.ok().bodyValue("ok")))
                .webFilter(OAuthJwtFilter.builder(source).issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).build())
                .build();
        String k1Token = TestTokens.signedBy(K1).build();
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + k1Token).exchange()
                .expectStatus().isOk();

        jwks.publish(K2);
        CompletableFuture<KeyResolution> rotation = lookUp(source, "k2");
        advance(source, INTERVAL);
        assertThat(rotation).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Found.class);

        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + k1Token).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", "
                        + "error_description=\"No signing key with kid 'k1' is published by the authorization server"
                        + " this API trusts.\"");
        assertThat(jwks.requestCount()).isEqualTo(2);
    }
}
