package io.github.oauthjwt.webflux.jwks;

import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The listener behind {@link JwksKeySource.Builder#observationRegistry}: one {@code oauth.jwks.fetch}
 * observation per fetch, from {@link JwksEvent.FetchStarted} to {@link JwksEvent.FetchSucceeded} or
 * {@link JwksEvent.FetchFailed}, with the low-cardinality keys {@code outcome}, {@code trigger} and
 * {@code source}, and on a failure its reason as the high-cardinality key {@code failure} (for
 * traces). A key source runs one fetch at a time and ends it before it starts the next, so one
 * slot holds the fetch in flight. Thread-safe.
 */
final class JwksFetchObservations implements JwksListener {

    /** The observation's name; Micrometer's default handler makes it the timer {@code oauth.jwks.fetch}. */
    static final String NAME = "oauth.jwks.fetch";

    private static final KeyValue SUCCESS = KeyValue.of("outcome", "success");
    private static final KeyValue FAILURE = KeyValue.of("outcome", "failure");
    private static final KeyValue[] TRIGGERS = triggers();

    private final ObservationRegistry registry;
    private final KeyValue source;
    private final AtomicReference<@Nullable Observation> inFlight = new AtomicReference<>();

    JwksFetchObservations(URI uri, ObservationRegistry registry) {
        this.registry = registry;
        this.source = KeyValue.of("source", sourceOf(uri));
    }

    @Override
    public void onEvent(JwksEvent event) {
        if (event instanceof JwksEvent.FetchStarted started) {
            Observation observation = Observation.createNotStarted(NAME, registry)
                    .lowCardinalityKeyValue(source)
                    .lowCardinalityKeyValue(TRIGGERS[started.trigger().ordinal()])
                    .start();
            // The slot is empty: the key source announces a fetch's end before the next can start.
            inFlight.set(observation);
        } else if (event instanceof JwksEvent.FetchSucceeded) {
            stop(inFlight.getAndSet(null), SUCCESS);
        } else if (event instanceof JwksEvent.FetchFailed failed) {
            Observation observation = inFlight.getAndSet(null);
            if (observation != null) {
                stop(observation.highCardinalityKeyValue("failure", failed.reason()), FAILURE);
            }
        }
    }

    private static void stop(@Nullable Observation observation, KeyValue outcome) {
        if (observation != null) {
            observation.lowCardinalityKeyValue(outcome).stop();
        }
    }

    /**
     * The {@code source} of a key source's metrics: its endpoint (or issuer) without user info,
     * query or fragment, so that no credential in a configured URI becomes a tag.
     */
    static String sourceOf(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static KeyValue[] triggers() {
        FetchTrigger[] all = FetchTrigger.values();
        KeyValue[] values = new KeyValue[all.length];
        for (FetchTrigger trigger : all) {
            values[trigger.ordinal()] = KeyValue.of("trigger", trigger.value());
        }
        return values;
    }
}
