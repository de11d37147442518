package io.github.oauthjwt.security.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauthjwt.security.OAuthJwtSecurity;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The bridge end to end over HTTP: Spring Security's resource server with this library's checks,
 * {@code @PreAuthorize("hasAuthority('SCOPE_admin')")} on a controller method, keys from a real
 * JWKS endpoint, and each of 200, 401, 403 and 503 with the library's headers.
 */
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"oauth-jwt.issuer=" + TestTokens.ISSUER, "oauth-jwt.audience=" + TestTokens.AUDIENCE,
                "oauth-jwt.realm=api", "oauth-jwt.jwks.initial-backoff=30s"})
class SpringSecurityBridgeTests {

    private static final TestKey KEY = TestKey.rsa("k1");
    private static final TestKey ROTATED = TestKey.rsa("k2");
    private static final JwksServer JWKS = JwksServer.serving(KEY);

    @DynamicPropertySource
    static void jwks(DynamicPropertyRegistry registry) {
        registry.add("oauth-jwt.jwks-uri", () -> JWKS.uri().toString());
    }

    @AfterAll
    static void stopJwks() {
        JWKS.close();
    }

    @LocalServerPort
    private int port;

    @Autowired
    private ApplicationContext context;

    private WebTestClient client;

    @BeforeEach
    void bindClient() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    @AfterEach
    void restoreJwks() {
        JWKS.publish(KEY);
    }

    private WebTestClient.ResponseSpec get(String path, String token) {
        return client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    @Test
    void dataWhenValidTokenThenOkWithThePrincipalsClaims() {
        get("/api/data", TestTokens.signedBy(KEY).build())
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("data for alice");
    }

    @Test
    void adminWhenTokenHasScopeAdminThenPreAuthorizeLetsItThrough() {
        get("/api/admin", TestTokens.signedBy(KEY).scope("read admin").build())
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("admin for alice");
    }

    @Test
    void adminWhenTokenLacksScopeAdminThenForbiddenWithInsufficientScopeChallenge() {
        get("/api/admin", TestTokens.signedBy(KEY).build())
                .expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"api\","
                        + " error=\"insufficient_scope\", error_description=\"The access token does not grant the"
                        + " scope or authority this resource requires.\"")
                .expectBody().jsonPath("$.error").isEqualTo("insufficient_scope");
    }

    @Test
    void dataWhenNoTokenThenUnauthorizedWithBareChallenge() {
        client.get().uri("/api/data").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"api\"")
                .expectBody().isEmpty();
    }

    @Test
    void dataWhenTokenExpiredThenUnauthorizedWithTheLibrarysDescription() {
        String expired = TestTokens.signedBy(KEY).expiresAt(java.time.Instant.now().minusSeconds(3600)).build();

        get("/api/data", expired)
                .expectStatus().isUnauthorized()
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, header -> assertThat(header)
                        .startsWith("Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token")
                        .contains("expired"))
                .expectBody().jsonPath("$.error").isEqualTo("invalid_token");
    }

    @Test
    void dataWhenHeaderIsNoBearerTokenThenUnauthorizedInvalidToken() {
        get("/api/data", "not a token!")
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"api\", error=\"invalid_token\","
                        + " error_description=\"Bearer token is malformed.\"");
    }

    @Test
    void dataWhenSignedByAnUnknownKeyWhileTheJwksEndpointFailsThenServiceUnavailableWithRetryAfter() {
        JWKS.failWith(503);

        get("/api/data", TestTokens.signedBy(ROTATED).build())
                .expectStatus().isEqualTo(503)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE)
                .expectBody().jsonPath("$.error").isEqualTo("temporarily_unavailable");
    }

    @Test
    void publicPathWhenNoTokenThenOk() {
        client.get().uri("/public").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("public");
    }

    @Test
    void theStartersFilterStepsAsideSoEachTokenIsCheckedOnce() {
        assertThat(context.getBeansOfType(OAuthJwtFilter.class)).isEmpty();
        assertThat(context.getBeansOfType(OAuthJwtSecurity.class)).hasSize(1);
    }
}
