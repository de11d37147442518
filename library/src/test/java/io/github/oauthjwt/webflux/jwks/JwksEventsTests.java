package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.testing.Await;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * What a {@link JwksListener} hears, event by event with every field: a fetch, an outage on a cold
 * start and its recovery, an outage while keys are cached, and a lookup that waits for the next
 * fetch. Time is a {@link VirtualTimeScheduler} started ten seconds after the epoch, so that a
 * fetch's elapsed time (zero: the virtual clock stands still while it runs) is not the time itself.
 */
class JwksEventsTests {

    private static final TestKey K1 = TestKey.rsa("k1");
    private static final TestKey K2 = TestKey.rsa("k2");
    private static final Duration START = Duration.ofSeconds(10);
    private static final Duration TTL = JwksKeySource.Builder.DEFAULT_TTL;

    private final List<JwksEvent> events = new CopyOnWriteArrayList<>();
    private JwksServer jwks;
    private VirtualTimeScheduler time;
    private URI uri;

    @BeforeEach
    void start() {
        jwks = JwksServer.serving(K1);
        uri = jwks.uri();
        time = VirtualTimeScheduler.create();
        time.advanceTimeBy(START);
    }

    @AfterEach
    void stop() {
        jwks.close();
        time.dispose();
    }

    private JwksKeySource source() {
        return JwksKeySource.builder(uri).scheduler(time).listener(events::add).build();
    }

    private KeyResolution lookUp(JwksKeySource source, String kid) {
        try {
            return source.resolve(kid, JWSAlgorithm.RS256).toFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("lookup of " + kid + " failed", e);
        }
    }

    private void awaitEvents(int count) {
        Await.until(count + " events", () -> events.size() >= count);
    }

    @Test
    void announcesAFetchWithItsStatusKeysElapsedTimeAndTtl() {
        assertThat(lookUp(source(), "k1")).isInstanceOf(KeyResolution.Found.class);
        awaitEvents(3);

        assertThat(events).containsExactly(new JwksEvent.FetchStarted(uri, FetchTrigger.INITIAL),
                new JwksEvent.FetchSucceeded(uri, 200, 1, Duration.ZERO, TTL),
                new JwksEvent.KeySetChanged(uri, Set.of("k1"), Set.of()));
    }

    @Test
    void announcesAColdStartOutageAndItsEnd() {
        jwks.failWith(500);
        JwksKeySource source = source();
        assertThat(lookUp(source, "k1")).isInstanceOf(KeyResolution.Unavailable.class);
        awaitEvents(3);
        assertThat(events).containsExactly(new JwksEvent.FetchStarted(uri, FetchTrigger.INITIAL),
                new JwksEvent.FetchFailed(uri, "HTTP status 500", Duration.ZERO, 1, Duration.ofSeconds(1)),
                new JwksEvent.OutageBegan(uri, "HTTP status 500", Duration.ZERO, 0, null));
        events.clear();

        jwks.publish(K1, K2);
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(lookUp(source, "k1")).isInstanceOf(KeyResolution.Found.class);
        awaitEvents(4);

        assertThat(events).containsExactly(new JwksEvent.FetchStarted(uri, FetchTrigger.RETRY), new JwksEvent.OutageEnded(uri, 1),
                new JwksEvent.FetchSucceeded(uri, 200, 2, Duration.ZERO, TTL),
                new JwksEvent.KeySetChanged(uri, Set.of("k1", "k2"), Set.of()));
    }

    @Test
    void announcesAnOutageWhileKeysAreCachedWithHowLongTheyServe() {
        JwksKeySource source = source();
        lookUp(source, "k1");
        awaitEvents(3);
        events.clear();
        jwks.failWith(503);

        time.advanceTimeBy(TTL.plusSeconds(1));
        assertThat(lookUp(source, "k1")).isInstanceOf(KeyResolution.Found.class);
        awaitEvents(3);

        Instant servingUntil = Instant.ofEpochMilli(START.plus(TTL).plus(JwksKeySource.Builder.DEFAULT_MAX_STALENESS)
                .toMillis());
        assertThat(events).containsExactly(new JwksEvent.FetchStarted(uri, FetchTrigger.TTL),
                new JwksEvent.FetchFailed(uri, "HTTP status 503", Duration.ZERO, 1, Duration.ofSeconds(1)),
                new JwksEvent.OutageBegan(uri, "HTTP status 503", Duration.ZERO, 1, servingUntil));
    }

    @Test
    void announcesALookupThatWaitsForTheNextFetchTheIntervalAllows() {
        JwksKeySource source = source();
        lookUp(source, "k1");
        awaitEvents(3);
        events.clear();
        jwks.publish(K1, K2);

        var lookup = source.resolve("k2", JWSAlgorithm.RS256).toFuture();
        awaitEvents(1);
        assertThat(events).containsExactly(
                new JwksEvent.RefetchDeferred(uri, JwksKeySource.Builder.DEFAULT_REFETCH_INTERVAL));
        time.advanceTimeBy(JwksKeySource.Builder.DEFAULT_REFETCH_INTERVAL);

        assertThat(lookup).succeedsWithin(Duration.ofSeconds(10)).isInstanceOf(KeyResolution.Found.class);
    }
}
