package io.github.oauthjwt.webflux;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.webflux.jwks.VerificationKey;
import org.jspecify.annotations.Nullable;

/**
 * The tokens whose signature was verified, so that a client sending the same access token on every
 * request until it expires pays for the signature once. Keyed by the exact compact serialization
 * (any other byte is another token); an entry holds the verified claims and the key that verified
 * them, and is never returned at or after the token's {@code exp} by the validator's clock.
 *
 * <p>It remembers signatures only: the caller still checks the time claims and the policy's claim
 * rules on every hit, and that the key is still published. Bounded by entry count (Caffeine's
 * W-TinyLFU eviction). Thread-safe and non-blocking; housekeeping runs on the calling thread.
 */
final class VerifiedTokenCache {

    /**
     * A verified signature.
     *
     * @param verified the token's claims, as they are handed on when every check passes
     * @param trust the issuer's trust the token was checked against
     * @param key the key that verified the signature, or {@code null} for an HMAC secret
     * @param kid the token's {@code kid}, to look the key up again
     * @param alg the token's {@code alg}, to look the key up again
     * @param expiresAtSeconds the token's {@code exp}, seconds since the epoch
     */
    record Entry(Verified verified, IssuerTrust trust, @Nullable VerificationKey key, @Nullable String kid, JWSAlgorithm alg,
            long expiresAtSeconds) {
    }

    /** The longest an entry is kept: Caffeine caps expiry at about 146 years, and this is "never" for a token. */
    private static final long LONGEST_EXPIRY_NANOS = TimeUnit.DAYS.toNanos(365L * 100);

    private final Clock clock;
    private final Cache<Key, Entry> entries;

    /**
     * A cache of at most {@code maximumSize} tokens whose entries expire by {@code clock}.
     *
     * @throws IllegalArgumentException if {@code maximumSize} is not positive
     */
    VerifiedTokenCache(long maximumSize, Clock clock) {
        if (maximumSize <= 0) {
            throw new IllegalArgumentException("maximumSize must be positive");
        }
        this.clock = clock;
        this.entries = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(new UntilExp())
                .executor(Runnable::run)
                .build();
    }

    /**
     * The entry for exactly this token, or {@code null} if there is none or the token has expired:
     * each entry expires at its token's {@code exp} by the clock (see {@link UntilExp}).
     */
    @Nullable Entry get(String token) {
        return entries.getIfPresent(new Key(token));
    }

    /**
     * Remembers a verified token, unless it has already expired by the clock: an expired entry
     * would never be returned, but storing it could still evict a live one from a full cache.
     */
    void put(String token, Entry entry) {
        if (nowSeconds() < entry.expiresAtSeconds()) {
            entries.put(new Key(token), entry);
        }
    }

    /** Forgets a token, for instance because the key that verified it is no longer published. */
    void invalidate(String token) {
        entries.invalidate(new Key(token));
    }

    /** How many tokens are remembered, after pending evictions and expiries have been applied. */
    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    private long nowSeconds() {
        return Math.floorDiv(clock.millis(), 1000);
    }

    /**
     * A token as the key of an entry: equal by its whole text, but hashed by its last
     * {@value #HASHED_CHARACTERS} characters only. Those belong to the signature, as unpredictable
     * as any hash, and hashing them rather than the kilobyte of a whole token keeps a hit cheap.
     * Only tokens whose signature verified are stored, so nobody can plant colliding keys.
     */
    private record Key(String token) {

        private static final int HASHED_CHARACTERS = 24;

        @Override
        public int hashCode() {
            int hash = 0;
            for (int i = Math.max(0, token.length() - HASHED_CHARACTERS); i < token.length(); i++) {
                hash = 31 * hash + token.charAt(i);
            }
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && token.equals(that.token);
        }

        @Override
        public String toString() {
            return "Key[token]"; // never the token itself
        }
    }

    /**
     * Each entry lives until its token's {@code exp}, whatever reads or writes happen meanwhile, or
     * for {@link #LONGEST_EXPIRY_NANOS} if that comes first. Caffeine treats an entry as expired from
     * the very nanosecond its expiry is reached, so an entry is never returned at its {@code exp}.
     */
    private static final class UntilExp implements Expiry<Key, Entry> {

        @Override
        public long expireAfterCreate(Key token, Entry entry, long currentTime) {
            // toNanos saturates instead of overflowing for an exp past the year 2262.
            long remaining = TimeUnit.SECONDS.toNanos(entry.expiresAtSeconds()) - currentTime;
            return Math.max(0, Math.min(LONGEST_EXPIRY_NANOS, remaining));
        }

        @Override
        public long expireAfterUpdate(Key token, Entry entry, long currentTime, long currentDuration) {
            return expireAfterCreate(token, entry, currentTime);
        }

        @Override
        public long expireAfterRead(Key token, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
