package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.webflux.testing.Await;
import io.github.oauthjwt.webflux.testing.JwksServer;
import io.github.oauthjwt.webflux.testing.TestKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The key cache against a real JWKS endpoint, with time moved by a {@link VirtualTimeScheduler}:
 * coalescing, rotation, the refetch budget, TTLs, refresh-ahead, outages and recovery.
 */
class JwksKeySourceTests {

    private static final TestKey K1 = TestKey.rsa("k1");
    private static final TestKey K2 = TestKey.rsa("k2");
    private static final TestKey K3 = TestKey.rsa("k3");
    private static final Duration WAIT = Duration.ofSeconds(10);

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

    private JwksKeySource.Builder options() {
        return JwksKeySource.builder(jwks.uri()).scheduler(time);
    }

    private static void assertFound(JwksKeySource source, String kid) {
        StepVerifier.create(source.resolve(kid, JWSAlgorithm.RS256))
                .assertNext(resolution -> assertThat(resolution).isInstanceOfSatisfying(KeyResolution.Found.class,
                        found -> assertThat(found.key().kid()).isEqualTo(kid)))
                .verifyComplete();
    }

    private static void assertMissing(JwksKeySource source, String kid) {
        StepVerifier.create(source.resolve(kid, JWSAlgorithm.RS256))
                .expectNext(new KeyResolution.Missing(KeyResolution.Reason.UNKNOWN_KID))
                .verifyComplete();
    }

    private static void assertUnavailable(JwksKeySource source, String kid) {
        StepVerifier.create(source.resolve(kid, JWSAlgorithm.RS256))
                .assertNext(resolution -> assertThat(resolution).isInstanceOf(KeyResolution.Unavailable.class))
                .verifyComplete();
    }

    private void advance(Duration duration) {
        time.advanceTimeBy(duration);
    }

    private static void awaitFetches(JwksKeySource source, long started) {
        Await.until(started + " fetches have ended",
                () -> source.stats().fetches() >= started && !source.stats().fetchInFlight());
    }

    // Coalescing (issue 2) and rotation

    @Test
    void sharesOneFetchAmongOneHundredConcurrentColdLookups() throws Exception {
        JwksKeySource source = options().build();
        jwks.holdResponses();

        StepVerifier.create(Flux.range(0, 100).flatMap(i -> source.resolve("k1", JWSAlgorithm.RS256), 100).collectList())
                .then(() -> {
                    assertThat(awaitFirst()).isTrue();
                    jwks.release();
                })
                .assertNext(all -> assertThat(all).hasSize(100).allMatch(KeyResolution.Found.class::isInstance))
                .expectComplete()
                .verify(WAIT);
        assertThat(jwks.requestCount()).isEqualTo(1);
    }

    @Test
    void sharesOneRefetchAmongOneHundredConcurrentLookupsOfTheSameUnknownKid() throws Exception {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        jwks.publish(K1, K2).holdResponses();

        StepVerifier.create(Flux.range(0, 100).flatMap(i -> source.resolve("k2", JWSAlgorithm.RS256), 100).collectList())
                .then(() -> {
                    assertThat(awaitRequests(2)).isTrue();
                    jwks.release();
                })
                .assertNext(all -> assertThat(all).hasSize(100).allMatch(KeyResolution.Found.class::isInstance))
                .expectComplete()
                .verify(WAIT);
        assertThat(jwks.requestCount()).isEqualTo(2);
    }

    @Test
    void findsAKeyPublishedAfterTheLastFetchAtOnce() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        jwks.publish(K1, K2);

        assertFound(source, "k2");
        assertThat(jwks.requestCount()).isEqualTo(2);
    }

    @Test
    void findsARotatedKeyRightAfterAScheduledRefresh() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        advance(Duration.ofMinutes(4).plusSeconds(1));
        assertFound(source, "k1");
        awaitFetches(source, 2);
        assertThat(jwks.requestCount()).isEqualTo(2);

        jwks.publish(K1, K2);
        assertFound(source, "k2");
        assertThat(jwks.requestCount()).isEqualTo(3);
    }

    @Test
    void followsTwoRotationsAFewSecondsApart() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        jwks.publish(K2);
        assertFound(source, "k2");
        advance(Duration.ofSeconds(3));
        jwks.publish(K3);
        assertFound(source, "k3");
        assertThat(jwks.requestCount()).isEqualTo(3);
    }

    @Test
    void forgetsKeysThatLeaveTheJwks() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        jwks.publish(K2);
        assertFound(source, "k2");

        StepVerifier.create(source.resolve("k1", JWSAlgorithm.RS256))
                .expectNext(new KeyResolution.Missing(KeyResolution.Reason.UNKNOWN_KID))
                .verifyComplete();
    }

    // Bounded refetch

    @Test
    void boundsRefetchesForThreeHundredRandomKidsOverTwoSeconds() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");

        for (int i = 0; i < 300; i++) {
            assertMissing(source, UUID.randomUUID().toString());
            advance(Duration.ofMillis(2000 / 300));
        }

        assertThat(jwks.requestCount()).isEqualTo(1 + JwksKeySource.Builder.DEFAULT_REFETCH_BURST);
        assertThat(source.stats().rateLimited()).isEqualTo(300 - JwksKeySource.Builder.DEFAULT_REFETCH_BURST);
        assertThat(source.stats().misses()).isEqualTo(300);
    }

    @Test
    void boundsRefetchesForRandomKidsFromAColdStart() {
        JwksKeySource source = options().build();

        for (int i = 0; i < 300; i++) {
            assertMissing(source, UUID.randomUUID().toString());
            advance(Duration.ofMillis(2000 / 300));
        }

        assertThat(jwks.requestCount()).isEqualTo(2);
    }

    @Test
    void regainsRefetchPermitsOverTime() {
        JwksKeySource source = options().refetchLimit(1, Duration.ofSeconds(10)).build();
        assertFound(source, "k1");
        assertMissing(source, "random-1");
        assertMissing(source, "random-2");
        assertThat(jwks.requestCount()).isEqualTo(2);

        advance(Duration.ofSeconds(10));
        jwks.publish(K1, K2);
        assertFound(source, "k2");
        assertThat(jwks.requestCount()).isEqualTo(3);
    }

    @Test
    void keepsFollowingRotationsDuringARandomKidFloodOnceAPermitReturns() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        for (int i = 0; i < 50; i++) {
            assertMissing(source, "random-" + i);
        }
        jwks.publish(K1, K2);
        assertMissing(source, "k2");

        advance(JwksKeySource.Builder.DEFAULT_REFETCH_REFILL);
        assertFound(source, "k2");
        assertFound(source, "k1");
    }

    @Test
    void neverRefetchesForAKnownKidWithAnotherAlgorithm() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");

        StepVerifier.create(source.resolve("k1", JWSAlgorithm.ES256))
                .expectNext(new KeyResolution.Missing(KeyResolution.Reason.KID_DOES_NOT_FIT_ALGORITHM))
                .verifyComplete();
        assertThat(jwks.requestCount()).isEqualTo(1);
    }

    // Lifetime

    @Test
    void keepsKeysForTheDefaultTtlWithoutCacheControl() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        assertThat(source.stats().expiresAt()).isEqualTo(source.stats().lastFetchAt().plus(Duration.ofMinutes(5)));
    }

    @Test
    void takesTheTtlFromCacheControlMaxAge() {
        jwks.publish("public, max-age=120", K1);
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        assertThat(source.stats().expiresAt()).isEqualTo(source.stats().lastFetchAt().plusSeconds(120));

        advance(Duration.ofSeconds(95));
        assertFound(source, "k1");
        assertThat(jwks.requestCount()).isEqualTo(1);

        advance(Duration.ofSeconds(2));
        assertFound(source, "k1");
        awaitFetches(source, 2);
        assertThat(jwks.requestCount()).isEqualTo(2);
    }

    @Test
    void boundsTheTtlFromCacheControl() {
        jwks.publish("max-age=1", K1);
        JwksKeySource source = options().ttlBounds(Duration.ofSeconds(30), Duration.ofHours(1)).build();
        assertFound(source, "k1");
        assertThat(source.stats().expiresAt()).isEqualTo(source.stats().lastFetchAt().plusSeconds(30));

        jwks.publish("max-age=999999", K1, K2);
        assertFound(source, "k2");
        assertThat(source.stats().expiresAt()).isEqualTo(source.stats().lastFetchAt().plus(Duration.ofHours(1)));
    }

    @Test
    void treatsNoStoreAsTheShortestTtl() {
        jwks.publish("no-store", K1);
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        assertThat(source.stats().expiresAt())
                .isEqualTo(source.stats().lastFetchAt().plus(JwksKeySource.Builder.DEFAULT_MIN_TTL));
    }

    @Test
    void refreshesAheadOfExpiryWithoutMakingLookupsWait() throws Exception {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        jwks.publish(K1, K2).holdResponses();
        advance(Duration.ofMinutes(4).plusSeconds(1));

        // The refresh is held by the endpoint, yet lookups of cached keys complete at once.
        for (int i = 0; i < 10; i++) {
            assertThat(source.cachedKey("k1", JWSAlgorithm.RS256)).isNotNull();
            assertFound(source, "k1");
        }
        assertThat(awaitRequests(2)).isTrue();
        assertThat(jwks.requestCount()).isEqualTo(2);

        jwks.release();
        Await.until("the refreshed keys are cached", () -> source.cachedKey("k2", JWSAlgorithm.RS256) != null);
        assertThat(jwks.requestCount()).isEqualTo(2);
    }

    @Test
    void fetchesExactlyOnceWhenTheTtlExpiresUnderConcurrency() throws Exception {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        jwks.holdResponses();
        advance(Duration.ofMinutes(5).plusSeconds(1));

        StepVerifier.create(Flux.range(0, 200).flatMap(i -> source.resolve("k1", JWSAlgorithm.RS256), 200).collectList())
                .assertNext(all -> assertThat(all).hasSize(200).allMatch(KeyResolution.Found.class::isInstance))
                .expectComplete()
                .verify(WAIT);
        assertThat(awaitRequests(2)).isTrue();
        jwks.release();
        awaitFetches(source, 2);
        assertThat(jwks.requestCount()).isEqualTo(2);
    }

    // Outages

    @Test
    void servesCachedKeysWhileTheEndpointAnswers500() {
        assertServesCachedKeysThrough(() -> jwks.failWith(500));
    }

    @Test
    void servesCachedKeysWhileTheEndpointAnswersGarbage() {
        assertServesCachedKeysThrough(() -> jwks.publishJson("<html>maintenance</html>", null));
    }

    @Test
    void servesCachedKeysWhileTheEndpointPublishesNoUsableKey() {
        assertServesCachedKeysThrough(() -> jwks.publishJson("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}", null));
    }

    @Test
    void servesCachedKeysWhileTheEndpointAnswersAnOversizedBody() {
        String huge = "{\"keys\":[],\"padding\":\"" + "x".repeat(JwksKeySource.Builder.DEFAULT_MAX_BODY_BYTES) + "\"}";
        assertServesCachedKeysThrough(() -> jwks.publishJson(huge, null));
    }

    @Test
    void servesCachedKeysWhileTheEndpointStallsUntilTheTimeout() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        jwks.stallBody();
        advance(Duration.ofMinutes(5).plusSeconds(1));

        assertFound(source, "k1");
        Await.until("the refresh reached the stalled endpoint", () -> jwks.requestCount() == 2);
        advance(JwksKeySource.Builder.DEFAULT_TIMEOUT);
        Await.until("the stalled fetch timed out", () -> source.stats().failures() == 1);

        assertFound(source, "k1");
        assertThat(source.stats().lastFetchSucceeded()).isFalse();
        assertThat(source.stats().lastFailure()).isEqualTo("no complete response within 5000 ms");
    }

    @Test
    void servesCachedKeysWhileTheEndpointRefusesConnections() throws IOException {
        URI closed = closedPortUri();
        JwksServer realServer = jwks;
        jwks = JwksServer.serving(K1);
        JwksKeySource source = JwksKeySource.builder(closed).scheduler(time).build();
        realServer.close();

        StepVerifier.create(source.resolve("k1", JWSAlgorithm.RS256))
                .assertNext(resolution -> assertThat(resolution).isInstanceOf(KeyResolution.Unavailable.class))
                .expectComplete()
                .verify(WAIT);
        assertThat(source.stats().lastFailure()).startsWith("could not reach the endpoint");
    }

    private void assertServesCachedKeysThrough(Runnable breakEndpoint) {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        breakEndpoint.run();
        advance(Duration.ofMinutes(5).plusSeconds(1));

        assertFound(source, "k1");
        Await.until("the failed refresh is recorded", () -> source.stats().failures() == 1);
        for (int i = 0; i < 20; i++) {
            assertFound(source, "k1");
        }
        assertThat(jwks.requestCount()).isEqualTo(2);
        assertThat(source.stats().lastFetchSucceeded()).isFalse();

        advance(JwksKeySource.Builder.DEFAULT_MAX_STALENESS);
        assertUnavailable(source, "k1");
    }

    @Test
    void answersUnavailableOnAColdStartWithinTheTimeoutWhenTheEndpointHangs() {
        jwks.stallBody();
        JwksKeySource source = options().build();

        StepVerifier.withVirtualTime(() -> source.resolve("k1", JWSAlgorithm.RS256), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(4999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(resolution -> assertThat(resolution).isInstanceOfSatisfying(KeyResolution.Unavailable.class,
                        unavailable -> assertThat(unavailable.retryAfter()).isEqualTo(Duration.ofSeconds(1))))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void answersUnavailableOnAColdStartWhenTheEndpointFails() {
        jwks.failWith(503);
        JwksKeySource source = options().build();

        assertUnavailable(source, "k1");
        assertThat(source.stats().lastFailure()).isEqualTo("HTTP status 503");
        assertThat(source.stats().keyCount()).isZero();
    }

    @Test
    void answersUnavailableForAnUnknownKidWhileTheEndpointFails() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        jwks.failWith(500);
        StepVerifier.create(source.resolve("k2", JWSAlgorithm.RS256))
                .assertNext(resolution -> assertThat(resolution).isInstanceOf(KeyResolution.Unavailable.class))
                .verifyComplete();

        assertUnavailable(source, "k3");
        assertFound(source, "k1");
        assertThat(jwks.requestCount()).isEqualTo(2);
    }

    @Test
    void spacesRetriesWithExponentialBackoffDuringAnOutage() {
        jwks.failWith(500);
        JwksKeySource source = options().build();
        assertUnavailable(source, "k1");
        assertUnavailable(source, "k1");
        assertThat(jwks.requestCount()).isEqualTo(1);

        advance(Duration.ofSeconds(1));
        assertUnavailable(source, "k1");
        assertThat(jwks.requestCount()).isEqualTo(2);

        advance(Duration.ofSeconds(1));
        assertUnavailable(source, "k1");
        assertThat(jwks.requestCount()).isEqualTo(2);
        advance(Duration.ofSeconds(1));
        assertUnavailable(source, "k1");
        assertThat(jwks.requestCount()).isEqualTo(3);
    }

    @Test
    void recoversOnceTheEndpointAnswersAgain() {
        jwks.failWith(500);
        JwksKeySource source = options().build();
        assertUnavailable(source, "k1");

        jwks.publish(K1);
        assertUnavailable(source, "k1");
        advance(Duration.ofSeconds(1));
        assertFound(source, "k1");
        assertThat(source.stats().lastFetchSucceeded()).isTrue();
        assertThat(source.stats().lastFailure()).isNull();
        assertThat(source.stats().failures()).isEqualTo(1);
    }

    // Options

    @Test
    void refusesContradictoryOptions() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> options().ttlBounds(Duration.ofMinutes(10), Duration.ofMinutes(1)).build())
                .withMessage("min TTL must not be longer than max TTL");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> options().defaultTtl(Duration.ofSeconds(5)).build())
                .withMessage("defaultTtl must lie within the TTL bounds");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> options().refetchLimit(0, Duration.ofSeconds(1)).build())
                .withMessage("refetch burst must be at least 1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> options().timeout(Duration.ZERO).build())
                .withMessage("timeout must be positive");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JwksKeySource.builder(URI.create("file:///etc/passwd")).build())
                .withMessage("uri must be an absolute http or https URI, not 'file:///etc/passwd'");
    }

    @Test
    void reportsWhatItHolds() {
        jwks.publish(K1, K2);
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        assertMissing(source, "nope");

        JwksCacheStats stats = source.stats();
        assertThat(stats.uri()).isEqualTo(jwks.uri());
        assertThat(stats.kids()).isEqualTo(List.of("k1", "k2"));
        assertThat(stats.keyCount()).isEqualTo(2);
        assertThat(stats.lastFetchSucceeded()).isTrue();
        assertThat(stats.fetches()).isEqualTo(2);
        assertThat(stats.failures()).isZero();
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.rateLimited()).isZero();
    }

    private boolean awaitFirst() {
        try {
            return jwks.awaitFirstRequest();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean awaitRequests(int count) {
        try {
            return jwks.awaitRequests(count);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URI closedPortUri() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/jwks");
        }
    }
}
