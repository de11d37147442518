package io.github.oauthjwt.webflux.jwks;

import java.util.Objects;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The gauges of one {@link JwksKeySource}, for a Micrometer {@link MeterRegistry}:
 * <ul>
 *   <li>{@code oauth.jwks.keys}: how many keys the cache holds (Prometheus: {@code oauth_jwks_keys});</li>
 *   <li>{@code oauth.jwks.last.success.age}: seconds since the last successful fetch ended, NaN before
 *       the first (Prometheus: {@code oauth_jwks_last_success_age_seconds}). It grows past the keys'
 *       TTL only while fetches fail: alert on it.</li>
 * </ul>
 * Both carry the tag {@code source}: the key source's endpoint, or its issuer, without user info or
 * query. They are read from the cache when the registry is scraped and hold the key source weakly,
 * as Micrometer's gauges do. Bind it with {@code new JwksMetrics(keys).bindTo(registry)}; Spring Boot
 * binds a {@link MeterBinder} bean by itself. The fetches themselves are timed by
 * {@link JwksKeySource.Builder#observationRegistry}. Needs {@code micrometer-core}, an optional
 * dependency of this library; nothing else loads this class.
 */
public final class JwksMetrics implements MeterBinder {

    /** The name of the gauge of cached keys. */
    public static final String KEYS = "oauth.jwks.keys";
    /** The name of the gauge of seconds since the last successful fetch. */
    public static final String LAST_SUCCESS_AGE = "oauth.jwks.last.success.age";

    private final JwksKeySource source;

    /** The gauges of this key source. */
    public JwksMetrics(JwksKeySource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Tags tags = Tags.of("source", JwksFetchObservations.sourceOf(source.uri()));
        Gauge.builder(KEYS, source, keys -> keys.stats().keyCount())
                .tags(tags)
                .baseUnit("keys")
                .description("Signing keys in the JWKS cache")
                .register(registry);
        Gauge.builder(LAST_SUCCESS_AGE, source, JwksKeySource::secondsSinceLastSuccess)
                .tags(tags)
                .baseUnit("seconds")
                .description("Time since the last successful JWKS fetch ended")
                .register(registry);
    }
}
