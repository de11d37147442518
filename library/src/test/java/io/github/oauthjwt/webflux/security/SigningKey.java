package io.github.oauthjwt.webflux.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * A key pair generated for a test class that signs any header and payload text, however hostile
 * (duplicate members, deep nesting, bytes that are not JSON), the way a real issuer's key would:
 * RSA and EC with nimbus's signers, Ed25519 with the JDK (nimbus's Ed25519 signer needs Tink, which
 * is not on the classpath). Its public half is what the test JWKS publishes.
 */
final class SigningKey {

    private final String kid;
    private final JWSAlgorithm alg;
    private final Map<String, Object> publicJwk;
    private final Signer signer;

    private interface Signer {
        byte[] sign(byte[] input) throws GeneralSecurityException, JOSEException;
    }

    private SigningKey(String kid, JWSAlgorithm alg, Map<String, Object> publicJwk, Signer signer) {
        this.kid = kid;
        this.alg = alg;
        this.publicJwk = publicJwk;
        this.signer = signer;
    }

    /** A 2048-bit RSA key signing with {@code alg} (RS256 or PS256, say). */
    static SigningKey rsa(String kid, JWSAlgorithm alg) {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID(kid).generate();
            return nimbus(kid, alg, key.toPublicJWK().toJSONObject(), new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An EC key on P-256 (ES256) or P-384 (ES384). */
    static SigningKey ec(String kid, Curve curve) {
        try {
            ECKey key = new ECKeyGenerator(curve).keyID(kid).generate();
            JWSAlgorithm alg = Curve.P_256.equals(curve) ? JWSAlgorithm.ES256 : JWSAlgorithm.ES384;
            return nimbus(kid, alg, key.toPublicJWK().toJSONObject(), new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Ed25519 key (EdDSA). */
    static SigningKey ed25519(String kid) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kty", "OKP");
            jwk.put("crv", "Ed25519");
            jwk.put("kid", kid);
            jwk.put("x", base64Url(Arrays.copyOfRange(spki, spki.length - 32, spki.length)));
            return new SigningKey(kid, JWSAlgorithm.EdDSA, jwk, input -> {
                Signature signature = Signature.getInstance("Ed25519");
                signature.initSign(pair.getPrivate());
                signature.update(input);
                return signature.sign();
            });
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SigningKey nimbus(String kid, JWSAlgorithm alg, Map<String, Object> jwk, JWSSigner signer) {
        return new SigningKey(kid, alg, jwk, input -> signer.sign(new JWSHeader(alg), input).decode());
    }

    String kid() {
        return kid;
    }

    JWSAlgorithm alg() {
        return alg;
    }

    Map<String, Object> publicJwk() {
        return new LinkedHashMap<>(publicJwk);
    }

    /** {@code base64url(header) . base64url(payload) . signature} for these exact texts. */
    String sign(String headerJson, String payloadJson) {
        return signEncoded(encode(headerJson) + "." + encode(payloadJson));
    }

    /** The compact JWS of a signing input made by hand. */
    String signEncoded(String signingInput) {
        try {
            return signingInput + "." + base64Url(signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The header this key's tokens carry: its algorithm, {@code at+jwt} and its kid. */
    String header() {
        return "{\"alg\":\"" + alg.getName() + "\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}";
    }

    static String encode(String text) {
        return base64Url(text.getBytes(StandardCharsets.UTF_8));
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
