package io.github.oauthjwt.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * A real key pair generated for a test, able to sign JWS input with the JCA and to publish its
 * public half as a JWK. Ed25519 is signed with the JDK's own provider, so no extra library is needed.
 */
public final class TestKey {

    private final String kid;
    private final String defaultAlg;
    private final KeyPair pair;
    private final Map<String, Object> jwk;

    private TestKey(String kid, String defaultAlg, KeyPair pair, Map<String, Object> jwk) {
        this.kid = kid;
        this.defaultAlg = defaultAlg;
        this.pair = pair;
        this.jwk = jwk;
    }

    /** A 2048-bit RSA key. */
    public static TestKey rsa(String kid) {
        return rsa(kid, 2048);
    }

    /** An RSA key of this size. */
    public static TestKey rsa(String kid, int bits) {
        KeyPair pair = generate("RSA", bits);
        Map<String, Object> jwk = new LinkedHashMap<>(new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid)
                .build().toJSONObject());
        return new TestKey(kid, "RS256", pair, jwk);
    }

    /** An EC key on P-256 (ES256), P-384 (ES384) or P-521 (ES512). */
    public static TestKey ec(String kid, Curve curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve.getStdName()));
            KeyPair pair = generator.generateKeyPair();
            Map<String, Object> jwk = new LinkedHashMap<>(new ECKey.Builder(curve, (ECPublicKey) pair.getPublic())
                    .keyID(kid).build().toJSONObject());
            String alg = Curve.P_256.equals(curve) ? "ES256" : Curve.P_384.equals(curve) ? "ES384" : "ES512";
            return new TestKey(kid, alg, pair, jwk);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Ed25519 key (EdDSA). */
    public static TestKey ed25519(String kid) {
        KeyPair pair = generate("Ed25519", 0);
        byte[] spki = pair.getPublic().getEncoded();
        byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "OKP");
        jwk.put("crv", "Ed25519");
        jwk.put("kid", kid);
        jwk.put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(x));
        return new TestKey(kid, "EdDSA", pair, jwk);
    }

    /** This key, signing with {@code alg} unless told otherwise (PS256 for an RSA key, say). */
    public TestKey signingWith(String alg) {
        return new TestKey(kid, alg, pair, jwk);
    }

    /** The header this key's tokens carry: its default algorithm, {@code at+jwt} and its kid. */
    public String header() {
        return "{\"alg\":\"" + defaultAlg + "\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}";
    }

    /**
     * {@code base64url(header) . base64url(payload) . signature} for these exact texts, however
     * hostile (duplicate members, deep nesting, bytes that are not JSON), signed with the default
     * algorithm as a real issuer's key would sign them.
     */
    public String sign(String headerJson, String payloadJson) {
        return signEncoded(TestTokens.encode(headerJson) + "." + TestTokens.encode(payloadJson));
    }

    /** The compact JWS of a signing input made by hand, signed with the default algorithm. */
    public String signEncoded(String signingInput) {
        return signingInput + "." + base64Url(sign(defaultAlg, signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Unpadded base64url (RFC 7515 §2). */
    public static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String kid() {
        return kid;
    }

    /** The algorithm this key signs with unless told otherwise. */
    public String defaultAlg() {
        return defaultAlg;
    }

    public KeyPair keyPair() {
        return pair;
    }

    /** The public JWK, a fresh mutable copy so a test may add {@code alg}, {@code use} and the like. */
    public Map<String, Object> publicJwk() {
        return new LinkedHashMap<>(jwk);
    }

    /** The JWS signature of {@code input} for {@code alg}, in the form JWS uses (r‖s for ECDSA). */
    public byte[] sign(String alg, byte[] input) {
        try {
            Signature signature = switch (alg) {
                case "RS256" -> Signature.getInstance("SHA256withRSA");
                case "RS384" -> Signature.getInstance("SHA384withRSA");
                case "RS512" -> Signature.getInstance("SHA512withRSA");
                case "PS256", "PS384", "PS512" -> Signature.getInstance("RSASSA-PSS");
                case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
                case "ES384" -> Signature.getInstance("SHA384withECDSAinP1363Format");
                case "ES512" -> Signature.getInstance("SHA512withECDSAinP1363Format");
                case "EdDSA", "Ed25519" -> Signature.getInstance("Ed25519");
                default -> throw new IllegalArgumentException("TestKey cannot sign " + alg);
            };
            signature.initSign(pair.getPrivate());
            if (alg.startsWith("PS")) {
                int bits = Integer.parseInt(alg.substring(2));
                MGF1ParameterSpec mgf = bits == 256 ? MGF1ParameterSpec.SHA256
                        : bits == 384 ? MGF1ParameterSpec.SHA384 : MGF1ParameterSpec.SHA512;
                signature.setParameter(new PSSParameterSpec("SHA-" + bits, "MGF1", mgf, bits / 8, 1));
            }
            signature.update(input);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate(String algorithm, int size) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (size > 0) {
                generator.initialize(size);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
