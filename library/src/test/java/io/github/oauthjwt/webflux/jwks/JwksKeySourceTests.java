package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.testing.Await;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The key cache against a real JWKS endpoint, with time moved by a {@link VirtualTimeScheduler}:
 * coalescing, rotation, the refetch interval, TTLs, refresh-ahead, outages and recovery. A lookup
 * of an unknown {@code kid} waits for the next fetch the refetch interval allows, so the helpers
 * move time on by that interval when a lookup waits.
 */
class JwksKeySourceTests {

    private static final TestKey K1 = TestKey.rsa("k1");
    private static final TestKey K2 = TestKey.rsa("k2");
    private static final TestKey K3 = TestKey.rsa("k3");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration INTERVAL = JwksKeySource.Builder.DEFAULT_REFETCH_INTERVAL;

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

    /** Looks a kid up; if the lookup waits for the next permitted fetch, moves time on to it. */
    private KeyResolution lookUp(JwksKeySource source, String kid) {
        CompletableFuture<KeyResolution> result = source.resolve(kid, JWSAlgorithm.RS256).toFuture();
        Await.until("the lookup is answered or waits", () -> result.isDone() || source.stats().waitingLookups() > 0);
        if (!result.isDone()) {
            advance(INTERVAL);
        }
        try {
            return result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("lookup of " + kid + " failed", e);
        }
    }

    private void assertFound(JwksKeySource source, String kid) {
        assertThat(lookUp(source, kid)).isInstanceOfSatisfying(KeyResolution.Found.class,
                found -> assertThat(found.key().kid()).isEqualTo(kid));
    }

    private void assertMissing(JwksKeySource source, String kid) {
        assertThat(lookUp(source, kid)).isEqualTo(new KeyResolution.Missing(KeyResolution.Reason.UNKNOWN_KID));
    }

    private void assertUnavailable(JwksKeySource source, String kid) {
        assertThat(lookUp(source, kid)).isInstanceOf(KeyResolution.Unavailable.class);
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
        advance(INTERVAL);
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
    void findsAKeyPublishedAfterTheLastFetchWithTheNextFetchTheIntervalAllows() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        jwks.publish(K1, K2);

        CompletableFuture<KeyResolution> lookup = source.resolve("k2", JWSAlgorithm.RS256).toFuture();
        advance(INTERVAL.minusMillis(1));
        assertThat(lookup).isNotDone();
        assertThat(jwks.requestCount()).isEqualTo(1);
        advance(Duration.ofMillis(1));

        assertThat(lookup).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Found.class);
        assertThat(jwks.requestCount()).isEqualTo(2);
    }

    @Test
    void refetchesAtOnceForAnUnknownKidWhenTheIntervalHasPassed() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        advance(INTERVAL);
        jwks.publish(K1, K2);

        StepVerifier.create(source.resolve("k2", JWSAlgorithm.RS256))
                .assertNext(resolution -> assertThat(resolution).isInstanceOf(KeyResolution.Found.class))
                .expectComplete().verify(WAIT);
        assertThat(source.stats().deferredLookups()).isZero();
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

        assertMissing(source, "k1");
    }

    // Bounded refetch

    @Test
    void boundsRefetchesForThreeHundredRandomKidsOverTwoSeconds() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");

        List<CompletableFuture<KeyResolution>> lookups = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lookups.add(source.resolve(UUID.randomUUID().toString(), JWSAlgorithm.RS256).toFuture());
            advance(Duration.ofMillis(2000 / 300));
        }
        advance(INTERVAL);

        for (CompletableFuture<KeyResolution> lookup : lookups) {
            assertThat(lookup).succeedsWithin(WAIT).isEqualTo(new KeyResolution.Missing(KeyResolution.Reason.UNKNOWN_KID));
        }
        assertThat(jwks.requestCount()).isEqualTo(2);
        assertThat(source.stats().deferredLookups()).isEqualTo(300);
        assertThat(source.stats().misses()).isEqualTo(300);
        assertThat(source.stats().waitingLookups()).isZero();
    }

    @Test
    void boundsRefetchesForRandomKidsFromAColdStart() {
        JwksKeySource source = options().build();

        List<CompletableFuture<KeyResolution>> lookups = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lookups.add(source.resolve(UUID.randomUUID().toString(), JWSAlgorithm.RS256).toFuture());
            Await.until("the cold fetch has ended", () -> !source.stats().fetchInFlight());
            advance(Duration.ofMillis(2000 / 300));
        }
        advance(INTERVAL);

        for (CompletableFuture<KeyResolution> lookup : lookups) {
            assertThat(lookup).succeedsWithin(WAIT).isEqualTo(new KeyResolution.Missing(KeyResolution.Reason.UNKNOWN_KID));
        }
        assertThat(jwks.requestCount()).isEqualTo(2);
    }

    @Test
    void answersAnUnknownKidAtOnceOnceAFetchStartedAfterItsFirstSightingLackedIt() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        assertMissing(source, "bogus");
        assertThat(jwks.requestCount()).isEqualTo(2);

        for (int i = 0; i < 20; i++) {
            StepVerifier.create(source.resolve("bogus", JWSAlgorithm.RS256))
                    .expectNext(new KeyResolution.Missing(KeyResolution.Reason.UNKNOWN_KID))
                    .expectComplete().verify(WAIT);
        }
        assertThat(jwks.requestCount()).isEqualTo(2);
        assertThat(source.stats().deferredLookups()).isEqualTo(1);
    }

    @Test
    void looksForARepeatedUnknownKidAgainOnceAnotherFetchHasCompleted() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        assertMissing(source, "late");
        assertMissing(source, "other");
        jwks.publish(K1, TestKey.rsa("late"));

        assertThat(lookUp(source, "late")).isInstanceOf(KeyResolution.Found.class);
        assertThat(jwks.requestCount()).isEqualTo(4);
    }

    @Test
    void sharesTheFetchInFlightWithLookupsOfAKidFirstSeenBeforeItStarted() throws Exception {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        advance(INTERVAL);
        jwks.publish(K1, K2).holdResponses();

        CompletableFuture<KeyResolution> first = source.resolve("k2", JWSAlgorithm.RS256).toFuture();
        assertThat(awaitRequests(2)).isTrue();
        CompletableFuture<KeyResolution> second = source.resolve("k2", JWSAlgorithm.RS256).toFuture();
        jwks.release();

        assertThat(first).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Found.class);
        assertThat(second).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Found.class);
        assertThat(jwks.requestCount()).isEqualTo(2);
    }

    @Test
    void waitsForTheNextFetchWhenTheFetchInFlightStartedBeforeTheKidWasSeen() throws Exception {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        advance(Duration.ofMinutes(4).plusSeconds(1));
        jwks.holdResponses();
        assertThat(source.cachedKey("k1", JWSAlgorithm.RS256)).isNotNull();
        assertThat(awaitRequests(2)).isTrue();
        advance(Duration.ofMillis(10));

        CompletableFuture<KeyResolution> lookup = source.resolve("k2", JWSAlgorithm.RS256).toFuture();
        jwks.publish(K1, K2);
        jwks.release();
        awaitFetches(source, 2);
        assertThat(lookup).isNotDone();

        advance(INTERVAL);
        assertThat(lookup).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Found.class);
        assertThat(jwks.requestCount()).isEqualTo(3);
    }

    @Test
    void neverRefetchesForAKnownKidWithAnotherAlgorithm() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");

        StepVerifier.create(source.resolve("k1", JWSAlgorithm.ES256))
                .expectNext(new KeyResolution.Missing(KeyResolution.Reason.KID_DOES_NOT_FIT_ALGORITHM))
                .expectComplete().verify(WAIT);
        assertThat(jwks.requestCount()).isEqualTo(1);
    }

    // Lifetime

    @Test
    void reportsNoFetchBeforeTheFirstAndTheFirstAtTheInstantItEndedEvenTheClocksFirst() {
        JwksKeySource source = options().build();
        JwksCacheStats before = source.stats();
        assertFound(source, "k1");
        JwksCacheStats after = source.stats();

        assertThat(before.lastFetchAt()).isNull();
        assertThat(before.lastFetchSucceeded()).isFalse();
        assertThat(after.lastFetchAt()).isEqualTo(java.time.Instant.EPOCH);
        assertThat(after.lastFetchSucceeded()).isTrue();
    }

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
    void refusesAnOversizedBodySentWithoutContentLength() {
        String huge = "{\"keys\":[],\"padding\":\"" + "x".repeat(JwksKeySource.Builder.DEFAULT_MAX_BODY_BYTES) + "\"}";
        assertServesCachedKeysThrough(() -> jwks.publishChunked(huge));
    }

    @Test
    void refusesABodyOneByteOverAConfiguredLimitSentWithoutContentLength() {
        String body = TestTokens.jwks(K1, K2, K3);
        assertThat(body.length()).isGreaterThan(1024);
        jwks.publishChunked(body);
        assertFound(options().maxBodyBytes(body.length()).build(), "k1");

        JwksKeySource tight = options().maxBodyBytes(body.length() - 1).build();
        assertUnavailable(tight, "k1");
        assertThat(tight.stats().lastFailure()).isEqualTo("the response body is larger than " + (body.length() - 1)
                + " bytes");
    }

    @Test
    void refusesABodyOneByteOverAConfiguredLimitItsContentLengthDeclares() {
        String body = TestTokens.jwks(K1, K2, K3);
        jwks.publishJson(body, null);
        assertFound(options().maxBodyBytes(body.length()).build(), "k1");

        JwksKeySource tight = options().maxBodyBytes(body.length() - 1).build();
        assertUnavailable(tight, "k1");
        assertThat(tight.stats().lastFailure()).isEqualTo("the response body is larger than " + (body.length() - 1)
                + " bytes");
    }

    @Test
    void startsTheBackgroundRefreshFromTheCachedKeyPathAlone() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        advance(Duration.ofMinutes(4).minusMillis(1));
        assertThat(source.cachedKey("k1", JWSAlgorithm.RS256)).isNotNull();
        assertThat(source.stats().fetches()).isEqualTo(1);

        advance(Duration.ofMillis(1));
        assertThat(source.cachedKey("k1", JWSAlgorithm.RS256)).isNotNull();
        awaitFetches(source, 2);
        assertThat(jwks.requestCount()).isEqualTo(2);
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
    void servesStaleKeysUntilExactlyMaxStalenessPastTheirExpiry() {
        JwksKeySource source = options().maxStaleness(Duration.ofMinutes(1)).build();
        assertFound(source, "k1");
        jwks.failWith(500);

        advance(Duration.ofMinutes(6).minusMillis(1));
        assertFound(source, "k1");
        Await.until("the failed refresh is recorded", () -> source.stats().failures() == 1);
        assertFound(source, "k1");
        advance(Duration.ofMillis(1));

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
    void describesAnUnforeseenFailureByItsTypeAloneNeverByItsMessage() {
        assertThat(KeyCache.describe(new org.springframework.core.codec.DecodingException("JSON decoding error: {\"keys\""),
                Duration.ofSeconds(5))).isEqualTo("DecodingException");
    }

    @Test
    void takesA3xxAnswerForAFailureNamedByItsStatus() {
        jwks.failWith(300);
        JwksKeySource source = options().build();

        assertUnavailable(source, "k1");
        assertThat(source.stats().lastFailure()).isEqualTo("HTTP status 300");
    }

    @Test
    void answersUnavailableForAnUnknownKidWhileTheEndpointFails() {
        JwksKeySource source = options().build();
        assertFound(source, "k1");
        jwks.failWith(500);
        assertUnavailable(source, "k2");

        StepVerifier.create(source.resolve("k3", JWSAlgorithm.RS256))
                .assertNext(resolution -> assertThat(resolution).isInstanceOf(KeyResolution.Unavailable.class))
                .expectComplete().verify(WAIT);
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
                .isThrownBy(() -> options().refetchInterval(Duration.ZERO).build())
                .withMessage("refetchInterval must be positive");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> options().maxWaitingLookups(0).build())
                .withMessage("maxWaitingLookups must be at least 1");
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
        assertThat(stats.deferredLookups()).isEqualTo(1);
        assertThat(stats.waitingLookups()).isZero();
        assertThat(stats.lookupsTurnedAway()).isZero();
    }

    @Test
    void reportsFreshThenStaleThenUnavailableKeysThroughAnOutage() {
        JwksKeySource source = options().build();
        assertThat(source.stats().freshness()).isEqualTo(JwksCacheStats.Freshness.UNAVAILABLE);
        assertThat(source.stats().refreshAt()).isNull();
        assertThat(source.stats().usableUntil()).isNull();
        assertFound(source, "k1");

        JwksCacheStats fresh = source.stats();
        assertThat(fresh.freshness()).isEqualTo(JwksCacheStats.Freshness.FRESH);
        assertThat(fresh.refreshAt()).isBefore(fresh.expiresAt());
        assertThat(fresh.usableUntil()).isEqualTo(fresh.expiresAt().plus(JwksKeySource.Builder.DEFAULT_MAX_STALENESS));

        jwks.failWith(500);
        advance(JwksKeySource.Builder.DEFAULT_TTL.plusSeconds(1));
        assertFound(source, "k1");
        Await.until("the failed refresh is recorded", () -> source.stats().failures() == 1);
        assertThat(source.stats().freshness()).isEqualTo(JwksCacheStats.Freshness.STALE);

        advance(JwksKeySource.Builder.DEFAULT_MAX_STALENESS);
        assertThat(source.stats().freshness()).isEqualTo(JwksCacheStats.Freshness.UNAVAILABLE);
        assertThat(source.stats().keyCount()).isEqualTo(1);
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
