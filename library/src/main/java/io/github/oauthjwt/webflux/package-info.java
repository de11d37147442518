/**
 * The filter and what handlers see of it: {@link io.github.oauthjwt.webflux.OAuthJwtFilter} and its
 * options, the verified {@link io.github.oauthjwt.webflux.JwtClaims}, the route-level
 * {@link io.github.oauthjwt.webflux.RequireScopes}, and {@link io.github.oauthjwt.webflux.Rejection},
 * the failure value every check produces.
 *
 * <p>Everything else here (bearer extraction, challenges, parsing, signature and claim checks) is
 * package-private: on the class path that is the one boundary the compiler enforces, so it is the
 * one this library draws between its API and its internals. The package depends on
 * {@code io.github.oauthjwt.webflux.jwks}, which depends on nothing of ours.
 */
@NullMarked
package io.github.oauthjwt.webflux;

import org.jspecify.annotations.NullMarked;
