package io.github.oauthjwt.example;

import java.util.List;

import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import reactor.core.publisher.Mono;

/**
 * The key sources of the authorization servers this app trusts, one per issuer. Emits them once
 * they are known: at once for a configured authorization server, and once the web server has bound
 * its port for the embedded demo issuer. Every subscriber gets the same instances.
 */
@FunctionalInterface
public interface TrustedKeys {

    /** Emits the key sources, at least one, then completes; never errors. */
    Mono<List<JwksKeySource>> keySources();
}
