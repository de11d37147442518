package io.github.oauthjwt.webflux.dpop;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import reactor.core.publisher.Mono;

/**
 * The used proofs of one JVM: a Caffeine map from key to its TTL, each entry expiring that long
 * after it is written, by the clock. {@code putIfAbsent} makes the check and the mark one atomic
 * step. Bounded by refusing new keys when full (never by evicting a live one, which would let its
 * proof be replayed). Thread-safe, non-blocking; housekeeping runs on the calling thread.
 */
final class InMemoryReplayStore implements ReplayStore {

    private final long maxEntries;
    private final Clock clock;
    private final Cache<String, Duration> used;

    InMemoryReplayStore(long maxEntries, Clock clock) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
        this.clock = clock;
        this.used = Caffeine.newBuilder()
                .ticker(this::nowNanos)
                .expireAfter(Expiry.writing((String key, Duration ttl) -> ttl))
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Mono<Boolean> markUsed(String key, Duration ttl) {
        return Mono.fromSupplier(() -> {
            if (used.estimatedSize() >= maxEntries) {
                used.cleanUp();
                if (used.estimatedSize() >= maxEntries) {
                    throw new IllegalStateException("the in-memory DPoP replay store holds its maximum of "
                            + maxEntries + " proofs");
                }
            }
            return used.asMap().putIfAbsent(key, ttl) == null;
        });
    }

    /** How many keys are remembered, after expired ones are dropped. */
    long size() {
        used.cleanUp();
        return used.estimatedSize();
    }

    private long nowNanos() {
        return TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }
}
