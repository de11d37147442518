package io.github.oauthjwt.webflux;

/**
 * What validating a token gave: {@link Verified} claims, or a {@link Rejection} to answer with.
 */
sealed interface Outcome permits Verified, Rejection {
}
