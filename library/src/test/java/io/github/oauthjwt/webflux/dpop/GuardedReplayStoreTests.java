package io.github.oauthjwt.webflux.dpop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.oauthjwt.testing.MovableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** What happens while the shared replay store cannot answer: the error (fail closed) or this node's memory (fail open). */
class GuardedReplayStoreTests {

    private final AtomicBoolean down = new AtomicBoolean();
    private final InMemoryReplayStore sharedMemory = new InMemoryReplayStore(100, MovableClock.atNow());
    private final ReplayStore shared = (key, ttl) -> down.get()
            ? Mono.error(new IllegalStateException("connection refused")) : sharedMemory.markUsed(key, ttl);

    @Test
    void passesTheErrorOnWhenFailingClosedAndRecoversWithTheStore() {
        GuardedReplayStore store = new GuardedReplayStore(shared, null);
        down.set(true);
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(10))).expectErrorMessage("connection refused").verify();
        assertThat(store.inOutage()).isTrue();
        down.set(false);
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(10))).expectNext(true).verifyComplete();
        assertThat(store.inOutage()).isFalse();
    }

    @Test
    void checksAgainstMemoryWhileTheStoreIsDownWhenFailingOpen() {
        GuardedReplayStore store = new GuardedReplayStore(shared, new InMemoryReplayStore(100, MovableClock.atNow()));
        down.set(true);
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(10))).expectNext(true).verifyComplete();
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(10))).expectNext(false).verifyComplete();
        assertThat(store.inOutage()).isTrue();
        down.set(false);
        // The shared store never saw "a": a proof used only during the outage is accepted once more by it.
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(10))).expectNext(true).verifyComplete();
        assertThat(store.inOutage()).isFalse();
    }
}
