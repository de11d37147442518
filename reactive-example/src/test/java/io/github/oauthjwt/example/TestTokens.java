package io.github.oauthjwt.example;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Makes access tokens for the integration tests, playing the authorization server that a
 * MockWebServer JWKS stands for. A token is valid for {@link #ISSUER} and {@link #AUDIENCE} with
 * scope {@code read} and role {@code developer}, for five minutes, unless a test changes it.
 */
final class TestTokens {

    static final String ISSUER = "https://issuer.test";
    static final String AUDIENCE = "api.test";

    private final TestKey key;
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private String kid;

    private TestTokens(TestKey key) {
        this.key = key;
        this.kid = key.kid();
        Instant now = Instant.now();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", "alice");
        claims.put("scope", "read");
        claims.put("role", "developer");
        claims.put("iat", Date.from(now));
        claims.put("exp", Date.from(now.plus(Duration.ofMinutes(5))));
    }

    /** The JWKS document that publishes these keys. */
    static String jwks(TestKey... keys) {
        return new JWKSet(Arrays.stream(keys).map(TestKey::publicJwk).toList()).toString();
    }

    /** A token signed by {@code key} with its algorithm. */
    static TestTokens signedBy(TestKey key) {
        return new TestTokens(key);
    }

    /** Sets a claim; {@code null} removes it. */
    TestTokens claim(String name, Object value) {
        if (value == null) {
            claims.remove(name);
        } else {
            claims.put(name, value);
        }
        return this;
    }

    /** Names another {@code kid} in the header than the signing key's. */
    TestTokens kid(String kid) {
        this.kid = kid;
        return this;
    }

    /** The signed token in compact form. */
    String compact() {
        JWSHeader header = new JWSHeader.Builder(key.alg()).keyID(kid).type(new JOSEObjectType("at+jwt")).build();
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
        claims.forEach(set::claim);
        String signingInput = header.toBase64URL() + "." + set.build().toPayload().toBase64URL();
        try {
            Base64URL signature = key.signer().sign(header, signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + signature;
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
