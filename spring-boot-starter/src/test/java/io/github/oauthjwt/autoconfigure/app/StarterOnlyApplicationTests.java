package io.github.oauthjwt.autoconfigure.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauthjwt.autoconfigure.TrustedKeySources;
import io.github.oauthjwt.testing.Await;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The acceptance of the starter: {@link StarterOnlyApplication}, started on a random port with only
 * {@code oauth-jwt.issuer}, {@code oauth-jwt.jwks-uri} and {@code oauth-jwt.audience} in
 * {@code application.yml}, secures {@code /api/**} (and by default every other path) over real
 * HTTP, with keys from a real JWKS endpoint, fetched once at startup.
 */
@SpringBootTest(classes = StarterOnlyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StarterOnlyApplicationTests {

    private static final TestKey KEY = TestKey.rsa("k1");
    private static final JwksServer JWKS = JwksServer.serving(KEY);

    @DynamicPropertySource
    static void jwks(DynamicPropertyRegistry registry) {
        registry.add("test.jwks-uri", () -> JWKS.uri().toString());
    }

    @AfterAll
    static void stopJwks() {
        JWKS.close();
    }

    @LocalServerPort
    private int port;

    @Autowired
    private TrustedKeySources keySources;

    private WebTestClient client;

    @BeforeEach
    void bindClient() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    @Test
    void apiWhenValidTokenThenOkWithTheVerifiedClaims() {
        client.get().uri("/api/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(KEY).build())
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("Hello alice");
    }

    @Test
    void apiWhenNoTokenThenUnauthorizedWithBareChallenge() {
        client.get().uri("/api/hello").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    @Test
    void apiWhenTokenOfAnotherIssuerThenUnauthorizedNamingTheIssuer() {
        String token = TestTokens.signedBy(KEY).claim("iss", "https://elsewhere.example").build();

        client.get().uri("/api/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.error").isEqualTo("invalid_token");
    }

    @Test
    void otherPathsWhenNoTokenThenUnauthorizedBecauseEveryPathIsSecuredByDefault() {
        client.get().uri("/anything").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void startupWarmsTheKeyCacheWithOneFetch() {
        Await.until("the warm-up fetch has ended",
                () -> keySources.byIssuer().get(TestTokens.ISSUER).stats().lastFetchAt() != null);

        assertThat(keySources.byIssuer().get(TestTokens.ISSUER).stats().keyCount()).isEqualTo(1);
        assertThat(JWKS.requestCount()).isEqualTo(1);
    }
}
