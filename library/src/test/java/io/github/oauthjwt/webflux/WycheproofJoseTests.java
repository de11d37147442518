package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.oauthjwt.webflux.jose.SignatureVerifier;
import io.github.oauthjwt.webflux.jwks.JwksDocuments;
import io.github.oauthjwt.webflux.jwks.JwksFetchException;
import io.github.oauthjwt.webflux.jwks.KeySet;
import io.github.oauthjwt.webflux.jwks.VerificationKey;
import io.github.oauthjwt.webflux.testing.Wycheproof;
import io.github.oauthjwt.webflux.testing.Wycheproof.Vector;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Wycheproof's whole-JWS and JWK vectors through the JOSE layer the filter uses, step for step as
 * {@link TokenValidator} takes them: {@link TokenParser#parseJws} (split, canonical base64url,
 * size and depth limits, JWS header), {@link HeaderRules} (algorithm allow-list, {@code crit},
 * {@code typ}), the key by {@code kid} from a JWKS the library's parser accepted (or the configured
 * HMAC secret), then {@link SignatureVerifier}. The payloads are not claim sets, so the claims step is
 * left out. A {@code valid} vector must be accepted and an {@code invalid} one refused, except the
 * {@code valid} ones listed in {@link #STRICTER_THAN_WYCHEPROOF}, which the library refuses on
 * purpose, each for the reason given there, and the two in {@link #SAME_AS_A_VALID_VECTOR}.
 */
class WycheproofJoseTests {

    private static final String BASE64URL_ONLY = "RFC 7515 §2 and §7.1: each part is base64url with no other"
            + " characters; a decoder that skips '?' lets one token have many spellings";
    private static final String KEY_PINNED_TO_ANOTHER_ALG = "the JWK's alg pins the key to another algorithm than"
            + " the token's (RFC 7517 §4.4, RFC 8725 §3.1)";
    private static final String ALG_NOT_A_JWS_ALGORITHM = "the JWK's alg 'ES521' is no JWS algorithm, so the key"
            + " fits no token's alg and is never used";
    private static final String HMAC_KEYS_NEVER_FROM_JWKS = "symmetric keys are never taken from a JWKS (a key"
            + " published at an endpoint is no secret); HMAC needs the filter's configured hmacSecret";

    /** Valid-by-Wycheproof vectors the library refuses on purpose, by file and tcId, with why. */
    private static final Map<String, Map<Integer, String>> STRICTER_THAN_WYCHEPROOF = Map.of(
            "json_web_signature_test.json", Map.of(
                    346, KEY_PINNED_TO_ANOTHER_ALG + ": PS384 with a PS256 key",
                    347, ALG_NOT_A_JWS_ALGORITHM,
                    349, "the JWK's key_ops [\"sign, verify\"] names no known operation; a JWK that does not"
                            + " parse is skipped (RFC 7517 §4.3)",
                    350, KEY_PINNED_TO_ANOTHER_ALG + ": PS384 with a PS256 key",
                    351, ALG_NOT_A_JWS_ALGORITHM,
                    372, BASE64URL_ONLY,
                    373, BASE64URL_ONLY),
            "json_web_key_test.json", Map.of(
                    2, HMAC_KEYS_NEVER_FROM_JWKS,
                    13, HMAC_KEYS_NEVER_FROM_JWKS,
                    14, HMAC_KEYS_NEVER_FROM_JWKS,
                    15, HMAC_KEYS_NEVER_FROM_JWKS));

    /**
     * Vectors of this Wycheproof commit marked invalid whose JWS and key are identical to those of a
     * valid one (their padding seems to have been lost when generated); they get that one's verdict.
     */
    private static final Map<Integer, Integer> SAME_AS_A_VALID_VECTOR = Map.of(367, 357, 370, 357);

    /** JWK members that hold private key material; the issuer publishes the JWK without them. */
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth");

    @TestFactory
    Stream<DynamicTest> acceptsExactlyTheCompactJwsWycheproofCallsValid() {
        String file = "json_web_signature_test.json";
        return Wycheproof.dynamicTests(file, vectors -> {
            Map<Integer, Vector> byId = new HashMap<>();
            vectors.forEach(vector -> byId.put(vector.tcId(), vector));
            return vectors.stream().map(vector -> jwsTest(file, vector, byId));
        });
    }

    private static DynamicTest jwsTest(String file, Vector vector, Map<Integer, Vector> byId) {
        return DynamicTest.dynamicTest(vector.describe(), () -> {
            Integer twin = SAME_AS_A_VALID_VECTOR.get(vector.tcId());
            if (twin != null) {
                Vector valid = byId.get(twin);
                assertThat(valid.result()).isEqualTo("valid");
                assertThat(vector.test().get("jws")).as("the JWS of tcId %s", twin).isEqualTo(valid.test().get("jws"));
                assertThat(vector.group().get("private")).as("the key of tcId %s", twin)
                        .isEqualTo(valid.group().get("private"));
                assertThat(jwsVerdict(vector)).as("%s gets the verdict of tcId %s", vector.describe(), twin).isTrue();
                return;
            }
            assertVerdict(file, vector, jwsVerdict(vector));
        });
    }

    @TestFactory
    Stream<DynamicTest> usesOnlyTheJwksKeysWycheproofCallsUsable() {
        String file = "json_web_key_test.json";
        return Wycheproof.dynamicTests(file, vectors -> vectors.stream().map(vector -> DynamicTest.dynamicTest(
                vector.describe(), () -> assertVerdict(file, vector, jwkVerdict(vector)))));
    }

    private static void assertVerdict(String file, Vector vector, boolean accepted) {
        String stricter = STRICTER_THAN_WYCHEPROOF.get(file).get(vector.tcId());
        if (stricter != null) {
            assertThat(vector.result()).as("only valid vectors can be refused on purpose").isEqualTo("valid");
            assertThat(accepted).as("%s %s is refused on purpose: %s", file, vector.describe(), stricter).isFalse();
            return;
        }
        assertThat(vector.result()).as("no acceptable vectors in %s", file).isIn("valid", "invalid");
        assertThat(accepted).as("%s %s", file, vector.describe()).isEqualTo("valid".equals(vector.result()));
    }

    /**
     * The group's key is what the issuer publishes: asymmetric keys as their public JWKs in a JWKS,
     * a symmetric key as the filter's configured HMAC secret (the library never takes HMAC keys
     * from a JWKS).
     */
    private static boolean jwsVerdict(Vector vector) {
        if (!(vector.test().get("jws") instanceof String jws)) {
            return false;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> jwk = new LinkedHashMap<>((Map<String, Object>) vector.group().get("private"));
        if ("oct".equals(jwk.get("kty"))) {
            byte[] secret = new Base64URL((String) jwk.get("k")).decode();
            return secret.length >= OAuthJwtFilterBuilder.MIN_HMAC_SECRET_BYTES && accepts(jws, null, secret);
        }
        PRIVATE_MEMBERS.forEach(jwk::remove);
        return accepts(jws, keySet(List.of(jwk)), null);
    }

    /** The group's keyset is the JWKS, published as Wycheproof gives it, through the library's JWKS parser. */
    private static boolean jwkVerdict(Vector vector) {
        @SuppressWarnings("unchecked")
        Map<String, Object> keyset = (Map<String, Object>) vector.group().get("private");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) keyset.get("keys");
        return accepts(vector.string("jws"), keySet(keys), null);
    }

    private static @Nullable KeySet keySet(List<Map<String, Object>> jwks) {
        try {
            return JwksDocuments.parse(JSONObjectUtils.toJSONString(Map.of("keys", new ArrayList<>(jwks))));
        } catch (JwksFetchException e) {
            return null;
        }
    }

    /** Whether the filter's JOSE layer accepts {@code jws} with these keys or this HMAC secret. */
    private static boolean accepts(String jws, @Nullable KeySet keys, byte @Nullable [] hmacSecret) {
        ValidationPolicy policy = policy(hmacSecret);
        Object parsed = new TokenParser(policy).parseJws(jws);
        if (!(parsed instanceof TokenParser.Jws token)) {
            return false;
        }
        if (new HeaderRules(policy).check(token.header()) != null) {
            return false;
        }
        JWSAlgorithm alg = token.header().getAlgorithm();
        SignatureVerifier verifier = new SignatureVerifier();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            return hmacSecret != null && verifier.verifyHmac(alg, hmacSecret, token.signingInput(), token.signature());
        }
        VerificationKey key = keys != null ? keys.find(token.header().getKeyID(), alg) : null;
        return key != null && verifier.verify(alg, key.publicKey(), token.signingInput(), token.signature());
    }

    /** The filter's default policy, with HMAC accepted only when a secret is configured. */
    private static ValidationPolicy policy(byte @Nullable [] hmacSecret) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>(OAuthJwtFilterBuilder.DEFAULT_ALGORITHMS);
        if (hmacSecret != null) {
            algorithms.addAll(JWSAlgorithm.Family.HMAC_SHA);
        }
        return new ValidationPolicy(null, Set.of(), Set.of(), List.of(), algorithms,
                new LinkedHashSet<>(OAuthJwtFilterBuilder.DEFAULT_TOKEN_TYPES), false, Duration.ofSeconds(60),
                Clock.systemUTC(), hmacSecret, OAuthJwtFilterBuilder.DEFAULT_MAX_TOKEN_LENGTH,
                OAuthJwtFilterBuilder.DEFAULT_MAX_HEADER_BYTES, OAuthJwtFilterBuilder.DEFAULT_MAX_CLAIMS_BYTES,
                OAuthJwtFilterBuilder.DEFAULT_MAX_JSON_DEPTH, ScopeClaims.DEFAULT, List.of());
    }
}
