package io.github.oauthjwt.example;

import io.github.oauthjwt.autoconfigure.TrustedKeySources;
import io.github.oauthjwt.testing.Await;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * The example's Actuator endpoints over HTTP: {@code /actuator/health} with the starter's
 * {@code jwks} component, for a real authorization server and in demo mode, and
 * {@code /actuator/prometheus}. Both stay open: the example secures {@code /api/**} alone.
 */
class ActuatorIntegrationTests {

    private static final TestKey KEY = TestKey.rsa("rsa-1");

    @Test
    void actuatorHealthWhenKeysFetchedThenJwksComponentUpWithTheCacheDetails() {
        try (JwksServer jwks = JwksServer.serving(KEY);
                RunningExample app = RunningExample.start("--oauth-jwt.jwks-uri=" + jwks.uri(),
                        "--oauth-jwt.issuer=" + TestTokens.ISSUER, "--oauth-jwt.audience=" + TestTokens.AUDIENCE)) {
            awaitFirstFetch(app);

            app.client().get().uri("/actuator/health").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.status").isEqualTo("UP")
                    .jsonPath("$.components.jwks.status").isEqualTo("UP")
                    .jsonPath("$.components.jwks.details.issuer").isEqualTo(TestTokens.ISSUER)
                    .jsonPath("$.components.jwks.details.jwksUri").isEqualTo(jwks.uri().toString())
                    .jsonPath("$.components.jwks.details.keys").isEqualTo("FRESH")
                    .jsonPath("$.components.jwks.details.keyCount").isEqualTo(1)
                    .jsonPath("$.components.jwks.details.lastFetchOutcome").isEqualTo("success");
        }
    }

    @Test
    void actuatorHealthWhenNoKeysCanBeHadThenDownWith503() {
        try (JwksServer jwks = JwksServer.serving(KEY).failWith(500);
                RunningExample app = RunningExample.start("--oauth-jwt.jwks-uri=" + jwks.uri(),
                        "--oauth-jwt.issuer=" + TestTokens.ISSUER, "--oauth-jwt.audience=" + TestTokens.AUDIENCE,
                        "--oauth-jwt.jwks.initial-backoff=30s")) {
            awaitFirstFetch(app);

            app.client().get().uri("/actuator/health").exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody()
                    .jsonPath("$.status").isEqualTo("DOWN")
                    .jsonPath("$.components.jwks.status").isEqualTo("DOWN")
                    .jsonPath("$.components.jwks.details.keys").isEqualTo("UNAVAILABLE")
                    .jsonPath("$.components.jwks.details.lastFailure").isEqualTo("HTTP status 500");
            app.client().get().uri("/health").exchange().expectStatus().isOk();
        }
    }

    @Test
    void actuatorHealthInDemoModeThenJwksComponentShowsTheDemoIssuersKeys() {
        try (RunningExample app = RunningExample.start()) {
            awaitFirstFetch(app);

            app.client().get().uri("/actuator/health").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.components.jwks.status").isEqualTo("UP")
                    .jsonPath("$.components.jwks.details.issuer").isEqualTo("http://localhost:" + app.port())
                    .jsonPath("$.components.jwks.details.keyCount").isEqualTo(1);
        }
    }

    @Test
    void actuatorPrometheusShowsTheValidationsFetchesAndKeysAfterAFewRequests() {
        try (JwksServer jwks = JwksServer.serving(KEY);
                RunningExample app = RunningExample.start("--oauth-jwt.jwks-uri=" + jwks.uri(),
                        "--oauth-jwt.issuer=" + TestTokens.ISSUER, "--oauth-jwt.audience=" + TestTokens.AUDIENCE)) {
            awaitFirstFetch(app);
            String token = TestTokens.signedBy(KEY).build();
            for (int i = 0; i < 3; i++) {
                app.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                        .expectStatus().isOk();
            }
            app.client().get().uri("/api/data").exchange().expectStatus().isUnauthorized();

            String body = app.client().get().uri("/actuator/prometheus").header(HttpHeaders.ACCEPT, MediaType.TEXT_PLAIN_VALUE)
                    .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();

            org.assertj.core.api.Assertions.assertThat(body.lines())
                    .anySatisfy(line -> org.assertj.core.api.Assertions.assertThat(line)
                            .startsWith("oauth_jwt_validation_seconds_count{").contains("cache=\"miss\"")
                            .contains("outcome=\"verified\"").endsWith(" 1"))
                    .anySatisfy(line -> org.assertj.core.api.Assertions.assertThat(line)
                            .startsWith("oauth_jwt_validation_seconds_count{").contains("cache=\"hit\"")
                            .contains("outcome=\"verified\"").endsWith(" 2"))
                    .anySatisfy(line -> org.assertj.core.api.Assertions.assertThat(line)
                            .startsWith("oauth_jwt_validation_seconds_count{").contains("outcome=\"missing_token\"")
                            .endsWith(" 1"))
                    .anySatisfy(line -> org.assertj.core.api.Assertions.assertThat(line)
                            .startsWith("oauth_jwks_fetch_seconds_count{").contains("outcome=\"success\"")
                            .contains("trigger=\"initial\""))
                    .anySatisfy(line -> org.assertj.core.api.Assertions.assertThat(line)
                            .startsWith("oauth_jwks_keys{").endsWith(" 1.0"));
        }
    }

    @Test
    void actuatorPrometheusAnswersInPrometheusTextFormatWithoutAToken() {
        try (RunningExample app = RunningExample.start()) {
            app.client().get().uri("/actuator/prometheus").header(HttpHeaders.ACCEPT, MediaType.TEXT_PLAIN_VALUE)
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody(String.class).value(body -> org.assertj.core.api.Assertions.assertThat(body)
                            .contains("# TYPE jvm_memory_used_bytes gauge"));
        }
    }

    private static void awaitFirstFetch(RunningExample app) {
        TrustedKeySources keys = app.bean(TrustedKeySources.class);
        Await.until("the warm-up fetch has ended", () -> !keys.byIssuer().isEmpty()
                && keys.byIssuer().values().iterator().next().stats().lastFetchAt() != null);
    }
}
