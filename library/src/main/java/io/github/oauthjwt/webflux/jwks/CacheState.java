package io.github.oauthjwt.webflux.jwks;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of the key cache: the keys of the last successful fetch with their freshness times,
 * and the health of fetching since then. Immutable; the cache swaps whole snapshots. Times are
 * milliseconds on the cache's scheduler clock.
 *
 * @param keys the keys of the last successful fetch, or {@code null} before the first
 * @param fetchNumber the number of the fetch that brought those keys (fetches are numbered from 1 as
 *     they start; 0 before the first success)
 * @param previousFetchNumber the number of the successful fetch before that one
 * @param refreshAt from when a background refresh is due
 * @param expiresAt when the keys' TTL ends; after it they serve only as stale keys
 * @param consecutiveFailures failed fetches since the last success
 * @param nextAttemptAt the earliest time a fetch may be tried again after a failure
 * @param lastAttemptAt when the last fetch ended, successful or not
 * @param lastSuccessAt when the last successful fetch ended (0 before the first)
 * @param lastFailure why the last fetch failed, or {@code null} if it succeeded
 */
record CacheState(
        @Nullable KeySet keys,
        long fetchNumber,
        long previousFetchNumber,
        long refreshAt,
        long expiresAt,
        int consecutiveFailures,
        long nextAttemptAt,
        long lastAttemptAt,
        long lastSuccessAt,
        @Nullable String lastFailure) {

    static final CacheState EMPTY = new CacheState(null, 0, 0, 0, 0, 0, Long.MIN_VALUE, 0, 0, null);

    /** The state after fetch number {@code number} brought {@code keys} at {@code now}. */
    CacheState fetched(KeySet keys, long number, long now, long ttlMillis) {
        return new CacheState(keys, number, fetchNumber, KeyTimings.refreshAt(now, ttlMillis), now + ttlMillis, 0,
                Long.MIN_VALUE, now, now, null);
    }

    /** The state after a fetch failed at {@code now}; the next may be tried after the backoff. */
    CacheState failed(long now, long backoffMillis, String reason) {
        return new CacheState(keys, fetchNumber, previousFetchNumber, refreshAt, expiresAt,
                consecutiveFailures + 1, now + backoffMillis, now, lastSuccessAt, reason);
    }

    /** Whether the cached keys may still serve at {@code now}: fresh, or stale within the limit. */
    boolean usable(long now, long maxStalenessMillis) {
        return keys != null && now < expiresAt + maxStalenessMillis;
    }

    boolean failing() {
        return consecutiveFailures > 0;
    }

    /**
     * Why a fetch that starts at {@code now} starts, {@code forUnknownKid} or because the keys are
     * missing or due; see {@link FetchTrigger} for which wins.
     */
    FetchTrigger trigger(long now, boolean forUnknownKid) {
        if (failing()) {
            return FetchTrigger.RETRY;
        }
        if (keys == null) {
            return FetchTrigger.INITIAL;
        }
        if (forUnknownKid) {
            return FetchTrigger.UNKNOWN_KID;
        }
        return now < expiresAt ? FetchTrigger.REFRESH_AHEAD : FetchTrigger.TTL;
    }

    /** Whether fetches are backing off at {@code now}. */
    boolean backingOff(long now) {
        return failing() && now < nextAttemptAt;
    }
}
