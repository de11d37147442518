package io.github.oauthjwt.webflux.jwks;

import java.security.PublicKey;
import java.util.Objects;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import org.jspecify.annotations.Nullable;

/**
 * One usable signature-verification key from a JWKS: its {@code kid}, what kind of key it is, the
 * algorithm it is pinned to (if the JWK says {@code alg}) and the ready-made JCA public key.
 *
 * <p>Immutable. {@link #fits(JWSAlgorithm)} decides whether a token's {@code alg} may be verified
 * with this key (RFC 8725 §3.1: the algorithm must fit the key, never the other way round).
 */
public final class VerificationKey {

    private final @Nullable String kid;
    private final KeyType keyType;
    private final @Nullable Curve curve;
    private final @Nullable JWSAlgorithm algorithm;
    private final PublicKey publicKey;
    private final KeyResolution.Found found;

    VerificationKey(@Nullable String kid, KeyType keyType, @Nullable Curve curve, @Nullable JWSAlgorithm algorithm,
            PublicKey publicKey) {
        this.kid = kid;
        this.keyType = Objects.requireNonNull(keyType);
        this.curve = curve;
        this.algorithm = algorithm;
        this.publicKey = Objects.requireNonNull(publicKey);
        this.found = new KeyResolution.Found(this);
    }

    /**
     * One JWK (such as the {@code jwk} header of a DPoP proof, RFC 9449 §4.2) as a verification key,
     * judged by the rules a JWKS key is judged by: RSA of at least 2048 bits without the ROCA
     * fingerprint, EC on P-256, P-384 or P-521 with its point on the curve, Ed25519, {@code use} and
     * {@code key_ops} that allow verifying, an {@code alg} that fits. Only the public half is used.
     *
     * @return the key, or {@code null} when it cannot verify signatures
     */
    public static @Nullable VerificationKey fromJwk(JWK jwk) {
        return JwksParser.judge(jwk) instanceof VerificationKey key ? key : null;
    }

    /** The key's {@code kid}, or {@code null} when the JWK has none. */
    public @Nullable String kid() {
        return kid;
    }

    /** The key's {@code kty}: RSA, EC or OKP. */
    public KeyType keyType() {
        return keyType;
    }

    /** The key's {@code crv} for EC and OKP keys, otherwise {@code null}. */
    public @Nullable Curve curve() {
        return curve;
    }

    /** The algorithm the JWK is pinned to by its {@code alg} member, or {@code null}. */
    public @Nullable JWSAlgorithm algorithm() {
        return algorithm;
    }

    /** The JCA public key to verify signatures with. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** This key as a successful {@link KeyResolution}, made once. */
    public KeyResolution.Found asResolution() {
        return found;
    }

    /**
     * Whether a token signed with {@code alg} may be verified with this key: the key type and curve
     * must be the ones the algorithm is defined for, and a JWK pinned to an algorithm accepts only it.
     */
    public boolean fits(JWSAlgorithm alg) {
        if (algorithm != null && !algorithm.equals(alg)) {
            return false;
        }
        return fitsKeyType(alg, keyType, curve);
    }

    /** Whether the algorithm is defined for keys of this type and curve (RFC 7518 §3, RFC 8037 §3.1). */
    static boolean fitsKeyType(JWSAlgorithm alg, KeyType keyType, @Nullable Curve curve) {
        if (JWSAlgorithm.Family.RSA.contains(alg)) {
            return KeyType.RSA.equals(keyType);
        }
        if (JWSAlgorithm.ES256.equals(alg)) {
            return KeyType.EC.equals(keyType) && Curve.P_256.equals(curve);
        }
        if (JWSAlgorithm.ES384.equals(alg)) {
            return KeyType.EC.equals(keyType) && Curve.P_384.equals(curve);
        }
        if (JWSAlgorithm.ES512.equals(alg)) {
            return KeyType.EC.equals(keyType) && Curve.P_521.equals(curve);
        }
        if (JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg)) {
            return KeyType.OKP.equals(keyType) && Curve.Ed25519.equals(curve);
        }
        return false;
    }

    @Override
    public String toString() {
        return "VerificationKey{kid=" + kid + ", kty=" + keyType + (curve != null ? ", crv=" + curve : "")
                + (algorithm != null ? ", alg=" + algorithm : "") + "}";
    }
}
