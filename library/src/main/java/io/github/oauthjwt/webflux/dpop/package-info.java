/**
 * DPoP (RFC 9449): the options of a filter that accepts DPoP-bound access tokens
 * ({@link io.github.oauthjwt.webflux.dpop.DpopOptions}), the store that remembers which proofs were
 * used ({@link io.github.oauthjwt.webflux.dpop.ReplayStore}), and the proof check itself
 * ({@link io.github.oauthjwt.webflux.dpop.DpopProofVerifier}) with its result
 * ({@link io.github.oauthjwt.webflux.dpop.ProofResult}).
 *
 * <p>Everything else here (proof parsing, {@code htu} normalisation, nonces, the in-memory store and
 * the outage guard) is package-private. The package depends on {@code io.github.oauthjwt.webflux.jose}
 * (the signature check) and {@code io.github.oauthjwt.webflux.jwks} (judging the proof's key), never
 * on {@code io.github.oauthjwt.webflux}, which depends on it: no cycle.
 */
@NullMarked
package io.github.oauthjwt.webflux.dpop;

import org.jspecify.annotations.NullMarked;
