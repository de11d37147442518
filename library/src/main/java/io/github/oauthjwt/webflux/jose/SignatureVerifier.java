package io.github.oauthjwt.webflux.jose;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JWSAlgorithm;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jspecify.annotations.Nullable;

/**
 * Checks JWS signatures (RFC 7515 §5.2): RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 7518 §3.3, §3.5),
 * ECDSA over P-256, P-384 and P-521 in the fixed-width r‖s form JWS uses (§3.4), Ed25519
 * (RFC 8037 §3.1), and HMAC with a configured secret (§3.2).
 *
 * <p>This is the one place that chooses a JCA provider. RSA and HMAC use the JDK's providers.
 * ECDSA and Ed25519 use BouncyCastle, several times faster than the JDK 17 SunEC here (see the
 * benchmarks' RESULTS.md), through a provider instance this verifier holds: BouncyCastle is never
 * registered with {@code Security.addProvider}, so nothing else in the JVM changes. The instance is
 * built on the first EC or Ed25519 verification (building one takes tens of milliseconds), and
 * each EC or Ed25519 key is translated to BouncyCastle's form once and remembered for as long as the
 * key itself is reachable: with a JDK key BouncyCastle would re-derive the curve on every call and
 * lose its optimised P-256 arithmetic.
 *
 * <p>It only answers whether a signature is valid: any malformed signature (wrong length, values
 * out of range) is simply not valid. Which key may be used with which algorithm is decided before
 * (see {@code VerificationKey.fits}). Thread-safe: {@link Signature} objects are not, so each
 * thread keeps its own, one per algorithm, made on its first use. Looking one up per call
 * ({@code Signature.getInstance}) cost about 5% of an RS256 verification in the benchmarks.
 *
 * <p>Public only so that the access-token check (in {@code io.github.oauthjwt.webflux}) and the DPoP
 * proof check (in {@code io.github.oauthjwt.webflux.dpop}) share one verifier; applications have no
 * use for it.
 */
public final class SignatureVerifier {

    /** Translated EC and Ed25519 keys remembered at most; a JWKS holds at most a hundred keys by default. */
    private static final int MAX_TRANSLATED_KEYS = 1_000;

    private volatile @Nullable Provider bouncyCastle;
    private final Cache<PublicKey, PublicKey> translatedKeys = Caffeine.newBuilder()
            .weakKeys()
            .maximumSize(MAX_TRANSLATED_KEYS)
            .executor(Runnable::run)
            .build();
    private final Function<PublicKey, PublicKey> translator = this::translate;
    /** Each thread's Signature objects, by {@link SignatureAlgorithm#ordinal()}; each is re-initialised per use. */
    private final ThreadLocal<Signature[]> signatures =
            ThreadLocal.withInitial(() -> new Signature[SignatureAlgorithm.values().length]);

    /** Whether {@code signature} is a valid {@code alg} signature of {@code signingInput} under {@code key}. */
    public boolean verify(JWSAlgorithm alg, PublicKey key, byte[] signingInput, byte[] signature) {
        SignatureAlgorithm algorithm = SignatureAlgorithm.of(alg);
        if (algorithm == null || (algorithm.signatureLength > 0 && signature.length != algorithm.signatureLength)) {
            return false;
        }
        try {
            Signature verifier = signature(algorithm);
            // initVerify resets whatever state an earlier use, even a failed one, left behind.
            verifier.initVerify(providerKey(algorithm, key));
            if (algorithm.parameters != null) {
                verifier.setParameter(algorithm.parameters);
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
            // Every JDK has these MACs (JCA's required algorithms), and they take a key of any length.
            throw new IllegalStateException(name + " is not available in this JVM", e);
        }
    }

    /**
     * The key in the form the algorithm's provider checks fastest: BouncyCastle's own type for EC
     * and Ed25519, the key as it is otherwise. Only a matter of speed: every provider gives the same
     * answer with the key as it is.
     */
    private PublicKey providerKey(SignatureAlgorithm algorithm, PublicKey key) {
        return algorithm.bouncyCastle ? translatedKeys.get(key, translator) : key;
    }

    /** This thread's Signature object for the algorithm, from the provider the algorithm is checked with. */
    private Signature signature(SignatureAlgorithm algorithm) throws GeneralSecurityException {
        Signature[] mine = signatures.get();
        Signature signature = mine[algorithm.ordinal()];
        if (signature == null) {
            signature = algorithm.bouncyCastle
                    ? Signature.getInstance(algorithm.jcaName, bouncyCastle())
                    : Signature.getInstance(algorithm.jcaName);
            mine[algorithm.ordinal()] = signature;
        }
        return signature;
    }

    private Provider bouncyCastle() {
        Provider provider = bouncyCastle;
        if (provider == null) {
            // Two threads may each build one the first time; either serves, and one is kept.
            provider = new BouncyCastleProvider();
            bouncyCastle = provider;
        }
        return provider;
    }

    /**
     * The key as BouncyCastle's own type. A key that cannot be translated is returned as it is, so
     * that verifying with it fails (or succeeds) in the provider exactly as it would have.
     */
    private PublicKey translate(PublicKey key) {
        try {
            String family = key instanceof ECPublicKey ? "EC" : "Ed25519";
            return KeyFactory.getInstance(family, bouncyCastle()).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
    }

    /** How each JWS signature algorithm is checked. */
    private enum SignatureAlgorithm {
        RS256("SHA256withRSA", 0, null, false),
        RS384("SHA384withRSA", 0, null, false),
        RS512("SHA512withRSA", 0, null, false),
        PS256("RSASSA-PSS", 0, new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1), false),
        PS384("RSASSA-PSS", 0, new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1), false),
        PS512("RSASSA-PSS", 0, new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1), false),
        // BouncyCastle's PLAIN-ECDSA is the IEEE P1363 (r‖s) form of RFC 7518 §3.4.
        ES256("SHA256withPLAIN-ECDSA", 64, null, true),
        ES384("SHA384withPLAIN-ECDSA", 96, null, true),
        ES512("SHA512withPLAIN-ECDSA", 132, null, true),
        ED25519("Ed25519", 64, null, true);

        final String jcaName;
        /** The exact signature length in bytes where the algorithm fixes it, otherwise 0. */
        final int signatureLength;
        final @Nullable AlgorithmParameterSpec parameters;
        final boolean bouncyCastle;

        SignatureAlgorithm(String jcaName, int signatureLength, @Nullable AlgorithmParameterSpec parameters,
                boolean bouncyCastle) {
            this.jcaName = jcaName;
            this.signatureLength = signatureLength;
            this.parameters = parameters;
            this.bouncyCastle = bouncyCastle;
        }

        static @Nullable SignatureAlgorithm of(JWSAlgorithm alg) {
            return switch (alg.getName()) {
                case "RS256" -> RS256;
                case "RS384" -> RS384;
                case "RS512" -> RS512;
                case "PS256" -> PS256;
                case "PS384" -> PS384;
                case "PS512" -> PS512;
                case "ES256" -> ES256;
                case "ES384" -> ES384;
                case "ES512" -> ES512;
                case "EdDSA", "Ed25519" -> ED25519;
                default -> null;
            };
        }
    }
}
