/**
 * The JWS signature check that both the access-token validation and the DPoP proof validation use:
 * one place that chooses JCA providers. Depends on nothing of ours.
 */
@NullMarked
package io.github.oauthjwt.webflux.jose;

import org.jspecify.annotations.NullMarked;
