package io.github.oauthjwt.webflux.jwks;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Something a {@link JwksKeySource} did or saw, announced to its {@link JwksListener}s: the key
 * source reports, the listeners decide what to do with it (the built-in one logs; a metrics
 * listener counts). Every event names the endpoint it is about: the JWKS endpoint, or for a key
 * source that discovers it, the issuer. Events carry no token and no
 * {@code kid} of a token, only {@code kid}s the endpoint published.
 */
public sealed interface JwksEvent {

    /** The JWKS endpoint this event is about, or the issuer of a key source that discovers it. */
    URI uri();

    /**
     * A fetch began.
     *
     * @param trigger why: the first fetch, a retry, an unknown {@code kid}, or keys due a refresh or past their TTL
     */
    record FetchStarted(URI uri, FetchTrigger trigger) implements JwksEvent {
    }

    /**
     * A fetch succeeded.
     *
     * @param status the HTTP status
     * @param keyCount how many usable keys the document held
     * @param elapsed how long the fetch took
     * @param ttl how long the keys are cached
     */
    record FetchSucceeded(URI uri, int status, int keyCount, Duration elapsed, Duration ttl) implements JwksEvent {
    }

    /**
     * A fetch failed.
     *
     * @param reason why, in words fit for a log (never the response body)
     * @param elapsed how long the fetch took
     * @param consecutiveFailures failed fetches in a row, this one included
     * @param retryIn the backoff before the next fetch may be tried
     */
    record FetchFailed(URI uri, String reason, Duration elapsed, int consecutiveFailures, Duration retryIn)
            implements JwksEvent {
    }

    /**
     * The first of a run of failed fetches: the endpoint is down, hangs or answers garbage.
     *
     * @param reason why the fetch failed
     * @param elapsed how long it took
     * @param cachedKeys how many keys still serve meanwhile (0: tokens are answered 503)
     * @param servingUntil until when those keys serve at the latest, or {@code null} with none
     */
    record OutageBegan(URI uri, String reason, Duration elapsed, int cachedKeys, @Nullable Instant servingUntil)
            implements JwksEvent {
    }

    /**
     * A fetch succeeded after failures.
     *
     * @param failedFetches how many fetches had failed in a row
     */
    record OutageEnded(URI uri, int failedFetches) implements JwksEvent {
    }

    /**
     * A lookup of a {@code kid} no cached key has waits for a later fetch, because fetches for
     * unknown {@code kid}s are spaced by the refetch interval.
     *
     * @param delay how long until that fetch may start
     */
    record RefetchDeferred(URI uri, Duration delay) implements JwksEvent {
    }

    /**
     * A lookup of an unknown {@code kid} was answered at once, without waiting for a fetch, because
     * the most lookups allowed were already waiting.
     *
     * @param maxWaitingLookups the cap that was reached
     */
    record WaitingLookupsFull(URI uri, int maxWaitingLookups) implements JwksEvent {
    }

    /**
     * A fetch brought a key set that differs from the cached one (also on the first fetch).
     *
     * @param added the {@code kid}s now published that were not before
     * @param removed the {@code kid}s no longer published; their keys stop verifying now
     */
    record KeySetChanged(URI uri, Set<String> added, Set<String> removed) implements JwksEvent {
    }

    /**
     * The issuer's metadata was read (RFC 8414 §3, OpenID Connect Discovery §4), its {@code issuer}
     * matched and it named a JWKS endpoint.
     *
     * @param uri the issuer
     * @param metadataUri where the metadata was found
     * @param jwksUri the {@code jwks_uri} it names, fetched from now on
     * @param ttl how long it is used before it is read again
     */
    record MetadataFetched(URI uri, URI metadataUri, URI jwksUri, Duration ttl) implements JwksEvent {
    }

    /**
     * Reading the issuer's metadata failed: no well-known location answered, or the document was not
     * metadata of this issuer.
     *
     * @param uri the issuer
     * @param reason why, in words fit for a log (never the response body)
     * @param servingLastGood whether the metadata read before is used meanwhile; without it no keys
     *     can be fetched, and tokens are answered 503
     */
    record MetadataFetchFailed(URI uri, String reason, boolean servingLastGood) implements JwksEvent {
    }
}
