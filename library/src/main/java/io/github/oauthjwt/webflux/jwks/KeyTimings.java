package io.github.oauthjwt.webflux.jwks;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How long fetched keys live and how fetches are spaced after failures: plain arithmetic on
 * milliseconds, with no clock of its own. Validates itself when made. Immutable.
 *
 * @param defaultTtl the key lifetime when the response says nothing about caching
 * @param minTtl the shortest lifetime taken from {@code Cache-Control: max-age}
 * @param maxTtl the longest lifetime taken from {@code max-age}
 * @param maxStaleness how long past their lifetime keys keep serving while fetches fail
 * @param initialBackoff the wait after a first failed fetch; it doubles per further failure
 * @param maxBackoff the longest wait between failed fetches
 */
record KeyTimings(Duration defaultTtl, Duration minTtl, Duration maxTtl, Duration maxStaleness,
        Duration initialBackoff, Duration maxBackoff) {

    /** The longest refresh-ahead: a refresh is due this long before expiry at the latest. */
    static final long MAX_REFRESH_AHEAD_MILLIS = 60_000;

    /**
     * Checks the timings.
     *
     * @throws IllegalArgumentException naming the option that is out of range or contradicts another
     */
    KeyTimings {
        requirePositive(minTtl, "min TTL");
        require(minTtl.compareTo(maxTtl) <= 0, "min TTL must not be longer than max TTL");
        require(defaultTtl.compareTo(minTtl) >= 0 && defaultTtl.compareTo(maxTtl) <= 0,
                "defaultTtl must lie within the TTL bounds");
        require(!maxStaleness.isNegative(), "maxStaleness must not be negative");
        requirePositive(initialBackoff, "initial backoff");
        require(initialBackoff.compareTo(maxBackoff) <= 0, "initial backoff must not be longer than max backoff");
    }

    /** The lifetime of keys whose response granted {@code maxAge} ({@code null}: said nothing), within the bounds. */
    long ttlMillis(@Nullable Duration maxAge) {
        if (maxAge == null) {
            return defaultTtl.toMillis();
        }
        return Math.max(minTtl.toMillis(), Math.min(maxTtl.toMillis(), maxAge.toMillis()));
    }

    /** When keys living {@code ttlMillis} from {@code fetchedAt} are due a background refresh: a fifth of their life early, at most a minute. */
    static long refreshAt(long fetchedAt, long ttlMillis) {
        return fetchedAt + ttlMillis - Math.min(ttlMillis / 5, MAX_REFRESH_AHEAD_MILLIS);
    }

    /** The wait after the {@code failures}-th failed fetch in a row: doubling from the initial backoff, capped. */
    long backoffMillis(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 30));
        return Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << doublings);
    }

    /** How long past their TTL keys may serve, in milliseconds. */
    long maxStalenessMillis() {
        return maxStaleness.toMillis();
    }

    static void requirePositive(Duration duration, String name) {
        require(!duration.isNegative() && !duration.isZero(), name + " must be positive");
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
