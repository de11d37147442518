package io.github.oauthjwt.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.util.Map;

import com.nimbusds.jwt.SignedJWT;
import io.github.oauthjwt.testing.IssuerServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The example configured the way issue 12 promises: {@code oauth-jwt.issuer} alone (keys found
 * through the metadata), a second copy of the example trusting the first one's demo issuer, several
 * issuers, and protected-resource metadata, all over real HTTP.
 */
class DiscoveryIntegrationTests {

    private static final TestKey KEY = TestKey.rsa("discovered");

    @Test
    void trustsAnAuthorizationServerNamedByItsIssuerAlone() {
        try (IssuerServer server = IssuerServer.serving(KEY);
                RunningExample app = RunningExample.start("--oauth-jwt.issuer=" + server.issuer())) {
            String token = TestTokens.signedBy(KEY).claim("iss", server.issuer()).build();

            app.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                    .expectStatus().isOk();

            assertThat(server.requests("/.well-known/openid-configuration")).isEqualTo(1);
            assertThat(server.requests("/jwks")).isEqualTo(1);
        }
    }

    @Test
    void answers503UntilTheIssuerCanBeDiscovered() {
        try (IssuerServer server = IssuerServer.serving(KEY).failMetadataWith(503);
                RunningExample app = RunningExample.start("--oauth-jwt.issuer=" + server.issuer())) {
            String token = TestTokens.signedBy(KEY).claim("iss", server.issuer()).build();

            app.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectBody().jsonPath("$.error").isEqualTo("temporarily_unavailable");
        }
    }

    @Test
    void aSecondCopyTrustsTheFirstCopysDemoIssuerGivenItsIssuerAlone() throws ParseException {
        try (RunningExample demo = RunningExample.start()) {
            String token = demo.client().post().uri("/demo/token").body(BodyInserters.fromFormData("scope", "read"))
                    .exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody().get("access_token").toString();
            String issuer = SignedJWT.parse(token).getJWTClaimsSet().getIssuer();
            assertThat(issuer).isEqualTo("http://localhost:" + demo.port());
            demo.client().get().uri("/.well-known/openid-configuration").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.issuer").isEqualTo(issuer)
                    .jsonPath("$.jwks_uri").isEqualTo(issuer + "/demo/jwks");

            try (RunningExample second = RunningExample.start("--oauth-jwt.issuer=" + issuer)) {
                second.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                        .expectStatus().isOk();
                second.client().post().uri("/demo/token").exchange().expectStatus().isNotFound();
            }
        }
    }

    @Test
    void trustsSeveralIssuersEachForItsOwnAudience() {
        TestKey partnerKey = TestKey.ec("partner", com.nimbusds.jose.jwk.Curve.P_256);
        try (IssuerServer corporate = IssuerServer.serving(KEY);
                IssuerServer partner = IssuerServer.serving(partnerKey);
                RunningExample app = RunningExample.start(
                        "--oauth-jwt.issuers[0].issuer=" + corporate.issuer(),
                        "--oauth-jwt.issuers[1].issuer=" + partner.issuer(),
                        "--oauth-jwt.issuers[1].audience=partner-api",
                        "--oauth-jwt.issuers[1].jwks-uri=" + partner.jwksUri())) {
            String corporateToken = TestTokens.signedBy(KEY).claim("iss", corporate.issuer()).build();
            String partnerToken = TestTokens.signedBy(partnerKey).claim("iss", partner.issuer()).claim("aud", "partner-api")
                    .build();
            String partnerTokenForCorporateApi = TestTokens.signedBy(partnerKey).claim("iss", partner.issuer()).build();
            String strangerToken = TestTokens.signedBy(KEY).claim("iss", "http://127.0.0.1:9/evil").build();

            app.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + corporateToken).exchange()
                    .expectStatus().isOk();
            app.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + partnerToken).exchange()
                    .expectStatus().isOk();
            app.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + partnerTokenForCorporateApi)
                    .exchange().expectStatus().isUnauthorized();
            app.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + strangerToken).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", "
                            + "error_description=\"The access token was issued by an issuer this API does not trust.\"");

            assertThat(partner.requestedPaths()).containsOnly("/jwks");
            app.client().get().uri("/health").exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.issuers.length()").isEqualTo(2);
        }
    }

    @Test
    void publishesProtectedResourceMetadataAndPointsChallengesAtIt() {
        try (IssuerServer server = IssuerServer.serving(KEY);
                RunningExample app = RunningExample.start("--oauth-jwt.issuer=" + server.issuer(),
                        "--oauth-jwt.resource-metadata.enabled=true", "--oauth-jwt.resource=https://api.example.com",
                        "--oauth-jwt.scopes-supported=read,admin")) {
            app.client().get().uri("/.well-known/oauth-protected-resource").exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentType(MediaType.APPLICATION_JSON)
                    .expectBody(String.class).isEqualTo("{\"resource\":\"https://api.example.com\","
                            + "\"authorization_servers\":[\"" + server.issuer() + "\"],"
                            + "\"scopes_supported\":[\"read\",\"admin\"],\"bearer_methods_supported\":[\"header\"],"
                            + "\"dpop_signing_alg_values_supported\":[\"ES256\",\"ES384\",\"ES512\",\"PS256\",\"RS256\",\"EdDSA\"]}");
            app.client().get().uri("/api/data").exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE,
                            "Bearer resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource\"");
        }
    }
}
