package io.github.oauthjwt.webflux.jwks;

/**
 * Why a {@link JwksKeySource} started a fetch, as {@link JwksEvent.FetchStarted} tells it and the
 * {@code trigger} of an {@code oauth.jwks.fetch} observation carries it. When several apply, the
 * first in this order wins: a fetch after a failed one is a {@link #RETRY} whatever prompted it.
 */
public enum FetchTrigger {

    /** The last fetch failed: this one is tried after its backoff. */
    RETRY("retry"),
    /** No keys have been fetched yet: the first lookup, or {@link JwksKeySource#keys()} warming the cache. */
    INITIAL("initial"),
    /** A token's {@code kid} is not among the cached keys, which may have been rotated. */
    UNKNOWN_KID("unknown_kid"),
    /** The cached keys are still fresh, but their refresh is due (a fifth of their TTL early, a minute at most). */
    REFRESH_AHEAD("refresh_ahead"),
    /** The cached keys' TTL has ended. */
    TTL("ttl");

    private final String value;

    FetchTrigger(String value) {
        this.value = value;
    }

    /** The trigger as metrics carry it: lower case words joined by underscores, such as {@code refresh_ahead}. */
    public String value() {
        return value;
    }
}
