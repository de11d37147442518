package io.github.oauthjwt.webflux.dpop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.github.oauthjwt.testing.MovableClock;
import org.junit.jupiter.api.Test;

/** Stateless nonces: any node with the secret accepts them for their period and the next, no longer. */
class NoncesTests {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();
    private final MovableClock clock = new MovableClock(java.time.Instant.ofEpochSecond(1_800_000_000L));
    private final Nonces nonces = new Nonces(SECRET, Duration.ofMinutes(5), clock);

    @Test
    void acceptsANonceOfAnotherNodeWithTheSameSecret() {
        Nonces otherNode = new Nonces(SECRET.clone(), Duration.ofMinutes(5), clock);
        assertThat(nonces.isAcceptable(otherNode.current())).isTrue();
        assertThat(nonces.current()).hasSize(32).isEqualTo(otherNode.current());
    }

    @Test
    void refusesANonceMadeWithAnotherSecret() {
        Nonces stranger = new Nonces("fedcba9876543210fedcba9876543210".getBytes(), Duration.ofMinutes(5), clock);
        assertThat(nonces.isAcceptable(stranger.current())).isFalse();
    }

    @Test
    void acceptsANonceDuringItsPeriodAndTheNextOnly() {
        String nonce = nonces.current();
        clock.advance(Duration.ofMinutes(5));
        assertThat(nonces.isAcceptable(nonce)).isTrue();
        assertThat(nonces.isCurrent(nonce)).isFalse();
        clock.advance(Duration.ofMinutes(5));
        assertThat(nonces.isAcceptable(nonce)).isFalse();
    }

    @Test
    void refusesANonceFromTheFuture() {
        clock.advance(Duration.ofMinutes(5));
        String future = nonces.current();
        clock.advance(Duration.ofMinutes(-5));
        assertThat(nonces.isAcceptable(future)).isFalse();
    }

    @Test
    void refusesGarbage() {
        assertThat(nonces.isAcceptable("")).isFalse();
        assertThat(nonces.isAcceptable("not base64 !")).isFalse();
        assertThat(nonces.isAcceptable(nonces.current() + "AAAA")).isFalse();
        String current = nonces.current();
        assertThat(nonces.isAcceptable(current.substring(0, 31) + (current.charAt(31) == 'A' ? 'B' : 'A'))).isFalse();
    }
}
