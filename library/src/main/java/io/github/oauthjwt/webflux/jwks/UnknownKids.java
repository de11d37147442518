package io.github.oauthjwt.webflux.jwks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * When each {@code kid} missing from the cached keys was first seen, as the number of fetches
 * started by then (a count, not a clock, so "started after" is exact), so the cache can tell a
 * {@code kid} that a fetch has already looked for (answer it at once) from one no fetch has looked
 * for yet (wait for the next). A sighting counts until the second fetch after it has completed:
 * a {@code kid} the first fetch after its sighting did not hold is answered at once until another
 * fetch completes, and then it is seen afresh. Bounded (the least recent sightings are forgotten,
 * which costs at most a wait); thread-safe; times are the cache's milliseconds.
 */
final class UnknownKids {

    /** How many unknown {@code kid}s are remembered. */
    static final long MAX_REMEMBERED = 10_000;

    private final Cache<String, Long> firstSeen = Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED)
            .executor(Runnable::run)
            .build();

    /**
     * Records that fetch number {@code fetchNumber} dropped {@code kid}: it counts as seen just
     * before that fetch, so its tokens are refused at once until another fetch completes.
     */
    void dropped(String kid, long fetchNumber) {
        firstSeen.put(kid, fetchNumber - 1);
    }

    /**
     * Records a sighting of {@code kid} and returns when it counts as first seen: fetches with a
     * greater number started after it.
     *
     * @param fetchesStarted how many fetches have started by now
     * @param previousFetchNumber the number of the successful fetch before the last successful one
     */
    long sight(String kid, long fetchesStarted, long previousFetchNumber) {
        Long seen = firstSeen.asMap().putIfAbsent(kid, fetchesStarted);
        if (seen == null) {
            return fetchesStarted;
        }
        if (previousFetchNumber > seen) {
            // Two fetches have completed since: this is a fresh sighting.
            firstSeen.put(kid, fetchesStarted);
            return fetchesStarted;
        }
        return seen;
    }
}
