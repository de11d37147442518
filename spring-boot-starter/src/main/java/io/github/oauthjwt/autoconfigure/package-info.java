/**
 * Spring Boot auto-configuration of webflux-oauth-jwt: the {@code oauth-jwt.*} settings
 * ({@link io.github.oauthjwt.autoconfigure.OAuthJwtProperties}), the key sources and the filter
 * ({@link io.github.oauthjwt.autoconfigure.OAuthJwtAutoConfiguration}), their warm-up, and the
 * {@code jwks} health component.
 */
@NullMarked
package io.github.oauthjwt.autoconfigure;

import org.jspecify.annotations.NullMarked;
