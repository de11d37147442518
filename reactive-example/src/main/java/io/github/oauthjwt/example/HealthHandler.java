package io.github.oauthjwt.example;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.oauthjwt.autoconfigure.TrustedKeySources;
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
    record HealthReport(String status, @Nullable JwksCacheStats jwks, @Nullable List<JwksCacheStats> issuers) {
    }

    private final TrustedKeySources trustedKeys;

    HealthHandler(TrustedKeySources trustedKeys) {
        this.trustedKeys = trustedKeys;
    }

    /** Answers 200 with a {@link HealthReport}. */
    Mono<ServerResponse> check(ServerRequest request) {
        List<JwksCacheStats> stats = trustedKeys.byIssuer().values().stream().map(JwksKeySource::stats).toList();
        HealthReport report = new HealthReport("UP", stats.isEmpty() ? null : stats.get(0),
                stats.size() > 1 ? stats : null);
        return ServerResponse.ok().bodyValue(report);
    }
}
