package io.github.oauthjwt.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.oauthjwt.testing.Await;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The {@code jwks} health component over a real JWKS endpoint (MockWebServer) going up and down,
 * with the key cache's time moved by a {@link VirtualTimeScheduler}.
 */
class JwksHealthIndicatorTests {

    private static final TestKey KEY = TestKey.rsa("k1");
    private static final String ISSUER = "https://issuer.example";

    private JwksServer jwks;
    private VirtualTimeScheduler time;

    @BeforeEach
    void start() {
        jwks = JwksServer.serving(KEY);
        time = VirtualTimeScheduler.create();
        // The cache reads "no fetch has ended yet" from a last-attempt time of 0, the virtual epoch.
        time.advanceTimeBy(Duration.ofDays(1));
    }

    @AfterEach
    void stop() {
        jwks.close();
        time.dispose();
    }

    private JwksKeySource keySource() {
        return JwksKeySource.builder(jwks.uri()).scheduler(time).build();
    }

    private static Health health(JwksKeySource... sources) {
        Map<String, JwksKeySource> byIssuer = new LinkedHashMap<>();
        for (int i = 0; i < sources.length; i++) {
            byIssuer.put(i == 0 ? ISSUER : "https://other-" + i + ".example", sources[i]);
        }
        return new JwksHealthIndicator(TrustedKeySources.of(byIssuer)).health().block(Duration.ofSeconds(5));
    }

    private static void fetch(JwksKeySource source) {
        source.keys().onErrorResume(error -> reactor.core.publisher.Mono.empty()).block(Duration.ofSeconds(10));
    }

    @Test
    void healthWhenNoFetchHasEndedThenUnknown() {
        Health health = health(keySource());

        assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(health.getDetails()).containsEntry("keys", "UNAVAILABLE").containsEntry("keyCount", 0)
                .doesNotContainKey("lastFetch");
    }

    @Test
    void healthWhenKeysFreshThenUpWithTheCacheDetails() {
        JwksKeySource source = keySource();
        fetch(source);

        Health health = health(source);

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails())
                .containsEntry("issuer", ISSUER)
                .containsEntry("jwksUri", jwks.uri().toString())
                .containsEntry("keys", "FRESH")
                .containsEntry("keyCount", 1)
                .containsEntry("lastFetchOutcome", "success")
                .containsEntry("fetches", 1L)
                .containsEntry("failures", 0L)
                .containsKeys("lastFetch", "expiresAt", "nextRefresh", "servesUntil")
                .doesNotContainKey("lastFailure");
    }

    @Test
    void healthWhenStaleKeysServeThroughAnOutageThenUpWithTheFailure() {
        JwksKeySource source = keySource();
        fetch(source);
        jwks.failWith(503);
        time.advanceTimeBy(JwksKeySource.Builder.DEFAULT_TTL.plusSeconds(1));
        fetch(source);
        source.cachedKey("k1", com.nimbusds.jose.JWSAlgorithm.RS256);
        Await.until("the failed refresh is recorded", () -> source.stats().failures() == 1);

        Health health = health(source);

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails())
                .containsEntry("keys", "STALE")
                .containsEntry("keyCount", 1)
                .containsEntry("lastFetchOutcome", "failure")
                .containsEntry("lastFailure", "HTTP status 503")
                .containsEntry("failures", 1L);
    }

    @Test
    void healthWhenStaleKeysPastTheirMaximumStalenessThenDown() {
        JwksKeySource source = keySource();
        fetch(source);
        jwks.failWith(503);
        time.advanceTimeBy(JwksKeySource.Builder.DEFAULT_TTL.plus(JwksKeySource.Builder.DEFAULT_MAX_STALENESS));
        fetch(source);

        Health health = health(source);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("keys", "UNAVAILABLE").containsEntry("lastFailure", "HTTP status 503");
    }

    @Test
    void healthWhenNoKeysCanBeHadThenDown() {
        jwks.failWith(500);
        JwksKeySource source = keySource();
        fetch(source);

        Health health = health(source);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("keys", "UNAVAILABLE").containsEntry("keyCount", 0)
                .containsEntry("lastFetchOutcome", "failure").containsEntry("lastFailure", "HTTP status 500");
    }

    @Test
    void healthWhenTheEndpointRecoversThenUpAgain() {
        jwks.failWith(500);
        JwksKeySource source = keySource();
        fetch(source);
        assertThat(health(source).getStatus()).isEqualTo(Status.DOWN);

        jwks.publish(KEY);
        time.advanceTimeBy(JwksKeySource.Builder.DEFAULT_INITIAL_BACKOFF);
        fetch(source);

        assertThat(health(source).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void healthWhenSeveralIssuersThenTheWorstSetsTheStatusWithDetailsPerIssuer() {
        JwksKeySource good = keySource();
        fetch(good);
        try (JwksServer failing = JwksServer.serving(KEY).failWith(500)) {
            JwksKeySource bad = JwksKeySource.builder(failing.uri()).scheduler(time).build();
            fetch(bad);

            Health health = health(good, bad);

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> issuers = (Map<String, Map<String, Object>>) health.getDetails().get("issuers");
            assertThat(issuers).containsOnlyKeys(ISSUER, "https://other-1.example");
            assertThat(issuers.get(ISSUER)).containsEntry("status", "UP").containsEntry("keys", "FRESH");
            assertThat(issuers.get("https://other-1.example")).containsEntry("status", "DOWN")
                    .containsEntry("lastFailure", "HTTP status 500");
        }
    }

    @Test
    void healthWhenTheIssuersAreNotKnownYetThenUnknown() {
        Health health = new JwksHealthIndicator(Map::of).health().block(Duration.ofSeconds(5));

        assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
    }
}
