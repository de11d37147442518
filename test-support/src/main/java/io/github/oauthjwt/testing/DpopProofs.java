package io.github.oauthjwt.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Builds DPoP proofs (RFC 9449 §4.2) by hand, so tests can make valid proofs and every kind of
 * broken one: any header, any claims, any key. Defaults make a valid proof signed by the key, with
 * {@code typ: dpop+jwt}, the key's default algorithm, its public {@code jwk}, a random {@code jti}
 * and {@code iat} now; {@link #forRequest} and {@link #accessToken} add {@code htm}, {@code htu}
 * and {@code ath}.
 */
public final class DpopProofs {

    private final Map<String, Object> header = new LinkedHashMap<>();
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private TestKey key;
    private String alg;

    private DpopProofs(TestKey key) {
        this.key = key;
        this.alg = key.defaultAlg();
        header.put("typ", "dpop+jwt");
        header.put("alg", alg);
        Map<String, Object> jwk = key.publicJwk();
        jwk.remove("kid");
        header.put("jwk", jwk);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("iat", Instant.now().getEpochSecond());
    }

    /** A proof signed by {@code key}, whose public JWK it carries. */
    public static DpopProofs signedBy(TestKey key) {
        return new DpopProofs(key);
    }

    /** Sets {@code htm} and {@code htu}. */
    public DpopProofs forRequest(String method, String uri) {
        claims.put("htm", method);
        claims.put("htu", uri);
        return this;
    }

    /** Sets {@code ath} to the hash of {@code accessToken}. */
    public DpopProofs accessToken(String accessToken) {
        claims.put("ath", sha256(accessToken));
        return this;
    }

    /** Signs with {@code alg} (and says so in the header). */
    public DpopProofs alg(String alg) {
        this.alg = alg;
        header.put("alg", alg);
        return this;
    }

    /** Signs with another key than the one the {@code jwk} header holds. */
    public DpopProofs signWith(TestKey other) {
        this.key = other;
        return this;
    }

    /** Sets a header parameter; {@code null} removes it. */
    public DpopProofs header(String name, Object value) {
        put(header, name, value);
        return this;
    }

    /** Sets a claim; {@code null} removes it. */
    public DpopProofs claim(String name, Object value) {
        put(claims, name, value);
        return this;
    }

    /** The compact serialization. */
    public String build() {
        String signingInput = TestTokens.encode(JSONObjectUtils.toJSONString(header)) + "."
                + TestTokens.encode(JSONObjectUtils.toJSONString(claims));
        return signingInput + "." + TestKey.base64Url(key.sign(alg, signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The RFC 7638 SHA-256 thumbprint of the key's public JWK, as {@code cnf.jkt} holds it. */
    public static String thumbprint(TestKey key) {
        try {
            return JWK.parse(key.publicJwk()).computeThumbprint().toString();
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code {"jkt": thumbprint}}, the {@code cnf} claim of a token bound to {@code key}. */
    public static Map<String, Object> cnf(TestKey key) {
        return Map.of("jkt", thumbprint(key));
    }

    /** base64url(SHA-256(text)), the {@code ath} of a token. */
    public static String sha256(String text) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(Map<String, Object> map, String name, Object value) {
        if (value == null) {
            map.remove(name);
        } else {
            map.put(name, value);
        }
    }
}
