package io.github.oauthjwt.webflux;

/**
 * What validating a token gave: {@link Verified} claims, or a {@link Rejection} to answer with.
 * Emitted by {@link OAuthJwtFilter#validate(String)} for code that checks tokens outside the filter,
 * such as a Spring Security bridge; tell the two apart with {@code instanceof}.
 */
public sealed interface Outcome permits Verified, Rejection {
}
