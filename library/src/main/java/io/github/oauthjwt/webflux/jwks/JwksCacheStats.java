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
        boolean fetchInFlight) {

    /** How many keys are cached. */
    public int keyCount() {
        return kids.size();
    }
}
