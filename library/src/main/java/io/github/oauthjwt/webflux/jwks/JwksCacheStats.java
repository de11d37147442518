package io.github.oauthjwt.webflux.jwks;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A read-only snapshot of a {@link JwksKeySource}, for an application to log or export as metrics.
 *
 * @param uri the JWKS endpoint
 * @param kids the {@code kid}s of the cached keys (empty before the first successful fetch)
 * @param lastFetchAt when the last fetch ended, or {@code null} before the first
 * @param lastFetchSucceeded whether the last fetch succeeded
 * @param lastFailure why the last fetch failed, or {@code null}
 * @param expiresAt when the cached keys' TTL ends, or {@code null} when none are cached
 * @param fetches fetches started in all
 * @param failures fetches that failed
 * @param misses lookups whose {@code kid} or algorithm no cached key fitted
 * @param deferredLookups lookups of unknown {@code kid}s that waited for a later fetch (the refetch interval)
 * @param waitingLookups lookups waiting for a fetch right now
 * @param lookupsTurnedAway lookups of unknown {@code kid}s answered at once because too many were waiting
 * @param fetchInFlight whether a fetch is under way right now
 * @param freshness whether the cached keys serve, fresh or stale, at the time of the snapshot
 * @param refreshAt from when the next background refresh is due, or {@code null} when none are cached
 * @param usableUntil when the cached keys stop serving if no fetch succeeds before ({@code expiresAt}
 *     plus the maximum staleness), or {@code null} when none are cached
 */
public record JwksCacheStats(
        URI uri,
        List<String> kids,
        @Nullable Instant lastFetchAt,
        boolean lastFetchSucceeded,
        @Nullable String lastFailure,
        @Nullable Instant expiresAt,
        long fetches,
        long failures,
        long misses,
        long deferredLookups,
        int waitingLookups,
        long lookupsTurnedAway,
        boolean fetchInFlight,
        Freshness freshness,
        @Nullable Instant refreshAt,
        @Nullable Instant usableUntil) {

    /** Whether the cached keys can verify tokens, at the time of a snapshot. */
    public enum Freshness {
        /** Keys are cached and within their TTL. */
        FRESH,
        /** Keys are past their TTL but within the maximum staleness: they serve while fetches fail. */
        STALE,
        /** No keys can serve: none were ever fetched, or they are past the maximum staleness. */
        UNAVAILABLE
    }

    /** How many keys are cached. */
    public int keyCount() {
        return kids.size();
    }
}
