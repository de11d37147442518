package io.github.oauthjwt.webflux.dpop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DPoP options validate themselves: each range is accepted at both of its edges and refused
 * one step beyond, with a message naming the option.
 */
class DpopOptionsTests {

    private static DpopOptions build(UnaryOperator<DpopOptions.Builder> options) {
        return options.apply(DpopOptions.builder()).build();
    }

    private static void assertRefused(UnaryOperator<DpopOptions.Builder> options, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> build(options)).withMessage(message);
    }

    @Test
    void refusesAnEmptyAlgorithmList() {
        assertRefused(b -> b.algorithms(), "dpop algorithms must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS512", "none"})
    void refusesSymmetricAlgorithmsAndNone(String alg) {
        assertRefused(b -> b.algorithms("ES256", alg),
                "dpop algorithm " + alg + " is not asymmetric; a DPoP proof must be signed with a private key");
    }

    @Test
    void refusesAnAlgorithmThatIsNoJwsSignatureAlgorithm() {
        assertRefused(b -> b.algorithms("ES256", "RSA-OAEP"), "dpop algorithm 'RSA-OAEP' is not a supported JWS signature algorithm");
    }

    @Test
    void acceptsEd25519ByItsFullySpecifiedName() {
        assertThat(build(b -> b.algorithms("Ed25519")).algorithms()).extracting(Object::toString).containsExactly("Ed25519");
    }

    @Test
    void boundsTheMaximumAgeBetweenOneSecondAndTenMinutes() {
        assertThat(build(b -> b.iatWindow(Duration.ofSeconds(1), Duration.ZERO)).maxAge()).isEqualTo(Duration.ofSeconds(1));
        assertThat(build(b -> b.iatWindow(Duration.ofMinutes(10), Duration.ZERO)).maxAge()).isEqualTo(Duration.ofMinutes(10));
        assertRefused(b -> b.iatWindow(Duration.ofMillis(999), Duration.ZERO), "dpop maxAge must be between 1 second and 10 minutes");
        assertRefused(b -> b.iatWindow(Duration.ofMinutes(10).plusMillis(1), Duration.ZERO),
                "dpop maxAge must be between 1 second and 10 minutes");
    }

    @Test
    void boundsTheMaximumFutureBetweenZeroAndFiveMinutes() {
        assertThat(build(b -> b.iatWindow(Duration.ofSeconds(60), Duration.ZERO)).maxFuture()).isZero();
        assertThat(build(b -> b.iatWindow(Duration.ofSeconds(60), Duration.ofMinutes(5))).maxFuture())
                .isEqualTo(Duration.ofMinutes(5));
        assertRefused(b -> b.iatWindow(Duration.ofSeconds(60), Duration.ofMillis(-1)), "dpop maxFuture must be between 0 and 5 minutes");
        assertRefused(b -> b.iatWindow(Duration.ofSeconds(60), Duration.ofMinutes(5).plusMillis(1)),
                "dpop maxFuture must be between 0 and 5 minutes");
    }

    @Test
    void needsRoomForAProofOfAtLeast256Characters() {
        assertThat(build(b -> b.maxProofLength(256)).maxProofLength()).isEqualTo(256);
        assertRefused(b -> b.maxProofLength(255), "dpop maxProofLength must be at least 256 characters");
    }

    @Test
    void needsRoomForAtLeastOneUsedProofInMemory() {
        assertThat(build(b -> b.inMemoryEntries(1)).inMemoryEntries()).isEqualTo(1);
        assertRefused(b -> b.inMemoryEntries(0), "dpop inMemoryEntries must be positive");
    }

    @Test
    void needsANonceSecretOfAtLeast32Bytes() {
        assertThat(build(b -> b.nonces(new byte[32], Duration.ofMinutes(5))).noncesRequired()).isTrue();
        assertRefused(b -> b.nonces(new byte[31], Duration.ofMinutes(5)), "dpop nonce secret must be at least 32 bytes");
    }

    @Test
    void boundsTheNoncePeriodBetweenTenSecondsAndOneHour() {
        assertThat(build(b -> b.nonces(new byte[32], Duration.ofSeconds(10))).noncePeriod()).isEqualTo(Duration.ofSeconds(10));
        assertThat(build(b -> b.nonces(new byte[32], Duration.ofHours(1))).noncePeriod()).isEqualTo(Duration.ofHours(1));
        assertRefused(b -> b.nonces(new byte[32], Duration.ofMillis(9_999)), "dpop nonce period must be between 10 seconds and 1 hour");
        assertRefused(b -> b.nonces(new byte[32], Duration.ofHours(1).plusMillis(1)),
                "dpop nonce period must be between 10 seconds and 1 hour");
    }

    @Test
    void requiresNoNoncesUnlessAsked() {
        DpopOptions defaults = DpopOptions.builder().build();
        assertThat(defaults.noncesRequired()).isFalse();
        assertThat(defaults.nonceSecret()).isNull();
    }

    @Test
    void drawsARandomNonceSecretForASingleNode() {
        byte[] first = build(b -> b.nonces(Duration.ofMinutes(5))).nonceSecret();
        byte[] second = build(b -> b.nonces(Duration.ofMinutes(5))).nonceSecret();

        assertThat(first).hasSize(32).isNotEqualTo(new byte[32]).isNotEqualTo(second);
    }

    @Test
    void keepsItsNonceSecretFromTheCallersArray() {
        byte[] secret = new byte[32];
        DpopOptions options = build(b -> b.nonces(secret, Duration.ofMinutes(5)));
        secret[0] = 1;
        byte[] read = options.nonceSecret();
        read[1] = 1;

        assertThat(options.nonceSecret()).isEqualTo(new byte[32]);
    }
}
