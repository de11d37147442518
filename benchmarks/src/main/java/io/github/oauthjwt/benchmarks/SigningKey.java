package io.github.oauthjwt.benchmarks;

import java.security.PublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;

/**
 * A key for one JWS algorithm, made with the project's one {@link TestKey}, that signs access tokens
 * the way an authorization server would and publishes its public half as a JWK. Also names the
 * JDK's and BouncyCastle's verification algorithm for the {@code rawSignature} floors. Not
 * thread-safe; used in setup only.
 */
final class SigningKey {

    static final String ISSUER = "https://login.example.com/oauth/v2";
    static final String AUDIENCE = "api.example.com";

    final String alg;
    final String kid;
    final TestKey key;
    final JWK publicJwk;
    /** The JDK's name of the verification algorithm (SunRsaSign, SunEC). */
    final String jdkName;
    /** BouncyCastle's name of the same algorithm. */
    final String bouncyCastleName;
    /** Parameters to set after {@code initVerify}, or {@code null}. */
    final AlgorithmParameterSpec parameters;

    SigningKey(String alg) {
        this.alg = alg;
        this.kid = "bench-" + alg.toLowerCase();
        this.key = switch (alg) {
            case "RS256", "PS256" -> TestKey.rsa(kid).signingWith(alg);
            case "ES256" -> TestKey.ec(kid, Curve.P_256);
            case "EdDSA" -> TestKey.ed25519(kid);
            default -> throw new IllegalArgumentException("no benchmark key for " + alg);
        };
        Map<String, Object> jwk = key.publicJwk();
        jwk.put("use", "sig");
        try {
            this.publicJwk = JWK.parse(jwk);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        this.jdkName = switch (alg) {
            case "RS256" -> "SHA256withRSA";
            case "PS256" -> "RSASSA-PSS";
            case "ES256" -> "SHA256withECDSAinP1363Format";
            default -> "Ed25519";
        };
        this.bouncyCastleName = switch (alg) {
            case "RS256" -> "SHA256withRSA";
            case "PS256" -> "SHA256withRSAandMGF1";
            case "ES256" -> "SHA256withPLAIN-ECDSA";
            default -> "Ed25519";
        };
        this.parameters = alg.equals("PS256")
                ? new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1)
                : null;
    }

    JWSAlgorithm jwsAlgorithm() {
        return JWSAlgorithm.parse(alg);
    }

    PublicKey publicKey() {
        return key.keyPair().getPublic();
    }

    /** The JWKS document publishing this key. */
    String jwks() {
        return TestTokens.jwks(List.of(publicJwk.toJSONObject()));
    }

    /**
     * A fresh access token in the shape RFC 9068 describes, valid for an hour; {@code n} makes its
     * subject, and a random {@code jti} makes every token distinct.
     */
    String token(int n) {
        return token(n, null);
    }

    /** {@link #token(int)} with a {@code cnf} claim when {@code cnf} is not {@code null} (a DPoP-bound token). */
    String token(int n, java.util.Map<String, Object> cnf) {
        long now = System.currentTimeMillis() / 1000;
        return TestTokens.signedBy(key)
                .claim("cnf", cnf)
                .claim("iss", ISSUER)
                .claim("sub", "user-" + n)
                .claim("aud", AUDIENCE)
                .claim("client_id", "s6BhdRkqt3")
                .claim("scope", "orders:read orders:write profile")
                .claim("iat", now)
                .claim("exp", now + 3600)
                .claim("jti", UUID.randomUUID().toString())
                .build();
    }
}
