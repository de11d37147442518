package io.github.oauthjwt.autoconfigure;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.oauthjwt.webflux.jwks.JwksCacheStats;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;

/**
 * The {@code jwks} health component: whether the signing keys of every trusted issuer can verify
 * tokens, read from each key source's {@link JwksKeySource#stats() stats} without starting a fetch.
 *
 * <ul>
 *   <li><b>UP</b> while the keys are fresh, and also while stale keys serve through an outage of
 *       the JWKS endpoint (the details say {@code STALE}, the last failure, and until when they
 *       serve).</li>
 *   <li><b>DOWN</b> when no keys can be had: no fetch has succeeded, or the cached keys are past
 *       their maximum staleness. Requests then answer 503.</li>
 *   <li><b>UNKNOWN</b> before the first fetch has ended.</li>
 * </ul>
 *
 * With several issuers the worst one sets the status, and the details hold one entry per issuer.
 * Emits at once, never blocks, never errs.
 */
final class JwksHealthIndicator implements ReactiveHealthIndicator {

    private final TrustedKeySources keySources;

    JwksHealthIndicator(TrustedKeySources keySources) {
        this.keySources = keySources;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromSupplier(this::check);
    }

    private Health check() {
        Map<String, JwksKeySource> byIssuer = keySources.byIssuer();
        if (byIssuer.isEmpty()) {
            return Health.unknown().withDetail("reason", "the trusted issuers are not known yet").build();
        }
        if (byIssuer.size() == 1) {
            Map.Entry<String, JwksKeySource> only = byIssuer.entrySet().iterator().next();
            JwksCacheStats stats = only.getValue().stats();
            return Health.status(statusOf(stats)).withDetails(details(only.getKey(), stats)).build();
        }
        Status worst = Status.UP;
        Map<String, Object> issuers = new LinkedHashMap<>();
        for (Map.Entry<String, JwksKeySource> each : byIssuer.entrySet()) {
            JwksCacheStats stats = each.getValue().stats();
            Status status = statusOf(stats);
            worst = worse(worst, status);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", status.getCode());
            details.putAll(details(each.getKey(), stats));
            issuers.put(each.getKey(), details);
        }
        return Health.status(worst).withDetail("issuers", issuers).build();
    }

    private static Status statusOf(JwksCacheStats stats) {
        if (stats.freshness() != JwksCacheStats.Freshness.UNAVAILABLE) {
            return Status.UP;
        }
        return stats.lastFetchAt() == null ? Status.UNKNOWN : Status.DOWN;
    }

    private static Status worse(Status a, Status b) {
        List<Status> order = List.of(Status.DOWN, Status.UNKNOWN, Status.UP);
        return order.indexOf(a) <= order.indexOf(b) ? a : b;
    }

    private static Map<String, Object> details(String issuer, JwksCacheStats stats) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("issuer", issuer);
        details.put("jwksUri", stats.uri().toString());
        details.put("keys", stats.freshness().name());
        details.put("keyCount", stats.keyCount());
        putInstant(details, "lastFetch", stats.lastFetchAt());
        if (stats.lastFetchAt() != null) {
            details.put("lastFetchOutcome", stats.lastFetchSucceeded() ? "success" : "failure");
        }
        if (stats.lastFailure() != null) {
            details.put("lastFailure", stats.lastFailure());
        }
        putInstant(details, "expiresAt", stats.expiresAt());
        putInstant(details, "nextRefresh", stats.refreshAt());
        putInstant(details, "servesUntil", stats.usableUntil());
        details.put("fetches", stats.fetches());
        details.put("failures", stats.failures());
        return details;
    }

    private static void putInstant(Map<String, Object> details, String name, @Nullable Instant instant) {
        if (instant != null) {
            details.put(name, instant.toString());
        }
    }
}
