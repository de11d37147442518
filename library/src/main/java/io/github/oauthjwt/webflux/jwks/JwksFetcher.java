package io.github.oauthjwt.webflux.jwks;

import org.springframework.http.MediaType;
import reactor.core.publisher.Mono;

/**
 * Fetches the JWKS document from wherever its {@link JwksLocation} says it is: one GET, a 2xx
 * status required. Failures are emitted as {@link JwksFetchException} (or the client's own I/O
 * exceptions); the key cache composes timeouts, backoff and sharing around it.
 */
final class JwksFetcher {

    private static final MediaType[] JWKS_TYPES = {MediaType.APPLICATION_JSON, MediaType.valueOf("application/jwk-set+json")};

    private final JwksLocation location;
    private final HttpDocuments documents;

    JwksFetcher(JwksLocation location, HttpDocuments documents) {
        this.location = location;
        this.documents = documents;
    }

    /** Emits the response once the whole body is read; errors on a non-2xx status or an oversized body. */
    Mono<HttpDocuments.Response> fetch() {
        return location.jwksUri()
                .flatMap(uri -> documents.get(uri, JWKS_TYPES))
                .flatMap(response -> response.ok()
                        ? Mono.just(response)
                        : Mono.error(new JwksFetchException("HTTP status " + response.status())));
    }
}
