package io.github.oauthjwt.example;

import io.github.oauthjwt.webflux.jwks.JwksCacheStats;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code GET /health}, outside the filter's paths: always 200 while the app runs, with a snapshot of
 * the JWKS cache ({@link JwksCacheStats}) so an operator can see whether keys are cached and whether
 * the last fetch worked. Reads the cache without starting a fetch.
 */
@Component
class HealthHandler {

    /** The answer of {@code /health}. */
    record HealthReport(String status, JwksCacheStats jwks) {
    }

    private final TrustedKeys trustedKeys;

    HealthHandler(TrustedKeys trustedKeys) {
        this.trustedKeys = trustedKeys;
    }

    /** Answers 200 with a {@link HealthReport}. */
    Mono<ServerResponse> check(ServerRequest request) {
        return trustedKeys.keySource()
                .map(keys -> new HealthReport("UP", keys.stats()))
                .flatMap(report -> ServerResponse.ok().bodyValue(report));
    }
}
