package io.github.oauthjwt.webflux.dpop;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A shared {@link ReplayStore} (such as Redis) with what happens when it cannot answer: a WARN once
 * per outage and an INFO when it answers again, and then either the error (fail closed: the filter
 * answers 503) or the answer of a store in this JVM's memory (fail open: a proof replayed against
 * another node during the outage is not caught, one replayed against this node is). Thread-safe.
 */
final class GuardedReplayStore implements ReplayStore {

    private static final Log log = LogFactory.getLog(GuardedReplayStore.class);

    private final ReplayStore shared;
    private final @Nullable ReplayStore fallback;
    private final AtomicBoolean inOutage = new AtomicBoolean();

    /**
     * @param shared the store every node shares
     * @param fallback the store used while {@code shared} fails, or {@code null} to fail closed
     */
    GuardedReplayStore(ReplayStore shared, @Nullable ReplayStore fallback) {
        this.shared = shared;
        this.fallback = fallback;
    }

    @Override
    public Mono<Boolean> markUsed(String key, Duration ttl) {
        return Mono.defer(() -> shared.markUsed(key, ttl))
                .doOnNext(answered -> {
                    if (inOutage.compareAndSet(true, false)) {
                        log.info("The DPoP replay store answers again; proofs are checked against it once more");
                    }
                })
                .onErrorResume(error -> {
                    if (inOutage.compareAndSet(false, true)) {
                        log.warn("The DPoP replay store cannot answer (" + error.getClass().getSimpleName() + "); "
                                + (fallback != null
                                        ? "until it recovers, proofs are checked against this node's memory only,"
                                                + " so a proof replayed against another node is not caught"
                                        : "until it recovers, DPoP requests are answered 503"));
                    }
                    return fallback != null ? fallback.markUsed(key, ttl) : Mono.error(error);
                });
    }

    /** Whether the shared store failed and has not answered since. */
    boolean inOutage() {
        return inOutage.get();
    }
}
