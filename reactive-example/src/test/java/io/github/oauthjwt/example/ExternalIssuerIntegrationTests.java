package io.github.oauthjwt.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.jwk.Curve;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The example pointed at an outside authorization server, as {@code java -jar ...
 * --oauth-jwt.jwks-uri=...} runs it: the JWKS is a MockWebServer publishing keys made here, and
 * the tests count the fetches it receives. Each test leaves the keys it found in place, so counts
 * are compared with the count before the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalIssuerIntegrationTests {

    /** The bare DPoP challenge beside every Bearer one: the example accepts DPoP by default (RFC 9449 §7.2). */
    private static final String DPOP = "DPoP realm=\"example-api\", algs=\"ES256 ES384 ES512 PS256 RS256 EdDSA\"";

    private final TestKey rsaKey = TestKey.rsa("rsa-1");
    private final TestKey psKey = TestKey.rsa("ps-1").signingWith("PS256");
    private final TestKey ecKey = TestKey.ec("ec-1", Curve.P_256);
    private final TestKey edKey = TestKey.ed25519("ed-1");
    private final AtomicReference<String> published =
            new AtomicReference<>(TestTokens.jwks(rsaKey, psKey, ecKey, edKey));
    private final MockWebServer jwks = new MockWebServer();
    private RunningExample app;
    private WebTestClient client;

    @BeforeAll
    void startJwksAndApp() throws Exception {
        jwks.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder()
                        .addHeader("Content-Type", "application/json")
                        .body(published.get())
                        .build();
            }
        });
        jwks.start();
        app = RunningExample.start(
                "--oauth-jwt.jwks-uri=" + jwks.url("/oauth/jwks"),
                "--oauth-jwt.issuer=" + TestTokens.ISSUER,
                "--oauth-jwt.audience=" + TestTokens.AUDIENCE,
                "--oauth-jwt.realm=example-api",
                "--oauth-jwt.jwks.refetch-interval=2s");
        client = app.client();
        // The warm-up fetch, started when the app was ready.
        RecordedRequest warmUp = jwks.takeRequest(5, TimeUnit.SECONDS);
        assertThat(warmUp).isNotNull();
        assertThat(warmUp.getMethod()).isEqualTo("GET");
        assertThat(warmUp.getTarget()).isEqualTo("/oauth/jwks");
    }

    @AfterAll
    void stop() {
        app.close();
        jwks.close();
    }

    @Test
    void apiDataWhenRs256TokenFromTheConfiguredIssuerThenOk() {
        String token = TestTokens.signedBy(rsaKey).claim("role", "developer").build();

        get("/api/data", token)
                .expectStatus().isOk()
                .expectBody(String.class)
                .isEqualTo("{\"message\":\"Hello! You called the API with scope 'read' and role 'developer'.\"}");
    }

    @Test
    void apiDataWhenPs256TokenThenOk() {
        get("/api/data", TestTokens.signedBy(psKey).build()).expectStatus().isOk();
    }

    @Test
    void apiDataWhenEs256TokenThenOk() {
        String token = TestTokens.signedBy(ecKey).claim("role", "tester").build();

        get("/api/data", token)
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.message").isEqualTo("Hello! You called the API with scope 'read' and role 'tester'.");
    }

    @Test
    void apiDataWhenEdDsaTokenThenOk() {
        get("/api/data", TestTokens.signedBy(edKey).build()).expectStatus().isOk();
    }

    @Test
    void apiDataWhenManyRequestsWithKnownKeysThenNoFurtherJwksFetch() {
        String token = TestTokens.signedBy(rsaKey).build();
        get("/api/data", token).expectStatus().isOk();
        int before = jwks.getRequestCount();

        for (int i = 0; i < 20; i++) {
            get("/api/data", token).expectStatus().isOk();
        }

        assertThat(jwks.getRequestCount()).isEqualTo(before);
    }

    @Test
    void apiDataWhenKeyRotatedThenRefetchesOnceAndAcceptsTheNewKey() {
        get("/api/data", TestTokens.signedBy(rsaKey).build()).expectStatus().isOk();
        TestKey rotated = TestKey.rsa("rsa-2");
        published.set(TestTokens.jwks(rsaKey, psKey, ecKey, edKey, rotated));
        int before = jwks.getRequestCount();

        get("/api/data", TestTokens.signedBy(rotated).build()).expectStatus().isOk();
        get("/api/data", TestTokens.signedBy(rotated).build()).expectStatus().isOk();

        assertThat(jwks.getRequestCount()).isEqualTo(before + 1);
    }

    @Test
    void apiDataWhenKidUnknownThenUnauthorizedAfterOneRefetch() {
        get("/api/data", TestTokens.signedBy(rsaKey).build()).expectStatus().isOk();
        int before = jwks.getRequestCount();

        get("/api/data", TestTokens.signedBy(rsaKey).header("kid", "nobody").build())
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"example-api\","
                        + " error=\"invalid_token\", error_description=\"No signing key with kid 'nobody' is"
                        + " published by the authorization server this API trusts.\"", DPOP);

        assertThat(jwks.getRequestCount()).isEqualTo(before + 1);
    }

    @Test
    void apiDataWhenTokenFromAnotherIssuerThenUnauthorized() {
        String token = TestTokens.signedBy(rsaKey).claim("iss", "https://other.test").build();

        get("/api/data", token)
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"example-api\","
                        + " error=\"invalid_token\", error_description=\"The access token was issued by"
                        + " 'https://other.test'; this API accepts tokens issued by " + TestTokens.ISSUER + ".\"", DPOP);
    }

    @Test
    void apiDataWhenNoTokenThenUnauthorizedWithTheConfiguredRealm() {
        client.get().uri("/api/data").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"example-api\"", DPOP);
    }

    @Test
    void demoIssuerWhenJwksUriSetThenOff() {
        client.get().uri("/demo/jwks").exchange().expectStatus().isNotFound();
        client.post().uri("/demo/token").exchange().expectStatus().isNotFound();
    }

    @Test
    void healthWhenNoTokenThenOkWithTheCacheState() {
        get("/api/data", TestTokens.signedBy(rsaKey).build()).expectStatus().isOk();

        client.get().uri("/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.jwks.uri").isEqualTo(jwks.url("/oauth/jwks").toString())
                .jsonPath("$.jwks.lastFetchSucceeded").isEqualTo(true);
    }

    private WebTestClient.ResponseSpec get(String path, String token) {
        return client.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }
}
