package io.github.oauthjwt.webflux.dpop;

import java.time.Clock;
import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Remembers which DPoP proofs were used, so that a proof is accepted once (RFC 9449 §11.1). A key
 * names one proof (a hash of its key's thumbprint and its {@code jti}); it is remembered for as long
 * as the proof could still pass the {@code iat} window.
 *
 * <p>The default, {@link #inMemory}, serves one API node. Several nodes behind a load balancer need
 * one store they all share, such as the Redis store of the {@code webflux-oauth-jwt-dpop-redis}
 * module, or a proof replayed against another node is accepted there. Implementations must be
 * thread-safe and must not block: {@link #markUsed} is called on the event loop.
 */
@FunctionalInterface
public interface ReplayStore {

    /**
     * Marks {@code key} as used for {@code ttl}, atomically: of any number of concurrent calls with
     * one key within its {@code ttl}, on any node sharing the store, exactly one emits {@code true}.
     *
     * @return a {@code Mono} that emits {@code true} when the key was not in use and now is,
     *     {@code false} when it was already in use, or an error when the store cannot answer (the
     *     filter then answers 503 or falls back, as {@link DpopOptions.Builder#replayStore} says)
     */
    Mono<Boolean> markUsed(String key, Duration ttl);

    /**
     * A store in this JVM's memory, holding at most {@code maxEntries} keys, each forgotten when its
     * {@code ttl} has passed by {@code clock}. When it is full, {@link #markUsed} emits an error
     * rather than forget a key early, so the filter answers 503 instead of accepting a replay.
     *
     * @throws IllegalArgumentException if {@code maxEntries} is not positive
     */
    static ReplayStore inMemory(long maxEntries, Clock clock) {
        return new InMemoryReplayStore(maxEntries, clock);
    }
}
