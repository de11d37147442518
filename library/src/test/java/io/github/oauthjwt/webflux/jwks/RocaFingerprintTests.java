package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Which RSA moduli carry the ROCA (CVE-2017-15361) fingerprint. */
class RocaFingerprintTests {

    /** The product of the primes the fingerprint checks: ROCA primes are 65537^a mod M plus multiples of M. */
    private static final BigInteger M = primorial();

    private static BigInteger primorial() {
        BigInteger product = BigInteger.ONE;
        for (int p = 3; p <= 167; p += 2) {
            if (BigInteger.valueOf(p).isProbablePrime(50)) {
                product = product.multiply(BigInteger.valueOf(p));
            }
        }
        return product;
    }

    /** A number of the form k·M + (65537^a mod M), as the Infineon generator makes its primes. */
    private static BigInteger rocaShaped(Random random) {
        BigInteger residue = BigInteger.valueOf(65537).modPow(BigInteger.valueOf(1 + random.nextInt(1_000_000)), M);
        return new BigInteger(800, random).multiply(M).add(residue);
    }

    @Test
    void recognisesModuliWhosePrimesAreBuiltFromPowersOf65537() {
        Random random = new Random(20171016);
        for (int i = 0; i < 50; i++) {
            assertThat(RocaFingerprint.matches(rocaShaped(random).multiply(rocaShaped(random)))).isTrue();
        }
    }

    @Test
    void passesModuliOfKeysTheJdkGenerates() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        for (int i = 0; i < 3; i++) {
            BigInteger modulus = ((RSAPublicKey) generator.generateKeyPair().getPublic()).getModulus();
            assertThat(RocaFingerprint.matches(modulus)).isFalse();
        }
    }

    @Test
    void passesRandomOddModuli() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            assertThat(RocaFingerprint.matches(new BigInteger(2048, random).setBit(0))).isFalse();
        }
    }
}
