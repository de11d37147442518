package io.github.oauthjwt.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * The example started while its authorization server's JWKS endpoint is broken: every token is
 * answered 503 with {@code Retry-After}, never 401 and never a 500, and the app keeps serving
 * {@code /health}. Each test starts its own app, as the outage is part of its arrangement.
 */
class UnavailableKeysIntegrationTests {

    private final TestKey rsaKey = TestKey.rsa("rsa-1");
    private final MockWebServer jwks = new MockWebServer();

    @BeforeEach
    void startJwks() throws Exception {
        jwks.start();
    }

    @AfterEach
    void stopJwks() {
        jwks.close();
    }

    @Test
    void apiDataWhenJwksAnswers500ThenServiceUnavailableWithRetryAfter() throws Exception {
        jwks.enqueue(new MockResponse.Builder().code(500).body("oops").build());
        try (RunningExample app = start("--oauth-jwt.jwks.initial-backoff=30s")) {
            assertThat(jwks.takeRequest(5, TimeUnit.SECONDS)).isNotNull();

            assertServiceUnavailable(app);
            app.client().get().uri("/health").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.status").isEqualTo("UP")
                    .jsonPath("$.jwks.lastFetchSucceeded").isEqualTo(false);
            assertThat(jwks.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void apiDataWhenJwksNeverAnswersThenServiceUnavailableAfterTheTimeout() {
        jwks.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        try (RunningExample app = start("--oauth-jwt.jwks.timeout=300ms", "--oauth-jwt.jwks.initial-backoff=30s")) {
            assertServiceUnavailable(app);
            assertThat(jwks.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void apiDataWhenJwksAnswersGarbageThenServiceUnavailable() {
        jwks.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
                .body("{\"keys\": garbage").build());
        try (RunningExample app = start("--oauth-jwt.jwks.initial-backoff=30s")) {
            assertServiceUnavailable(app);
            assertThat(jwks.getRequestCount()).isEqualTo(1);
        }
    }

    private RunningExample start(String... jwksOptions) {
        String[] base = {
            "--oauth-jwt.jwks-uri=" + jwks.url("/jwks"),
            "--oauth-jwt.issuer=" + TestTokens.ISSUER,
            "--oauth-jwt.audience=" + TestTokens.AUDIENCE,
        };
        return RunningExample.start(Stream.concat(Arrays.stream(base), Arrays.stream(jwksOptions)).toArray(String[]::new));
    }

    private void assertServiceUnavailable(RunningExample app) {
        EntityExchangeResult<String> result = app.client().get().uri("/api/data")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(rsaKey).build())
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE)
                .expectHeader().valueMatches(HttpHeaders.RETRY_AFTER, "[1-9][0-9]*")
                .expectBody(String.class).returnResult();
        String seconds = result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        assertThat(result.getResponseBody()).isEqualTo("{\"error\":\"temporarily_unavailable\",\"error_description\":"
                + "\"The API cannot verify access tokens right now because the authorization server's signing keys"
                + " are unavailable; retry the same token in " + seconds + ("1".equals(seconds) ? " second" : " seconds")
                + ".\"}");
    }
}
