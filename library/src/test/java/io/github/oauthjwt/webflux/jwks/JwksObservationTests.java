package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.testing.Await;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * {@code oauth.jwks.fetch} and the cache's gauges over a real JWKS endpoint going up and down, time
 * moved by a {@link VirtualTimeScheduler}: one observation per request to the endpoint, each with
 * why it started ({@code trigger}) and how it ended ({@code outcome}); the gauges follow the cache.
 */
class JwksObservationTests {

    private static final TestKey K1 = TestKey.rsa("k1");
    private static final TestKey K2 = TestKey.rsa("k2");
    private static final Duration INTERVAL = JwksKeySource.Builder.DEFAULT_REFETCH_INTERVAL;

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    private JwksServer jwks;
    private VirtualTimeScheduler time;

    @BeforeEach
    void start() {
        jwks = JwksServer.serving(K1);
        time = VirtualTimeScheduler.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
    }

    @AfterEach
    void stop() {
        jwks.close();
        time.dispose();
    }

    private JwksKeySource source(ObservationRegistry observations) {
        return JwksKeySource.builder(jwks.uri()).scheduler(time).observationRegistry(observations).build();
    }

    /** Looks a kid up; if the lookup waits for the next permitted fetch, moves time on to it. */
    private static KeyResolution lookUp(JwksKeySource source, String kid, VirtualTimeScheduler time) {
        CompletableFuture<KeyResolution> result = source.resolve(kid, JWSAlgorithm.RS256).toFuture();
        Await.until("the lookup is answered or waits", () -> result.isDone() || source.stats().waitingLookups() > 0);
        if (!result.isDone()) {
            time.advanceTimeBy(INTERVAL);
        }
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("lookup of " + kid + " failed", e);
        }
    }

    /** Moves time on, then makes a lookup that starts any fetch now due, and waits until it has ended. */
    private void advanceAndLookUp(JwksKeySource source, Duration duration) {
        // A lookup is answered just before its fetch leaves the in-flight slot.
        Await.until("no fetch is in flight", () -> !source.stats().fetchInFlight());
        time.advanceTimeBy(duration);
        long before = source.stats().fetches();
        source.cachedKey("k1", JWSAlgorithm.RS256);
        Await.until("a fetch has started and ended",
                () -> source.stats().fetches() > before && !source.stats().fetchInFlight());
    }

    /** Each fetch observed so far, as "trigger/outcome", in order. */
    private List<String> fetches() {
        List<String> all = new ArrayList<>();
        for (Observation.Context context : stopped) {
            assertThat(context.getName()).isEqualTo("oauth.jwks.fetch");
            KeyValue source = context.getLowCardinalityKeyValue("source");
            assertThat(source).isNotNull();
            assertThat(source.getValue()).isEqualTo(jwks.uri().toString());
            all.add(value(context, "trigger") + "/" + value(context, "outcome"));
        }
        return all;
    }

    private static String value(Observation.Context context, String key) {
        KeyValue keyValue = context.getLowCardinalityKeyValue(key);
        return keyValue == null ? "(none)" : keyValue.getValue();
    }

    @Test
    void observesEachFetchWithItsTriggerAndOutcomeThroughRotationRefreshExpiryAndAnOutage() {
        JwksKeySource source = source(registry);

        assertThat(lookUp(source, "k1", time)).isInstanceOf(KeyResolution.Found.class);
        jwks.publish(K1, K2);
        assertThat(lookUp(source, "k2", time)).isInstanceOf(KeyResolution.Found.class);
        advanceAndLookUp(source, Duration.ofMinutes(4).plusSeconds(1));
        advanceAndLookUp(source, Duration.ofMinutes(6));
        jwks.failWith(503);
        advanceAndLookUp(source, Duration.ofMinutes(6));
        jwks.publish(K1, K2);
        advanceAndLookUp(source, JwksKeySource.Builder.DEFAULT_INITIAL_BACKOFF);

        assertThat(fetches()).containsExactly("initial/success", "unknown_kid/success", "refresh_ahead/success",
                "ttl/success", "ttl/failure", "retry/success");
        assertThat(registry).hasNumberOfObservationsWithNameEqualTo("oauth.jwks.fetch", 6);
        assertThat(stopped.get(4).getHighCardinalityKeyValue("failure")).isEqualTo(KeyValue.of("failure", "HTTP status 503"));
        assertThat(jwks.requestCount()).isEqualTo(6);
    }

    @Test
    void aFirstFetchThatFailsIsRetriedAfterItsBackoff() {
        JwksKeySource source = source(registry);
        jwks.failWith(500);
        assertThat(lookUp(source, "k1", time)).isInstanceOf(KeyResolution.Unavailable.class);
        jwks.publish(K1);
        time.advanceTimeBy(JwksKeySource.Builder.DEFAULT_INITIAL_BACKOFF);
        assertThat(lookUp(source, "k1", time)).isInstanceOf(KeyResolution.Found.class);

        assertThat(fetches()).containsExactly("initial/failure", "retry/success");
    }

    @Test
    void theFetchStartedEventTellsListenersTheTrigger() {
        List<FetchTrigger> triggers = new CopyOnWriteArrayList<>();
        JwksKeySource source = JwksKeySource.builder(jwks.uri()).scheduler(time).listener(event -> {
            if (event instanceof JwksEvent.FetchStarted started) {
                triggers.add(started.trigger());
            }
        }).build();
        lookUp(source, "k1", time);
        jwks.publish(K1, K2);
        lookUp(source, "k2", time);

        assertThat(triggers).containsExactly(FetchTrigger.INITIAL, FetchTrigger.UNKNOWN_KID);
    }

    @Test
    void timesFetchesAndGaugesTheCacheInAMeterRegistry() {
        MeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        JwksKeySource source = source(observations);
        new JwksMetrics(source).bindTo(meters);
        String tag = jwks.uri().toString();

        assertThat(meters.get(JwksMetrics.KEYS).tag("source", tag).gauge().value()).isZero();
        assertThat(meters.get(JwksMetrics.LAST_SUCCESS_AGE).tag("source", tag).gauge().value()).isNaN();

        lookUp(source, "k1", time);
        jwks.publish(K1, K2);
        lookUp(source, "k2", time);
        time.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(meters.get(JwksMetrics.KEYS).tag("source", tag).gauge().value()).isEqualTo(2);
        assertThat(meters.get(JwksMetrics.LAST_SUCCESS_AGE).gauge().value()).isEqualTo(30.0);

        jwks.failWith(503);
        advanceAndLookUp(source, Duration.ofMinutes(5));
        assertThat(meters.get(JwksMetrics.LAST_SUCCESS_AGE).gauge().value()).isEqualTo(330.0);
        assertThat(meters.get(JwksMetrics.KEYS).gauge().value()).isEqualTo(2);

        assertThat(meters.get("oauth.jwks.fetch").tags("outcome", "success", "trigger", "initial", "source", tag)
                .timer().count()).isEqualTo(1);
        assertThat(meters.get("oauth.jwks.fetch").tags("outcome", "success", "trigger", "unknown_kid").timer().count())
                .isEqualTo(1);
        assertThat(meters.get("oauth.jwks.fetch").tags("outcome", "failure", "trigger", "ttl").timer().count())
                .isEqualTo(1);
    }

    @Test
    void eachTriggerHasTheValueItsTagCarries() {
        // value() is public for users' own metrics; the observations read it once, when they are first loaded.
        assertThat(java.util.Arrays.stream(FetchTrigger.values()).map(FetchTrigger::value))
                .containsExactly("retry", "initial", "unknown_kid", "refresh_ahead", "ttl");
    }

    @Test
    void sourceTagLeavesOutUserInfoAndQuery() {
        assertThat(JwksFetchObservations.sourceOf(java.net.URI.create("https://user:secret@login.example:8443/jwks?key=1")))
                .isEqualTo("https://login.example:8443/jwks");
        assertThat(JwksFetchObservations.sourceOf(java.net.URI.create("http://[::1]/oauth/jwks")))
                .isEqualTo("http://[::1]/oauth/jwks");
    }
}
