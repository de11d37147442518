package io.github.oauthjwt.webflux.jwks;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of looking up the key for a token: the key, a reason there is no key for this token
 * (the token's fault), or the keys cannot be had right now (nobody's token's fault).
 */
public sealed interface KeyResolution {

    /** A key was found that fits the token's {@code kid} and {@code alg}. */
    record Found(VerificationKey key) implements KeyResolution {
    }

    /** The key set is known, and no key in it fits the token. */
    record Missing(Reason reason) implements KeyResolution {
    }

    /**
     * The key set could not be fetched (cold start during an outage, or an unknown {@code kid} while
     * the endpoint fails); the client should retry after {@code retryAfter}.
     */
    record Unavailable(Duration retryAfter, @Nullable String cause) implements KeyResolution {
    }

    /** Why no key fits a token. */
    enum Reason {
        /**
         * No key has the token's {@code kid}: not in the keys of a fetch that started after it was
         * first seen, nor, when too many lookups already wait, in the keys at hand.
         */
        UNKNOWN_KID,
        /** A key has the token's {@code kid} but is of another type, curve or pinned algorithm. */
        KID_DOES_NOT_FIT_ALGORITHM,
        /** The token has no {@code kid}, and not exactly one key fits its algorithm. */
        NO_KID_AND_NO_SINGLE_FITTING_KEY
    }
}
