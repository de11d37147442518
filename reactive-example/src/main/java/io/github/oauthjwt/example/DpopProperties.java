package io.github.oauthjwt.example;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.webflux.dpop.ReplayStore;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code oauth-jwt.dpop.*} settings: whether the API accepts DPoP-bound tokens (RFC 9449) and
 * where it remembers used proofs. Each one left unset keeps the {@link DpopOptions.Builder} default.
 *
 * @param mode {@code disabled}, {@code allowed} (Bearer and DPoP, the default) or {@code required}
 * @param redisUri a Redis shared by every node, such as {@code redis://127.0.0.1:6379}; unset, each
 *     node remembers proofs in its own memory
 * @param onRedisFailure {@code fail-closed} (503 while Redis is down, the default) or
 *     {@code fall-back-to-memory}
 * @param algorithms the accepted proof algorithms
 * @param maxAge the oldest a proof's {@code iat} may be (default 60s)
 * @param maxFuture how far ahead a proof's {@code iat} may be (default 10s)
 * @param nonceSecret when set (at least 32 characters, the same on every node), proofs must carry a
 *     server nonce (RFC 9449 §9)
 * @param noncePeriod how long a nonce is current (default 5m)
 */
@ConfigurationProperties("oauth-jwt.dpop")
public record DpopProperties(
        @DefaultValue("allowed") DpopOptions.Mode mode,
        @Nullable String redisUri,
        @DefaultValue("fail-closed") DpopOptions.OnStoreFailure onRedisFailure,
        @DefaultValue List<String> algorithms,
        @Nullable Duration maxAge,
        @Nullable Duration maxFuture,
        @Nullable String nonceSecret,
        @Nullable Duration noncePeriod) {

    /** Checks nothing the library does not check; copies the list. */
    public DpopProperties {
        algorithms = List.copyOf(algorithms);
    }

    /** Whether a Redis is configured. */
    public boolean usesRedis() {
        return redisUri != null && !redisUri.isBlank();
    }

    /**
     * The library's options for these settings, with {@code redis} as the replay store when one is configured.
     *
     * @throws IllegalArgumentException naming the option that the library refuses
     */
    public DpopOptions options(@Nullable ReplayStore redis) {
        DpopOptions.Builder builder = DpopOptions.builder().mode(mode);
        PropertyMapper map = PropertyMapper.get();
        map.from(redis).to(store -> builder.replayStore(store, onRedisFailure));
        map.from(algorithms).whenNot(List::isEmpty).as(names -> names.toArray(String[]::new)).to(builder::algorithms);
        if (maxAge != null || maxFuture != null) {
            builder.iatWindow(maxAge != null ? maxAge : DpopOptions.DEFAULT_MAX_AGE,
                    maxFuture != null ? maxFuture : DpopOptions.DEFAULT_MAX_FUTURE);
        }
        map.from(nonceSecret).whenHasText().to(secret -> builder.nonces(secret.getBytes(StandardCharsets.UTF_8),
                noncePeriod != null ? noncePeriod : DpopOptions.DEFAULT_NONCE_PERIOD));
        return builder.build();
    }

    /** The settings, with the nonce secret masked so it cannot reach a log. */
    @Override
    public String toString() {
        return "DpopProperties[mode=" + mode + ", redisUri=" + redisUri + ", onRedisFailure=" + onRedisFailure
                + ", algorithms=" + algorithms + ", maxAge=" + maxAge + ", maxFuture=" + maxFuture + ", nonceSecret="
                + (nonceSecret == null ? null : "****") + ", noncePeriod=" + noncePeriod + "]";
    }
}
