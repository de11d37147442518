package io.github.oauthjwt.webflux.dpop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.oauthjwt.testing.MovableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The in-memory replay store: one use per key, forgotten after its TTL by the clock, refusing when full. */
class InMemoryReplayStoreTests {

    private final MovableClock clock = MovableClock.atNow();
    private final InMemoryReplayStore store = new InMemoryReplayStore(3, clock);

    @Test
    void marksAKeyOnceAndRefusesItUntilItsTtlHasPassed() {
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(70))).expectNext(true).verifyComplete();
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(70))).expectNext(false).verifyComplete();
        clock.advance(Duration.ofSeconds(69));
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(70))).expectNext(false).verifyComplete();
        clock.advance(Duration.ofSeconds(1));
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(70))).expectNext(true).verifyComplete();
    }

    @Test
    void remembersAKeyMarkedAgainAfterItsTtlForItsNewTtl() {
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(10))).expectNext(true).verifyComplete();
        clock.advance(Duration.ofSeconds(10));
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(30))).expectNext(true).verifyComplete();
        clock.advance(Duration.ofSeconds(29));
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(30))).expectNext(false).verifyComplete();
        clock.advance(Duration.ofSeconds(1));
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(30))).expectNext(true).verifyComplete();
    }

    @Test
    void countsOnlyTheKeysWhoseTtlHasNotPassed() {
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(10))).expectNext(true).verifyComplete();
        StepVerifier.create(store.markUsed("b", Duration.ofSeconds(20))).expectNext(true).verifyComplete();
        assertThat(store.size()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(10));
        assertThat(store.size()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(store.size()).isZero();
    }

    @Test
    void refusesNewKeysWhenFullRatherThanForgetALiveOne() {
        for (String key : List.of("a", "b", "c")) {
            StepVerifier.create(store.markUsed(key, Duration.ofSeconds(10))).expectNext(true).verifyComplete();
        }
        StepVerifier.create(store.markUsed("d", Duration.ofSeconds(10))).expectErrorMessage(
                "the in-memory DPoP replay store holds its maximum of 3 proofs").verify();
        StepVerifier.create(store.markUsed("a", Duration.ofSeconds(10))).expectError().verify();
        clock.advance(Duration.ofSeconds(10));
        StepVerifier.create(store.markUsed("d", Duration.ofSeconds(10))).expectNext(true).verifyComplete();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void letsExactlyOneOfManyConcurrentCallersMarkAKey() {
        InMemoryReplayStore large = new InMemoryReplayStore(1_000, clock);
        List<Boolean> answers = Flux.range(0, 200).parallel(8).runOn(Schedulers.parallel())
                .flatMap(i -> large.markUsed("same", Duration.ofSeconds(10))).sequential()
                .collectList().block(Duration.ofSeconds(10));
        assertThat(answers).hasSize(200);
        assertThat(new ArrayList<>(answers).stream().filter(Boolean::booleanValue).count()).isEqualTo(1);
    }

    @Test
    void refusesANonPositiveSize() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new InMemoryReplayStore(0, clock)).withMessage("maxEntries must be positive");
    }
}
