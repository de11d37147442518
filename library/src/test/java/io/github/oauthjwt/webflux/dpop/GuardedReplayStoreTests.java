package io.github.oauthjwt.webflux.dpop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.oauthjwt.testing.LogCapture;
import io.github.oauthjwt.testing.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** What happens while the shared replay store cannot answer: the error (fail closed) or this node's memory (fail open). */
class GuardedReplayStoreTests {

    private final AtomicBoolean down = new AtomicBoolean();
    private final InMemoryReplayStore sharedMemory = new InMemoryReplayStore(100, MovableClock.atNow());
    private final ReplayStore shared = (key, ttl) -> down.get()
            ? Mono.error(new IllegalStateException("connection refused")) : sharedMemory.markUsed(key, ttl);

    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = LogCapture.of(GuardedReplayStore.class);
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    @Test
    void logsOnceWhenAnOutageBeginsAndOnceWhenItEndsSayingWhatHappensMeanwhile() {
        GuardedReplayStore closed = new GuardedReplayStore(shared, null);
        GuardedReplayStore open = new GuardedReplayStore(shared, new InMemoryReplayStore(100, MovableClock.atNow()));
        StepVerifier.create(closed.markUsed("before", Duration.ofSeconds(10))).expectNext(true).verifyComplete();
        StepVerifier.create(open.markUsed("before-open", Duration.ofSeconds(10))).expectNext(true).verifyComplete();
        down.set(true);
        for (String key : List.of("a", "b", "c")) {
            StepVerifier.create(closed.markUsed(key, Duration.ofSeconds(10))).expectError().verify();
            StepVerifier.create(open.markUsed(key, Duration.ofSeconds(10))).expectNext(true).verifyComplete();
        }
        down.set(false);
        for (String key : List.of("d", "e")) {
            StepVerifier.create(closed.markUsed(key, Duration.ofSeconds(10))).expectNext(true).verifyComplete();
            StepVerifier.create(open.markUsed(key + key, Duration.ofSeconds(10))).expectNext(true).verifyComplete();
        }

        String recovered = "INFO The DPoP replay store answers again; proofs are checked against it once more";
        assertThat(log.lines()).containsExactly(
                "WARNING The DPoP replay store cannot answer (IllegalStateException); until it recovers, DPoP requests"
                        + " are answered 503",
                "WARNING The DPoP replay store cannot answer (IllegalStateException); until it recovers, proofs are"
                        + " checked against this node's memory only, so a proof replayed against another node is not caught",
                recovered, recovered);
    }

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
