package io.github.oauthjwt.webflux.dpop;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Stateless server nonces (RFC 9449 §8, §9): a nonce is the number of the current period followed by
 * the first 16 bytes of its HMAC-SHA256 under a secret, base64url-encoded (32 characters). Any node
 * that holds the secret can tell a nonce it or another node issued, without storing anything; one is
 * accepted during its own period and the next, so a client that just received one is never refused.
 * Thread-safe.
 */
final class Nonces {

    private static final int MAC_BYTES = 16;
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final long periodMillis;
    private final Clock clock;
    private volatile @Nullable Current current;

    private record Current(long period, String nonce) {
    }

    Nonces(byte[] secret, Duration period, Clock clock) {
        this.key = new SecretKeySpec(secret, HMAC);
        this.periodMillis = period.toMillis();
        this.clock = clock;
    }

    /** The nonce of the current period, the one to hand to clients. */
    String current() {
        long period = period();
        Current known = current;
        if (known == null || known.period() != period) {
            known = new Current(period, encode(period));
            current = known;
        }
        return known.nonce();
    }

    /** Whether {@code nonce} was issued, by any node with the secret, for this period or the previous one. */
    boolean isAcceptable(String nonce) {
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        if (decoded.length != Long.BYTES + MAC_BYTES) {
            return false;
        }
        long period = ByteBuffer.wrap(decoded).getLong();
        long now = period();
        if (period != now && period != now - 1) {
            return false;
        }
        return MessageDigest.isEqual(mac(period), Arrays.copyOfRange(decoded, Long.BYTES, decoded.length));
    }

    /** Whether {@code nonce} is the current one, so the client need not be handed another. */
    boolean isCurrent(String nonce) {
        return current().equals(nonce);
    }

    private long period() {
        return Math.floorDiv(clock.millis(), periodMillis);
    }

    private String encode(long period) {
        byte[] nonce = ByteBuffer.allocate(Long.BYTES + MAC_BYTES).putLong(period).put(mac(period)).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
    }

    private byte[] mac(long period) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(period).array()), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
