package io.github.oauthjwt.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Builds compact JWS tokens by hand, so tests can make valid tokens and every kind of broken one:
 * any header, any claims, any signing key or none. Defaults make a valid access token for
 * {@link #ISSUER} and {@link #AUDIENCE} with scope {@code read}, valid for five minutes.
 */
public final class TestTokens {

    public static final String ISSUER = "https://issuer.example";
    public static final String AUDIENCE = "api.example.com";

    private final Map<String, Object> header = new LinkedHashMap<>();
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private TestKey key;
    private String alg;

    private TestTokens(TestKey key) {
        this.key = key;
        this.alg = key.defaultAlg();
        long now = Instant.now().getEpochSecond();
        header.put("alg", alg);
        header.put("typ", "at+jwt");
        header.put("kid", key.kid());
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", "alice");
        claims.put("scope", "read");
        claims.put("iat", now);
        claims.put("exp", now + 300);
    }

    /** A valid token signed by {@code key} with its default algorithm. */
    public static TestTokens signedBy(TestKey key) {
        return new TestTokens(key);
    }

    /** Signs with {@code alg} (and says so in the header). */
    public TestTokens alg(String alg) {
        this.alg = alg;
        header.put("alg", alg);
        return this;
    }

    /** Sets a header parameter; {@code null} removes it. */
    public TestTokens header(String name, Object value) {
        if (value == null) {
            header.remove(name);
        } else {
            header.put(name, value);
        }
        return this;
    }

    /** Sets a claim; {@code null} removes it. */
    public TestTokens claim(String name, Object value) {
        if (value == null) {
            claims.remove(name);
        } else {
            claims.put(name, value);
        }
        return this;
    }

    /** Sets {@code scope}. */
    public TestTokens scope(String scope) {
        return claim("scope", scope);
    }

    /** Sets {@code exp} to an instant. */
    public TestTokens expiresAt(Instant exp) {
        return claim("exp", exp.getEpochSecond());
    }

    /** Signs with another key than the one whose kid the header names. */
    public TestTokens signWith(TestKey other) {
        this.key = other;
        return this;
    }

    /** The compact serialization. */
    public String build() {
        String signingInput = encode(JSONObjectUtils.toJSONString(header)) + "." + encode(JSONObjectUtils.toJSONString(claims));
        byte[] signature = key.sign(alg, signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    /** A compact serialization of these header and claims with the given raw signature bytes. */
    public String buildWithSignature(byte[] signature) {
        return encode(JSONObjectUtils.toJSONString(header)) + "." + encode(JSONObjectUtils.toJSONString(claims)) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    /** The header and payload parts only, for tokens whose signature a test makes itself. */
    public String signingInput() {
        return encode(JSONObjectUtils.toJSONString(header)) + "." + encode(JSONObjectUtils.toJSONString(claims));
    }

    /** Base64url without padding of a UTF-8 string. */
    public static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A JWKS document listing these public JWKs. */
    public static String jwks(List<Map<String, Object>> jwks) {
        return JSONObjectUtils.toJSONString(Map.of("keys", jwks));
    }

    /** A JWKS document listing these keys' public JWKs. */
    public static String jwks(TestKey... keys) {
        return jwks(java.util.Arrays.stream(keys).map(TestKey::publicJwk).toList());
    }
}
