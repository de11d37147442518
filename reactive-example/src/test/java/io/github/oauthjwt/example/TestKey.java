package io.github.oauthjwt.example;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;

/**
 * A signing key made for a test, with the algorithm it signs with and its public half for a JWKS.
 * Ed25519 signs with the JDK, so no extra crypto library is needed.
 *
 * @param publicJwk the public key as published in the JWKS
 * @param alg the JWS algorithm the key signs with
 * @param signer signs a JWS signing input
 */
record TestKey(JWK publicJwk, JWSAlgorithm alg, Signer signer) {

    /** Signs the ASCII bytes of {@code header.payload}. */
    @FunctionalInterface
    interface Signer {
        Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException, GeneralSecurityException;
    }

    /** A 2048-bit RSA key signing with {@code alg} (RS256 or PS256). */
    static TestKey rsa(String kid, JWSAlgorithm alg) {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID(kid).generate();
            RSASSASigner signer = new RSASSASigner(key);
            return new TestKey(key.toPublicJWK(), alg, signer::sign);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RS256 key. */
    static TestKey rsa(String kid) {
        return rsa(kid, JWSAlgorithm.RS256);
    }

    /** A P-256 key signing ES256. */
    static TestKey ec(String kid) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
            ECDSASigner signer = new ECDSASigner(key);
            return new TestKey(key.toPublicJWK(), JWSAlgorithm.ES256, signer::sign);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Ed25519 key signing EdDSA (RFC 8037). */
    static TestKey ed25519(String kid) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            // An Ed25519 SubjectPublicKeyInfo ends with the 32-byte raw key (RFC 8410 §4).
            byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid).build();
            return new TestKey(jwk, JWSAlgorithm.EdDSA, (header, input) -> {
                Signature signature = Signature.getInstance("Ed25519");
                signature.initSign(pair.getPrivate());
                signature.update(input);
                return Base64URL.encode(signature.sign());
            });
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key's {@code kid}. */
    String kid() {
        return publicJwk.getKeyID();
    }
}
