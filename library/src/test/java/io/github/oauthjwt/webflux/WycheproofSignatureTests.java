package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Base64;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.oauthjwt.webflux.jose.SignatureVerifier;
import io.github.oauthjwt.webflux.jwks.JwksDocuments;
import io.github.oauthjwt.webflux.jwks.JwksFetchException;
import io.github.oauthjwt.webflux.jwks.VerificationKey;
import io.github.oauthjwt.webflux.testing.Wycheproof;
import io.github.oauthjwt.webflux.testing.Wycheproof.Vector;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Wycheproof signature vector for the algorithms the filter accepts by default, run through
 * exactly what the filter runs: the group's public key as a JWK through the library's JWKS parser
 * (so key checks apply as they do to a fetched JWKS), the key's fit to the algorithm, then
 * {@link SignatureVerifier#verify}. A {@code valid} vector must verify, an {@code invalid} one must
 * not. The one {@code acceptable} vector, RS256 tcId 8, is pinned to what the verifier does with
 * it: a PKCS #1 v1.5 signature whose DigestInfo omits the NULL algorithm parameters, which the
 * JDK's verifier accepts. RFC 8017 §9.2 note 2 lets verifiers accept both encodings, and it is no
 * forgery: only the holder of the private key can make it.
 *
 * <p>Four {@code valid} ECDSA vectors whose nonce point has an x-coordinate of at least the group
 * order n (ES256 tcId 115 and 257, ES384 tcId 147 and 275) are refused by the JDK 17 SunEC
 * verifier, which compares r with x instead of x mod n (failing closed). The verifier uses
 * BouncyCastle for ECDSA and accepts them, as it must.
 */
class WycheproofSignatureTests {

    /** What the verifier does with the {@code acceptable} vectors, by file and tcId: true = accepts. */
    private static final Map<String, Map<Integer, Boolean>> PINNED = Map.of(
            "rsa_signature_2048_sha256_test.json", Map.of(8, true));

    private final SignatureVerifier verifier = new SignatureVerifier();
    private final Map<Map<String, Object>, Optional<VerificationKey>> keys = new IdentityHashMap<>();

    @TestFactory
    Stream<DynamicTest> verifiesRs256ExactlyTheSignaturesWycheproofCallsValid() {
        return vectors("rsa_signature_2048_sha256_test.json", "keyJwk", JWSAlgorithm.RS256);
    }

    @TestFactory
    Stream<DynamicTest> verifiesPs256ExactlyTheSignaturesWycheproofCallsValid() {
        return vectors("rsa_pss_2048_sha256_mgf1_32_test.json", "publicKeyJwk", JWSAlgorithm.PS256);
    }

    @TestFactory
    Stream<DynamicTest> verifiesEs256ExactlyTheSignaturesWycheproofCallsValid() {
        return vectors("ecdsa_secp256r1_sha256_p1363_test.json", "publicKeyJwk", JWSAlgorithm.ES256);
    }

    @TestFactory
    Stream<DynamicTest> verifiesEs384ExactlyTheSignaturesWycheproofCallsValid() {
        return vectors("ecdsa_secp384r1_sha384_p1363_test.json", "publicKeyJwk", JWSAlgorithm.ES384);
    }

    @TestFactory
    Stream<DynamicTest> verifiesEdDsaExactlyTheSignaturesWycheproofCallsValid() {
        return vectors("ed25519_test.json", "publicKeyJwk", JWSAlgorithm.EdDSA);
    }

    private Stream<DynamicTest> vectors(String file, String jwkMember, JWSAlgorithm alg) {
        return Wycheproof.dynamicTests(file, vectors -> vectors.stream().map(vector -> vectorTest(file, vector, jwkMember, alg)));
    }

    private DynamicTest vectorTest(String file, Vector vector, String jwkMember, JWSAlgorithm alg) {
        Map<Integer, Boolean> pinned = PINNED.getOrDefault(file, Map.of());
        return DynamicTest.dynamicTest(vector.describe(), () -> {
            Boolean expected = pinned.containsKey(vector.tcId()) ? pinned.get(vector.tcId())
                    : switch (vector.result()) {
                        case "valid" -> Boolean.TRUE;
                        case "invalid" -> Boolean.FALSE;
                        default -> null;
                    };
            assertThat(expected).as("a documented verdict for %s %s", file, vector.describe()).isNotNull();
            assertThat(pinned.containsKey(vector.tcId())).as("only acceptable vectors are pinned")
                    .isEqualTo("acceptable".equals(vector.result()));
            assertThat(verifies(vector, jwkMember, alg)).as("%s %s", file, vector.describe()).isEqualTo(expected);
        });
    }

    private boolean verifies(Vector vector, String jwkMember, JWSAlgorithm alg) {
        VerificationKey key = keys.computeIfAbsent(vector.group(), group -> keyOf(group, jwkMember, alg)).orElse(null);
        return key != null && key.fits(alg)
                && verifier.verify(alg, key.publicKey(), vector.hex("msg"), vector.hex("sig"));
    }

    /** The group's key as the filter would hold it after fetching a JWKS that publishes it. */
    private static Optional<VerificationKey> keyOf(Map<String, Object> group, String jwkMember, JWSAlgorithm alg) {
        @SuppressWarnings("unchecked")
        Map<String, Object> jwk = group.get(jwkMember) instanceof Map<?, ?> map
                ? (Map<String, Object>) map : ecJwkFromCoordinates(group);
        try {
            return Optional.ofNullable(JwksDocuments.parse(JSONObjectUtils.toJSONString(Map.of("keys", List.of(jwk))))
                    .find((String) jwk.get("kid"), alg));
        } catch (JwksFetchException e) {
            return Optional.empty();
        }
    }

    /** A few ECDSA groups give the key only as coordinates; this is the JWK an issuer would publish for it. */
    private static Map<String, Object> ecJwkFromCoordinates(Map<String, Object> group) {
        @SuppressWarnings("unchecked")
        Map<String, Object> publicKey = (Map<String, Object>) group.get("publicKey");
        String curve = (String) publicKey.get("curve");
        int size = switch (curve) {
            case "secp256r1" -> 32;
            case "secp384r1" -> 48;
            default -> throw new IllegalArgumentException("unexpected curve " + curve);
        };
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", size == 32 ? "P-256" : "P-384");
        jwk.put("kid", "none");
        jwk.put("x", coordinate((String) publicKey.get("wx"), size));
        jwk.put("y", coordinate((String) publicKey.get("wy"), size));
        return jwk;
    }

    private static String coordinate(String hex, int size) {
        byte[] magnitude = new BigInteger(1, HexFormat.of().parseHex(hex)).toByteArray();
        byte[] fixed = new byte[size];
        int copy = Math.min(size, magnitude.length);
        System.arraycopy(magnitude, magnitude.length - copy, fixed, size - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }
}
