package io.github.oauthjwt.interop;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * The authorization server's signing keys: one RSA 2048 key and one EC P-256 key, each with its own
 * {@code kid}, made at start. The server's token encoder picks among them by the token's
 * {@code alg}, and its JWKS endpoint publishes their public halves. {@link #rotateRsaKey()} replaces
 * the RSA key with a new one, which signs from then on, and stops publishing the old one. The set is
 * swapped as a whole, so readers on other threads see either the keys before a rotation or after it.
 */
final class RotatingSigningKeys implements JWKSource<SecurityContext> {

    private final AtomicReference<Keys> keys;

    /** The two keys at one moment. */
    record Keys(RSAKey rsa, ECKey ec) {
    }

    RotatingSigningKeys() {
        keys = new AtomicReference<>(new Keys(newRsaKey(), newEcKey()));
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        Keys now = keys.get();
        return selector.select(new JWKSet(List.of(now.rsa(), now.ec())));
    }

    /** The keys now. */
    Keys current() {
        return keys.get();
    }

    /**
     * Makes a new RSA key the one that signs RS256 tokens and publishes it in place of the old one,
     * which is no longer published.
     *
     * @return the keys after the rotation
     */
    Keys rotateRsaKey() {
        RSAKey rsa = newRsaKey();
        return keys.updateAndGet(before -> new Keys(rsa, before.ec()));
    }

    private static RSAKey newRsaKey() {
        try {
            return new RSAKeyGenerator(RSAKeyGenerator.MIN_KEY_SIZE_BITS).keyUse(KeyUse.SIGNATURE)
                    .keyID("rsa-" + UUID.randomUUID()).generate();
        } catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static ECKey newEcKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).keyID("ec-" + UUID.randomUUID()).generate();
        } catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
