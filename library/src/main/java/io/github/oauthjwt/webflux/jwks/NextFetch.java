package io.github.oauthjwt.webflux.jwks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The lookups waiting for the next fetch to start, and the one trigger that starts it once the
 * fetch in flight has ended and the earliest allowed start has come. The fetch that starts next,
 * whatever made it start (this trigger, a refresh, a cold lookup), {@linkplain #take() takes}
 * every waiter at once. Lock-free; it schedules, never sleeps.
 */
final class NextFetch {

    private final AtomicReference<Sinks.@Nullable One<KeySet>> waiters = new AtomicReference<>();
    private final AtomicBoolean armed = new AtomicBoolean();
    private final Scheduler scheduler;
    private final LongSupplier clock;
    private final Supplier<@Nullable Mono<?>> inFlight;
    private final LongSupplier earliestStart;
    private final Runnable start;

    /**
     * @param clock the current time, in the cache's milliseconds
     * @param inFlight the fetch in flight, or {@code null}
     * @param earliestStart when the next fetch may start at the earliest (refetch interval, backoff)
     * @param start starts a fetch, which then calls {@link #take()}
     */
    NextFetch(Scheduler scheduler, LongSupplier clock, Supplier<@Nullable Mono<?>> inFlight, LongSupplier earliestStart,
            Runnable start) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.inFlight = inFlight;
        this.earliestStart = earliestStart;
        this.start = start;
    }

    /** Emits the keys of the next fetch to start (an error if it fails), making sure one will. */
    Mono<KeySet> join() {
        Sinks.One<KeySet> joined = waiters.updateAndGet(current -> current != null ? current : Sinks.one());
        Mono<KeySet> keys = joined.asMono();
        arm();
        return keys;
    }

    /** Takes the waiters for a fetch that is starting now, or {@code null} when none wait. */
    Sinks.@Nullable One<KeySet> take() {
        return waiters.getAndSet(null);
    }

    private void arm() {
        if (waiters.get() == null || !armed.compareAndSet(false, true)) {
            return;
        }
        Mono<?> running = inFlight.get();
        if (running != null) {
            running.subscribe(ended -> rearm(), error -> rearm());
            return;
        }
        long now = clock.getAsLong();
        long startAt = earliestStart.getAsLong();
        if (startAt > now) {
            scheduler.schedule(this::rearm, startAt - now, TimeUnit.MILLISECONDS);
            return;
        }
        armed.set(false);
        start.run();
        arm();
    }

    private void rearm() {
        armed.set(false);
        arm();
    }
}
