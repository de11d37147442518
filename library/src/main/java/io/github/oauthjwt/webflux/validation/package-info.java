/**
 * Checking a token: decoding, header rules, signature verification, claim rules, and the failure
 * value ({@link io.github.oauthjwt.webflux.validation.Rejection}) every check produces. Internal: not a stable API.
 */
@NullMarked
package io.github.oauthjwt.webflux.validation;

import org.jspecify.annotations.NullMarked;
