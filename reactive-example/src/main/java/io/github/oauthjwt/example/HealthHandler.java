package io.github.oauthjwt.example;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.oauthjwt.webflux.jwks.JwksCacheStats;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.jspecify.annotations.Nullable;
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

    /**
     * The answer of {@code /health}.
     *
     * @param status always {@code UP}
     * @param jwks the key cache of the (first) trusted issuer
     * @param issuers the key caches of every trusted issuer, when there are several
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HealthReport(String status, JwksCacheStats jwks, @Nullable List<JwksCacheStats> issuers) {
    }

    private final TrustedKeys trustedKeys;

    HealthHandler(TrustedKeys trustedKeys) {
        this.trustedKeys = trustedKeys;
    }

    /** Answers 200 with a {@link HealthReport}. */
    Mono<ServerResponse> check(ServerRequest request) {
        return trustedKeys.keySources()
                .map(sources -> new HealthReport("UP", sources.get(0).stats(),
                        sources.size() > 1 ? sources.stream().map(JwksKeySource::stats).toList() : null))
                .flatMap(report -> ServerResponse.ok().bodyValue(report));
    }
}
