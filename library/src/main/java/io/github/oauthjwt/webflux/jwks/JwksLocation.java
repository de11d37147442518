package io.github.oauthjwt.webflux.jwks;

import java.net.URI;

import reactor.core.publisher.Mono;

/**
 * Where a key source's JWKS document is: a URI configured once, or the {@code jwks_uri} of the
 * issuer's metadata ({@link IssuerMetadataCache}).
 */
interface JwksLocation {

    /** Emits the JWKS endpoint to fetch now, or an error when it cannot be known. */
    Mono<URI> jwksUri();

    /** A location that never changes. */
    static JwksLocation fixed(URI uri) {
        Mono<URI> known = Mono.just(uri);
        return () -> known;
    }
}
