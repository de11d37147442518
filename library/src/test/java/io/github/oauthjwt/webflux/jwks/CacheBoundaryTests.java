package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.testing.Await;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The key cache's instants, each tested on both sides of its boundary with a
 * {@link VirtualTimeScheduler}: when keys turn stale, which trigger a fetch at the end of the TTL
 * carries, when a backoff ends, and when a lookup waiting through a failed fetch gets its retry.
 * Fetches end at the instant they began (virtual time stands still while the HTTP exchange runs).
 */
class CacheBoundaryTests {

    private static final TestKey K1 = TestKey.rsa("k1");
    private static final TestKey K2 = TestKey.rsa("k2");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration TTL = JwksKeySource.Builder.DEFAULT_TTL;

    private JwksServer jwks;
    private VirtualTimeScheduler time;
    private final List<JwksEvent> events = new CopyOnWriteArrayList<>();

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
        JwksKeySource source = options.scheduler(time).listener(events::add).build();
        source.keys().block(WAIT);
        return source;
    }

    private static CompletableFuture<KeyResolution> lookUp(JwksKeySource source, String kid) {
        return source.resolve(kid, JWSAlgorithm.RS256).toFuture();
    }

    private void awaitIdle(JwksKeySource source) {
        Await.until("no fetch is in flight", () -> !source.stats().fetchInFlight());
    }

    private List<FetchTrigger> triggers() {
        return events.stream().filter(JwksEvent.FetchStarted.class::isInstance)
                .map(event -> ((JwksEvent.FetchStarted) event).trigger()).toList();
    }

    @Test
    void keysAreFreshUntilTheLastMillisecondOfTheirTtlAndStaleFromItsEnd() {
        JwksKeySource source = warmSource(JwksKeySource.builder(jwks.uri()));

        time.advanceTimeBy(TTL.minusMillis(1));
        assertThat(source.stats().freshness()).isEqualTo(JwksCacheStats.Freshness.FRESH);
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(source.stats().freshness()).isEqualTo(JwksCacheStats.Freshness.STALE);
    }

    @Test
    void aFetchOneMillisecondBeforeTheTtlEndsIsARefreshAheadAndOneAtItsEndIsATtlFetch() {
        JwksKeySource early = warmSource(JwksKeySource.builder(jwks.uri()));
        time.advanceTimeBy(TTL.minusMillis(1));
        assertThat(lookUp(early, "k1")).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Found.class);
        awaitIdle(early);
        assertThat(triggers()).containsExactly(FetchTrigger.INITIAL, FetchTrigger.REFRESH_AHEAD);

        events.clear();
        JwksKeySource atEnd = warmSource(JwksKeySource.builder(jwks.uri()));
        time.advanceTimeBy(TTL);
        assertThat(lookUp(atEnd, "k1")).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Found.class);
        awaitIdle(atEnd);
        assertThat(triggers()).containsExactly(FetchTrigger.INITIAL, FetchTrigger.TTL);
    }

    @Test
    void anUnknownKidIsAnsweredAtOnceUntilTheBackoffEndsAndWaitsForTheRetryFromItsLastInstant() {
        JwksKeySource source = warmSource(JwksKeySource.builder(jwks.uri()));
        jwks.failWith(500);
        time.advanceTimeBy(JwksKeySource.Builder.DEFAULT_REFETCH_INTERVAL);
        assertThat(lookUp(source, "k2")).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Unavailable.class);
        awaitIdle(source);
        // The fetch for k2 failed at 2 s: fetches back off for the initial backoff, 1 s.

        time.advanceTimeBy(Duration.ofMillis(999));
        assertThat(lookUp(source, "k3")).isCompletedWithValue(
                new KeyResolution.Unavailable(Duration.ofSeconds(1), "HTTP status 500"));

        time.advanceTimeBy(Duration.ofMillis(1));
        CompletableFuture<KeyResolution> atTheEnd = lookUp(source, "k4");
        assertThat(atTheEnd).isNotDone();
        assertThat(events).filteredOn(JwksEvent.RefetchDeferred.class::isInstance).containsExactly(
                new JwksEvent.RefetchDeferred(jwks.uri(), Duration.ofSeconds(1)));

        jwks.publish(K1, K2);
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(atTheEnd).succeedsWithin(WAIT).isEqualTo(new KeyResolution.Missing(KeyResolution.Reason.UNKNOWN_KID));
        assertThat(triggers()).containsExactly(FetchTrigger.INITIAL, FetchTrigger.UNKNOWN_KID, FetchTrigger.RETRY);
    }

    @Test
    void aLookupWaitingThroughAFetchThatFailsGetsTheRetryWhenTheBackoffEndsNotWhenTheIntervalDoes() {
        JwksKeySource source = warmSource(JwksKeySource.builder(jwks.uri()).refetchInterval(Duration.ofSeconds(1))
                .timeout(Duration.ofSeconds(2)).retryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5)));
        time.advanceTimeBy(TTL.minusMinutes(1));
        jwks.holdResponses();
        assertThat(lookUp(source, "k1")).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Found.class);
        // A refresh is in flight (held) when k2 is first seen, so k2 waits for the fetch after it.
        CompletableFuture<KeyResolution> waiting = lookUp(source, "k2");
        assertThat(triggers()).containsExactly(FetchTrigger.INITIAL, FetchTrigger.REFRESH_AHEAD);

        // The refresh times out 2 s after it began and fails: the retry may start 5 s later, although the
        // refetch interval (1 s after the refresh began) has long passed.
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(triggers()).hasSize(2);
        time.advanceTimeBy(Duration.ofMillis(4999));
        assertThat(triggers()).hasSize(2);
        assertThat(waiting).isCompletedWithValue(
                new KeyResolution.Unavailable(Duration.ofSeconds(4), "no complete response within 2000 ms"));

        jwks.publish(K1, K2);
        jwks.release();
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(triggers()).containsExactly(FetchTrigger.INITIAL, FetchTrigger.REFRESH_AHEAD, FetchTrigger.RETRY);
        awaitIdle(source);
        assertThat(lookUp(source, "k2")).succeedsWithin(WAIT).isInstanceOf(KeyResolution.Found.class);
    }
}
