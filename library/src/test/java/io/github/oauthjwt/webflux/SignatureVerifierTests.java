package io.github.oauthjwt.webflux;

import io.github.oauthjwt.webflux.jose.SignatureVerifier;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HMAC check on its own: a MAC that is right under the secret still counts for nothing when the
 * algorithm it is checked for is not an HMAC, so no caller can be talked into an algorithm confusion.
 */
class SignatureVerifierTests {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INPUT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0".getBytes(StandardCharsets.US_ASCII);

    private final SignatureVerifier verifier = new SignatureVerifier();

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "EdDSA", "none"})
    void refusesARightHmacForAnAlgorithmThatIsNotHmac(String alg) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        byte[] hmac = mac.doFinal(INPUT);

        assertThat(verifier.verifyHmac(JWSAlgorithm.HS256, SECRET, INPUT, hmac)).isTrue();
        assertThat(verifier.verifyHmac(JWSAlgorithm.parse(alg), SECRET, INPUT, hmac)).isFalse();
    }
}
