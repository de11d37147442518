package io.github.oauthjwt.webflux.jwks;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Turns a JWKS document (RFC 7517 §5) into a {@link KeySet} of keys fit for verifying signatures.
 *
 * <p>Each entry is judged alone: entries that cannot be used for signature verification (unknown or
 * symmetric {@code kty}, {@code use} other than {@code sig}, {@code key_ops} without
 * {@code verify}, an {@code alg} that does not fit the key, RSA moduli under 2048 bits or with the
 * ROCA fingerprint, EC points off the curve, curves other than P-256, P-384, P-521 and Ed25519,
 * malformed members) are skipped
 * with a DEBUG log. The document as a whole fails only when it is not a JWKS, lists more than the
 * allowed number of keys, or leaves no usable key. Stateless and thread-safe.
 */
final class JwksParser {

    private static final Log log = LogFactory.getLog(JwksParser.class);

    /** The minimum RSA modulus, RFC 7518 §3.3. */
    static final int MIN_RSA_BITS = 2048;

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4), followed by the 32-byte key. */
    private static final byte[] ED25519_SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    private final int maxKeys;

    JwksParser(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    KeySet parse(String body) {
        Map<String, Object> document;
        try {
            document = JSONObjectUtils.parse(body);
        } catch (ParseException | RuntimeException e) {
            throw new JwksFetchException("the response is not a JSON object");
        }
        if (document == null) {
            throw new JwksFetchException("the response is not a JSON object");
        }
        if (!(document.get("keys") instanceof List<?> entries)) {
            throw new JwksFetchException("the response has no \"keys\" array");
        }
        if (entries.size() > maxKeys) {
            throw new JwksFetchException("the JWKS lists " + entries.size() + " keys, more than the limit of " + maxKeys);
        }
        List<VerificationKey> keys = new ArrayList<>(entries.size());
        for (Object entry : entries) {
            VerificationKey key = entry instanceof Map<?, ?> map ? toKey(map) : null;
            if (key != null) {
                keys.add(key);
            }
        }
        if (keys.isEmpty()) {
            throw new JwksFetchException("none of the JWKS's " + entries.size() + " keys can verify signatures");
        }
        return new KeySet(keys);
    }

    private @Nullable VerificationKey toKey(Map<?, ?> entry) {
        JWK jwk;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) entry;
            jwk = JWK.parse(json);
        } catch (ParseException | RuntimeException e) {
            skip(entry.get("kid"), "it is malformed or of an unsupported type");
            return null;
        }
        String kid = jwk.getKeyID();
        if (jwk.isPrivate()) {
            // Only the public half is ever used; refusing the key would turn the issuer's leak into an outage.
            log.warn("JWKS key " + (kid != null && SafeLog.isPlain(kid) ? "'" + kid + "'" : "without a printable kid")
                    + " publishes private key material: anyone who reads the JWKS can sign tokens with it;"
                    + " the authorization server should rotate it");
        }
        Object judged = judge(jwk);
        return judged instanceof VerificationKey key ? key : skip(kid, (String) judged);
    }

    /**
     * The JWK as a {@link VerificationKey}, or the reason (a clause such as "its use is not
     * \"sig\"") it cannot verify signatures. Private members are ignored: only the public half is used.
     */
    static Object judge(JWK jwk) {
        String kid = jwk.getKeyID();
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return "its use is not \"sig\"";
        }
        if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return "its key_ops do not include \"verify\"";
        }
        JWSAlgorithm alg = null;
        if (jwk.getAlgorithm() != null) {
            alg = JWSAlgorithm.parse(jwk.getAlgorithm().getName());
        }
        try {
            if (jwk instanceof RSAKey rsa) {
                // Checked before the JDK sees the key: it refuses an exponent below 3 without saying why.
                BigInteger exponent = rsa.getPublicExponent().decodeToBigInteger();
                if (exponent.compareTo(BigInteger.ONE) <= 0 || !exponent.testBit(0)) {
                    return "its RSA public exponent is not valid";
                }
                RSAPublicKey publicKey = rsa.toRSAPublicKey();
                if (publicKey.getModulus().bitLength() < MIN_RSA_BITS) {
                    return "its RSA modulus is shorter than " + MIN_RSA_BITS + " bits";
                }
                if (RocaFingerprint.matches(publicKey.getModulus())) {
                    return "its RSA modulus has the ROCA fingerprint (CVE-2017-15361), so its private key"
                            + " can be computed";
                }
                return checked(kid, KeyType.RSA, null, alg, publicKey);
            }
            if (jwk instanceof ECKey ec) {
                Curve curve = ec.getCurve();
                if (!Curve.P_256.equals(curve) && !Curve.P_384.equals(curve) && !Curve.P_521.equals(curve)) {
                    return "its curve is not P-256, P-384 or P-521";
                }
                return checked(kid, KeyType.EC, curve, alg, ec.toECPublicKey());
            }
            if (jwk instanceof OctetKeyPair okp) {
                if (!Curve.Ed25519.equals(okp.getCurve())) {
                    return "its curve is not Ed25519";
                }
                return checked(kid, KeyType.OKP, Curve.Ed25519, alg, ed25519PublicKey(okp.getDecodedX()));
            }
        } catch (Exception e) {
            return "its key material is not valid";
        }
        return "its key type " + jwk.getKeyType() + " cannot verify signatures";
    }

    private static Object checked(@Nullable String kid, KeyType type, @Nullable Curve curve,
            @Nullable JWSAlgorithm alg, PublicKey publicKey) {
        if (alg != null && !VerificationKey.fitsKeyType(alg, type, curve)) {
            return "its alg " + alg + " does not fit the key";
        }
        return new VerificationKey(kid, type, curve, alg, publicKey);
    }

    static PublicKey ed25519PublicKey(byte[] x) throws GeneralSecurityException {
        if (x.length != 32) {
            throw new GeneralSecurityException("An Ed25519 public key is 32 bytes");
        }
        byte[] der = new byte[ED25519_SPKI_PREFIX.length + 32];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(x, 0, der, ED25519_SPKI_PREFIX.length, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    }

    private static @Nullable VerificationKey skip(@Nullable Object kid, String why) {
        if (log.isDebugEnabled()) {
            log.debug("Skipping JWKS key " + (kid instanceof String s && SafeLog.isPlain(s) ? "'" + s + "'" : "without a printable kid") + ": " + why);
        }
        return null;
    }
}
