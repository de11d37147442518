/**
 * The public face: {@link io.github.oauthjwt.webflux.OAuthJwtFilter}, its options, the verified
 * {@link io.github.oauthjwt.webflux.JwtClaims} and the route-level {@link io.github.oauthjwt.webflux.RequireScopes}.
 */
@NullMarked
package io.github.oauthjwt.webflux;

import org.jspecify.annotations.NullMarked;
