package io.github.oauthjwt.webflux.validation;

/**
 * What validating a token gave: {@link Verified} claims, or a {@link Rejection} to answer with.
 */
public sealed interface Outcome permits Verified, Rejection {
}
