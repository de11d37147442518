package io.github.oauthjwt.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.time.Instant;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The example in demo mode, as a user first meets it: no {@code oauth-jwt.jwks-uri}, a random
 * port, tokens minted by the embedded demo issuer and checked by the filter with keys it fetched
 * from {@code /demo/jwks} over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoIssuerIntegrationTests {

    /** The bare DPoP challenge beside every Bearer one: the example accepts DPoP by default (RFC 9449 §7.2). */
    private static final String DPOP = "DPoP algs=\"ES256 ES384 ES512 PS256 RS256 EdDSA\"";

    @LocalServerPort
    private int port;

    private WebTestClient client;

    @BeforeEach
    void bindClient() {
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    @Test
    void apiDataWhenDemoTokenThenOkWithScopeAndRoleInTheMessage() {
        String token = mint("scope", "read", "role", "developer");

        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class)
                .isEqualTo("{\"message\":\"Hello! You called the API with scope 'read' and role 'developer'.\"}");
    }

    @Test
    void apiAdminWhenReadTokenThenForbiddenWithInsufficientScopeChallenge() {
        String token = mint("scope", "read", "role", "developer");

        client.get().uri("/api/admin").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\","
                        + " error_description=\"The access token lacks the scope 'admin'; this resource requires"
                        + " the scopes: admin.\", scope=\"admin\"")
                .expectBody()
                .jsonPath("$.error").isEqualTo("insufficient_scope")
                .jsonPath("$.scope").isEqualTo("admin");
    }

    @Test
    void apiAdminWhenTokenMintedWithScopeAdminThenOk() {
        String token = mint("scope", "admin", "role", "admin");

        client.get().uri("/api/admin").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.message").isEqualTo("Hello admin! You called the admin API with scope 'admin' and role 'admin'.");
    }

    @Test
    void apiDataWhenNoTokenThenUnauthorizedWithBareChallenge() {
        client.get().uri("/api/data").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer", DPOP)
                .expectBody().isEmpty();
    }

    @Test
    void apiDataWhenTokenExpiredThenUnauthorizedInvalidToken() throws ParseException {
        String token = mint("expires_in", "-120");
        Instant exp = SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().toInstant();

        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\","
                        + " error_description=\"The access token expired at " + exp + ".\"", DPOP);
    }

    @Test
    void apiDataWhenHeaderHasNoTokenThenBadRequestInvalidRequest() {
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_request\","
                        + " error_description=\"The Authorization header uses the Bearer scheme but carries no token.\"", DPOP);
    }

    @Test
    void healthWhenNoTokenThenOk() {
        client.get().uri("/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void apiMeWhenDemoTokenThenAnswersTheVerifiedClaims() {
        String token = mint("scope", "read write", "role", "developer", "sub", "bob");

        client.get().uri("/api/me").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.subject").isEqualTo("bob")
                .jsonPath("$.scopes[0]").isEqualTo("read")
                .jsonPath("$.scopes[1]").isEqualTo("write")
                .jsonPath("$.audience[0]").isEqualTo("api.example.com")
                .jsonPath("$.claims.iss").isEqualTo("https://demo-issuer.example")
                .jsonPath("$.claims.aud").isEqualTo("api.example.com")
                .jsonPath("$.claims.role").isEqualTo("developer")
                .jsonPath("$.claims.client_id").isEqualTo("demo-client")
                .jsonPath("$.claims.jti").isNotEmpty();
    }

    @Test
    void filterWhenDemoModeThenFetchesKeysOverHttpFromTheActualPort() {
        String token = mint("scope", "read");
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk();

        client.get().uri("/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.jwks.uri").isEqualTo("http://localhost:" + port + "/demo/jwks")
                .jsonPath("$.jwks.lastFetchSucceeded").isEqualTo(true)
                .jsonPath("$.jwks.kids.length()").isEqualTo(1);
    }

    @Test
    void demoTokenWhenMintedThenHasTheAccessTokenShapeAndTheJwksKid() throws ParseException {
        SignedJWT token = SignedJWT.parse(mint("scope", "read"));
        JWKSet jwks = JWKSet.parse(client.get().uri("/demo/jwks").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(token.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        assertThat(jwks.getKeyByKeyId(token.getHeader().getKeyID())).isNotNull();
        assertThat(jwks.getKeys()).allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
        assertThat(token.getJWTClaimsSet().getClaims())
                .containsKeys("iss", "aud", "sub", "scope", "role", "iat", "exp", "jti");
    }

    @Test
    void demoTokenWhenFieldRepeatedThenBadRequest() {
        client.post().uri("/demo/token")
                .body(BodyInserters.fromFormData("scope", "read").with("scope", "admin"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody(String.class)
                .isEqualTo("{\"error\":\"invalid_request\",\"error_description\":\"Send the field scope at most once.\"}");
    }

    /** POSTs the form fields (name, value, name, value, ...) to /demo/token and returns the access token. */
    private String mint(String... fields) {
        var form = BodyInserters.fromFormData("grant_type", "client_credentials");
        for (int i = 0; i < fields.length; i += 2) {
            form = form.with(fields[i], fields[i + 1]);
        }
        MintedToken response = client.post().uri("/demo/token").body(form).exchange()
                .expectStatus().isOk()
                .expectHeader().cacheControl(CacheControl.noStore())
                .expectBody(MintedToken.class).returnResult().getResponseBody();
        assertThat(response.token_type()).isEqualTo("Bearer");
        return response.access_token();
    }

    /** The answer of POST /demo/token (RFC 6749 §5.1). */
    record MintedToken(String access_token, String token_type, long expires_in) {
    }
}
