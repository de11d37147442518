/**
 * The authorization server's keys: fetching the JWKS, parsing it into usable keys, and caching them
 * with coalesced fetches, refetches for unknown kids spaced by an interval, TTLs and outage tolerance.
 */
@NullMarked
package io.github.oauthjwt.webflux.jwks;

import org.jspecify.annotations.NullMarked;
