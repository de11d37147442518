package io.github.oauthjwt.webflux.jwks;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs at most one unit of work at a time and hands every caller that arrives meanwhile the same
 * in-flight {@link Mono}: Caffeine's shared-future idea in Reactor terms, without locks.
 *
 * <p>The work is subscribed once, by this class, so a caller that cancels (a client that went away)
 * never cancels it for the others. Its result is first given to a {@code settle} callback (to
 * record it), then the slot is freed, then waiters receive it; so anyone who finds the slot free
 * also finds the result recorded. Errors are not cached: the next call after a failure runs anew.
 *
 * @param <T> what the work emits
 */
final class SingleFlight<T> {

    private final AtomicReference<@Nullable Mono<T>> inFlight = new AtomicReference<>();

    /** The run in flight, or {@code null}. */
    @Nullable Mono<T> current() {
        return inFlight.get();
    }

    /**
     * Joins the run in flight, or starts {@code work} if there is none. {@code settle} receives the
     * value or the error of a run this call started, before any waiter does.
     */
    Mono<T> join(Supplier<Mono<T>> work, BiConsumer<@Nullable T, @Nullable Throwable> settle) {
        for (;;) {
            Mono<T> running = inFlight.get();
            if (running != null) {
                return running;
            }
            Sinks.One<T> sink = Sinks.one();
            Mono<T> shared = sink.asMono();
            if (inFlight.compareAndSet(null, shared)) {
                Mono.defer(work).subscribe(
                        value -> {
                            settle.accept(value, null);
                            inFlight.compareAndSet(shared, null);
                            sink.tryEmitValue(value);
                        },
                        error -> {
                            settle.accept(null, error);
                            inFlight.compareAndSet(shared, null);
                            sink.tryEmitError(error);
                        });
                return shared;
            }
        }
    }
}
