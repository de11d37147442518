package io.github.oauthjwt.example;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * A browser app on another origin, over real HTTP against the example in demo mode with
 * {@code cors.allowed-origins} set: its preflight passes the OAuth JWT filter and is answered by
 * CORS, while the real request still needs a token, and every answer, refusals included, carries
 * the CORS headers a browser needs to read it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorsIntegrationTests {

    /** The bare DPoP challenge beside every Bearer one: the example accepts DPoP by default (RFC 9449 §7.2). */
    private static final String DPOP = "DPoP algs=\"ES256 ES384 ES512 PS256 RS256 EdDSA\"";

    private static final String APP = "https://app.example";

    private RunningExample app;
    private WebTestClient client;

    @BeforeAll
    void start() {
        app = RunningExample.start("--cors.allowed-origins=" + APP);
        client = app.client();
    }

    @AfterAll
    void stop() {
        app.close();
    }

    private WebTestClient.ResponseSpec preflight(String origin) {
        return client.options().uri("/api/data")
                .header(HttpHeaders.ORIGIN, origin)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
                .exchange();
    }

    @Test
    void preflightFromAnAllowedOriginIsAnsweredWithoutAToken() {
        preflight(APP).expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, APP)
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, "authorization")
                .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
    }

    @Test
    void preflightFromAnotherOriginIsRefusedByCorsNotByTheFilter() {
        preflight("https://evil.example").expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)
                .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
    }

    @Test
    void theRealRequestStillNeedsATokenAndTheBrowserMayReadTheChallenge() {
        client.get().uri("/api/data").header(HttpHeaders.ORIGIN, APP).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer", DPOP)
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, APP)
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "WWW-Authenticate, Retry-After");
    }

    @Test
    void theRealRequestWithATokenIsAnswered() {
        String body = client.post().uri("/demo/token").body(BodyInserters.fromFormData("scope", "read")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).isNotNull();
        String token = body.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");

        client.get().uri("/api/data").header(HttpHeaders.ORIGIN, APP)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, APP);
    }
}
