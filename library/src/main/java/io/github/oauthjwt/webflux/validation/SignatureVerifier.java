package io.github.oauthjwt.webflux.validation;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import org.jspecify.annotations.Nullable;

/**
 * Checks JWS signatures (RFC 7515 §5.2) with the JCA: RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 7518
 * §3.3, §3.5), ECDSA over P-256, P-384 and P-521 in the fixed-width r‖s form JWS uses (§3.4),
 * Ed25519 (RFC 8037 §3.1), and HMAC with a configured secret (§3.2).
 *
 * <p>It only answers whether a signature is valid: any malformed signature (wrong length, values
 * out of range) is simply not valid. Which key may be used with which algorithm is decided before
 * (see {@code VerificationKey.fits}). Stateless and thread-safe.
 */
public final class SignatureVerifier {

    /** Whether {@code signature} is a valid {@code alg} signature of {@code signingInput} under {@code key}. */
    public boolean verify(JWSAlgorithm alg, PublicKey key, byte[] signingInput, byte[] signature) {
        try {
            String name = jcaName(alg);
            int expectedLength = fixedSignatureLength(alg);
            if (name == null || (expectedLength > 0 && signature.length != expectedLength)) {
                return false;
            }
            Signature verifier = Signature.getInstance(name);
            PSSParameterSpec pss = pssParameters(alg);
            verifier.initVerify(key);
            if (pss != null) {
                verifier.setParameter(pss);
            }
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code signature} is the {@code alg} HMAC of {@code signingInput} under {@code secret}. */
    public boolean verifyHmac(JWSAlgorithm alg, byte[] secret, byte[] signingInput, byte[] signature) {
        String name = JWSAlgorithm.HS256.equals(alg) ? "HmacSHA256"
                : JWSAlgorithm.HS384.equals(alg) ? "HmacSHA384"
                : JWSAlgorithm.HS512.equals(alg) ? "HmacSHA512" : null;
        if (name == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance(name);
            mac.init(new SecretKeySpec(secret, name));
            return MessageDigest.isEqual(mac.doFinal(signingInput), signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static @Nullable String jcaName(JWSAlgorithm alg) {
        return switch (alg.getName()) {
            case "RS256" -> "SHA256withRSA";
            case "RS384" -> "SHA384withRSA";
            case "RS512" -> "SHA512withRSA";
            case "PS256", "PS384", "PS512" -> "RSASSA-PSS";
            case "ES256" -> "SHA256withECDSAinP1363Format";
            case "ES384" -> "SHA384withECDSAinP1363Format";
            case "ES512" -> "SHA512withECDSAinP1363Format";
            case "EdDSA", "Ed25519" -> "Ed25519";
            default -> null;
        };
    }

    /** The exact signature length in bytes where the algorithm fixes it, otherwise 0. */
    private static int fixedSignatureLength(JWSAlgorithm alg) {
        return switch (alg.getName()) {
            case "ES256" -> 64;
            case "ES384" -> 96;
            case "ES512" -> 132;
            case "EdDSA", "Ed25519" -> 64;
            default -> 0;
        };
    }

    private static @Nullable PSSParameterSpec pssParameters(JWSAlgorithm alg) {
        return switch (alg.getName()) {
            case "PS256" -> new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
            case "PS384" -> new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1);
            case "PS512" -> new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1);
            default -> null;
        };
    }
}
