package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** One run at a time, shared by every caller, settled before anyone sees it, never cancelled by a waiter. */
class SingleFlightTests {

    private final SingleFlight<String> flight = new SingleFlight<>();
    private final AtomicInteger runs = new AtomicInteger();
    private final List<String> settled = new ArrayList<>();

    private Mono<String> join(Sinks.One<String> result) {
        return flight.join(() -> {
            runs.incrementAndGet();
            return result.asMono();
        }, (value, error) -> settled.add(value != null ? "value " + value : "error " + error.getMessage()));
    }

    @Test
    void givesEveryCallerTheSameRunWhileItIsInFlight() {
        Sinks.One<String> result = Sinks.one();
        Mono<String> first = join(result);
        Mono<String> second = join(Sinks.one());

        assertThat(second).isSameAs(first);
        assertThat(flight.current()).isSameAs(first);
        result.tryEmitValue("keys");
        StepVerifier.create(second).expectNext("keys").verifyComplete();
        assertThat(runs).hasValue(1);
        assertThat(settled).containsExactly("value keys");
        assertThat(flight.current()).isNull();
    }

    @Test
    void keepsRunningWhenACallerCancels() {
        Sinks.One<String> result = Sinks.one();
        Disposable impatient = join(result).subscribe();
        impatient.dispose();

        result.tryEmitValue("keys");
        assertThat(settled).containsExactly("value keys");
    }

    @Test
    void startsAnewAfterAFailure() {
        Sinks.One<String> failing = Sinks.one();
        Mono<String> first = join(failing);
        failing.tryEmitError(new IllegalStateException("down"));
        StepVerifier.create(first).expectErrorMessage("down").verify();

        Sinks.One<String> healthy = Sinks.one();
        Mono<String> second = join(healthy);
        assertThat(second).isNotSameAs(first);
        healthy.tryEmitValue("keys");
        StepVerifier.create(second).expectNext("keys").verifyComplete();
        assertThat(runs).hasValue(2);
        assertThat(settled).containsExactly("error down", "value keys");
    }

    @Test
    void turnsWorkThatThrowsIntoAFailedRun() {
        Mono<String> run = flight.join(() -> {
            throw new IllegalStateException("bug");
        }, (value, error) -> settled.add("error " + error.getMessage()));

        StepVerifier.create(run).expectErrorMessage("bug").verify();
        assertThat(flight.current()).isNull();
    }
}
