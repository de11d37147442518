package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The trigger that makes sure a fetch starts for the lookups waiting on it, driven by hand: the
 * fetch in flight, the earliest start and the start itself are the test's, time is virtual.
 */
class NextFetchTests {

    private static final KeySet KEYS = new KeySet(List.of());

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final AtomicReference<@Nullable Mono<?>> inFlight = new AtomicReference<>();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicReference<NextFetch> next = new AtomicReference<>();

    @AfterEach
    void stop() {
        time.dispose();
    }

    private NextFetch nextFetch(Runnable start) {
        NextFetch created = new NextFetch(time, () -> time.now(TimeUnit.MILLISECONDS), inFlight::get,
                () -> time.now(TimeUnit.MILLISECONDS), start);
        next.set(created);
        return created;
    }

    /** A start that begins a fetch which takes the waiters and brings {@link #KEYS} at once. */
    private void fetchNow() {
        starts.incrementAndGet();
        Sinks.One<KeySet> waiters = next.get().take();
        if (waiters != null) {
            waiters.tryEmitValue(KEYS);
        }
    }

    @Test
    void whenTheStartFindsAnotherFetchAlreadyBegunTheWaitersGetTheFetchAfterIt() {
        // The first start loses a race: another caller began a fetch just before, which took no waiters.
        Sinks.One<String> other = Sinks.one();
        NextFetch nextFetch = nextFetch(() -> {
            if (starts.get() == 0) {
                starts.incrementAndGet();
                inFlight.set(other.asMono());
            } else {
                fetchNow();
            }
        });

        CompletableFuture<KeySet> joined = nextFetch.join().toFuture();
        assertThat(starts).hasValue(1);
        assertThat(joined).isNotDone();

        inFlight.set(null);
        other.tryEmitValue("the other fetch ended");

        assertThat(starts).hasValue(2);
        assertThat(joined).isCompletedWithValue(KEYS);
    }

    @Test
    void aFetchInFlightThatFailsStartsTheNextOneForTheWaiters() {
        Sinks.One<String> failing = Sinks.one();
        inFlight.set(failing.asMono());
        NextFetch nextFetch = nextFetch(this::fetchNow);

        CompletableFuture<KeySet> joined = nextFetch.join().toFuture();
        assertThat(starts).hasValue(0);

        inFlight.set(null);
        failing.tryEmitError(new IllegalStateException("the fetch in flight failed"));

        assertThat(starts).hasValue(1);
        assertThat(joined).isCompletedWithValue(KEYS);
    }

    @Test
    void waitersThatJoinBeforeTheStartShareOneFetch() {
        Sinks.One<String> running = Sinks.one();
        inFlight.set(running.asMono());
        NextFetch nextFetch = nextFetch(this::fetchNow);

        CompletableFuture<KeySet> first = nextFetch.join().toFuture();
        CompletableFuture<KeySet> second = nextFetch.join().toFuture();
        inFlight.set(null);
        running.tryEmitValue("done");

        assertThat(starts).hasValue(1);
        assertThat(first).isCompletedWithValue(KEYS);
        assertThat(second).isCompletedWithValue(KEYS);
    }
}
