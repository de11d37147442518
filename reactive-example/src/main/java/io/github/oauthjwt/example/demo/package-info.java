/**
 * The embedded demo authorization server, on only while {@code oauth-jwt.jwks-uri} is unset: for
 * trying the library without any outside server, never for production.
 */
@NullMarked
package io.github.oauthjwt.example.demo;

import org.jspecify.annotations.NullMarked;
