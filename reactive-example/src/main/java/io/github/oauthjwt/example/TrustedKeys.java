package io.github.oauthjwt.example;

import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import reactor.core.publisher.Mono;

/**
 * The key source of the authorization server this app trusts. Emits it once its JWKS endpoint is
 * known: at once for a configured {@code oauth-jwt.jwks-uri}, and once the web server has bound
 * its port for the embedded demo issuer. Every subscriber gets the same instance.
 */
@FunctionalInterface
public interface TrustedKeys {

    /** Emits the key source, then completes; never errors. */
    Mono<JwksKeySource> keySource();
}
