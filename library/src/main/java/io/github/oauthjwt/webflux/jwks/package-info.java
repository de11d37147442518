/**
 * The authorization server's keys: fetching the JWKS, parsing it into usable keys, and caching them
 * with coalesced fetches, rate-limited refetches, TTLs and outage tolerance.
 */
@NullMarked
package io.github.oauthjwt.webflux.jwks;

import org.jspecify.annotations.NullMarked;
