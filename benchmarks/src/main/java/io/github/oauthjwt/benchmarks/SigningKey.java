package io.github.oauthjwt.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * A key pair for one JWS algorithm, generated with the JDK, that signs access tokens the way an
 * authorization server would and publishes its public half as a JWK. Also names the JDK's
 * verification algorithm for the {@code rawSignature} floor. Not thread-safe; used in setup only.
 */
final class SigningKey {

    static final String ISSUER = "https://login.example.com/oauth/v2";
    static final String AUDIENCE = "api.example.com";

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    final String alg;
    final String kid;
    final KeyPair pair;
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
        try {
            switch (alg) {
                case "RS256", "PS256" -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    pair = generator.generateKeyPair();
                    publicJwk = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).keyUse(KeyUse.SIGNATURE)
                            .build();
                }
                case "ES256" -> {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"));
                    pair = generator.generateKeyPair();
                    publicJwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).keyID(kid)
                            .keyUse(KeyUse.SIGNATURE).build();
                }
                case "EdDSA" -> {
                    pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                    byte[] spki = pair.getPublic().getEncoded();
                    byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
                    publicJwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid)
                            .keyUse(KeyUse.SIGNATURE).build();
                }
                default -> throw new IllegalArgumentException("no benchmark key for " + alg);
            }
        } catch (GeneralSecurityException e) {
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
        return pair.getPublic();
    }

    /** The JWKS document publishing this key. */
    String jwks() {
        return "{\"keys\":[" + publicJwk.toJSONString() + "]}";
    }

    /**
     * A fresh access token in the shape RFC 9068 describes, valid for an hour; {@code n} makes its
     * subject, and a random {@code jti} makes every token distinct.
     */
    String token(int n) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("typ", "at+jwt");
        header.put("kid", kid);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", "user-" + n);
        claims.put("aud", AUDIENCE);
        claims.put("client_id", "s6BhdRkqt3");
        claims.put("scope", "orders:read orders:write profile");
        claims.put("iat", now);
        claims.put("exp", now + 3600);
        claims.put("jti", UUID.randomUUID().toString());
        String signingInput = encode(JSONObjectUtils.toJSONString(header)) + "." + encode(JSONObjectUtils.toJSONString(claims));
        return signingInput + "." + BASE64URL.encodeToString(sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private byte[] sign(byte[] input) {
        try {
            Signature signer = Signature.getInstance(jdkName);
            signer.initSign(pair.getPrivate());
            if (parameters != null) {
                signer.setParameter(parameters);
            }
            signer.update(input);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
