/**
 * A bridge into Spring Security's reactive resource server: this library's token checks as its
 * {@code ReactiveAuthenticationManager} ({@link io.github.oauthjwt.security.OAuthJwtSecurity}),
 * scopes as {@code SCOPE_x} authorities, and the library's answers to every refusal.
 */
@NullMarked
package io.github.oauthjwt.security;

import org.jspecify.annotations.NullMarked;
