package io.github.oauthjwt.webflux.jwks;

import java.time.Duration;

/**
 * When a token with an unknown {@code kid} may make the cache fetch the JWKS again, and how many
 * lookups may wait for that fetch. Validates itself when made. Immutable.
 *
 * <p>The rule (what {@link JwksKeySource} promises): an unknown {@code kid} is answered by the
 * first fetch that started after it was first seen, never refused merely because a fetch is not
 * allowed at this moment. Fetches start at most once per {@code interval}, so noise of random
 * {@code kid}s costs at most {@code seconds / interval + 1} requests, however it is spread; a
 * lookup waits at most {@code interval} plus the fetch timeout. Past {@code maxWaitingLookups}
 * waiting lookups, further ones are answered at once from the keys at hand.
 *
 * @param interval the shortest time between the starts of two fetches made for unknown {@code kid}s
 * @param maxWaitingLookups how many lookups may wait for such a fetch at once
 */
record RefetchPolicy(Duration interval, int maxWaitingLookups) {

    /**
     * Checks the policy.
     *
     * @throws IllegalArgumentException naming the option that is out of range
     */
    RefetchPolicy {
        KeyTimings.requirePositive(interval, "refetchInterval");
        KeyTimings.require(maxWaitingLookups >= 1, "maxWaitingLookups must be at least 1");
    }

    /** When the next fetch for unknown {@code kid}s may start, the last fetch having started at {@code lastStart}. */
    long nextStart(long lastStart, long now) {
        return lastStart == Long.MIN_VALUE ? now : Math.max(now, lastStart + interval.toMillis());
    }
}
