/**
 * RFC 6750 at the HTTP boundary: reading the bearer token from {@code Authorization}, and turning a
 * rejection into a response with its {@code WWW-Authenticate} challenge. Internal: not a stable API.
 */
@NullMarked
package io.github.oauthjwt.webflux.bearer;

import org.jspecify.annotations.NullMarked;
