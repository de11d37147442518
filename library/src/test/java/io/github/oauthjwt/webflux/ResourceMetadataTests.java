package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.HttpHandlerConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/**
 * Protected-resource metadata (RFC 9728): the document at its well-known path, byte for byte, and
 * the {@code resource_metadata} parameter of every challenge, also behind a proxy whose forwarded
 * headers the application trusts, and never from forwarded headers it does not.
 */
class ResourceMetadataTests {

    private static final TestKey KEY = TestKey.rsa("metadata");
    private static final RouterFunction<ServerResponse> ROUTES = route(GET("/api"), request -> ServerResponse.ok().bodyValue("ok"));
    private static final String METADATA_URL = "https://api.example.com/.well-known/oauth-protected-resource";

    private JwksServer jwks;

    @BeforeEach
    void start() {
        jwks = JwksServer.serving(KEY);
    }

    @AfterEach
    void stop() {
        jwks.close();
    }

    private OAuthJwtFilterBuilder filter(ResourceMetadata metadata) {
        return OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri())).issuer(TestTokens.ISSUER)
                .audience(TestTokens.AUDIENCE).requiredScopes("read").paths("/api/**").resourceMetadata(metadata);
    }

    private static WebTestClient client(OAuthJwtFilter filter) {
        return WebTestClient.bindToRouterFunction(ROUTES).webFilter(filter).build();
    }

    /** A client of the filter behind Spring's handling of forwarded headers, as a proxied app has it. */
    private static WebTestClient clientBehindProxy(OAuthJwtFilter filter) {
        return WebTestClient.bindToServer(new HttpHandlerConnector(WebHttpHandlerBuilder
                .webHandler(RouterFunctions.toWebHandler(ROUTES)).filter(filter)
                .forwardedHeaderTransformer(new ForwardedHeaderTransformer()).build())).build();
    }

    private static ResourceMetadata apiMetadata() {
        return ResourceMetadata.builder().resource("https://api.example.com").scopesSupported("read", "write").build();
    }

    @Test
    void servesTheDocumentAtTheWellKnownPathWithoutAToken() {
        client(filter(apiMetadata()).build()).get().uri("/.well-known/oauth-protected-resource").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "max-age=3600")
                .expectBody(String.class).isEqualTo("{\"resource\":\"https://api.example.com\","
                        + "\"authorization_servers\":[\"https://issuer.example\"],"
                        + "\"scopes_supported\":[\"read\",\"write\"],"
                        + "\"bearer_methods_supported\":[\"header\"]}");
    }

    @Test
    void pointsEveryChallengeAtTheDocument() {
        WebTestClient client = client(filter(apiMetadata()).build());

        client.get().uri("/api").exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer resource_metadata=\"" + METADATA_URL + "\"");
        client.get().uri("/api").header(HttpHeaders.AUTHORIZATION, "Bearer not-a-jwt").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", "
                        + "error_description=\"The access token is not a JWT: a signed JWT has three base64url parts separated"
                        + " by dots.\", resource_metadata=\"" + METADATA_URL + "\"");
        client.get().uri("/api").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(KEY).scope("write").build())
                .exchange().expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", "
                        + "error_description=\"The access token lacks the scope 'read'; this resource requires the scopes:"
                        + " read.\", scope=\"read\", resource_metadata=\"" + METADATA_URL + "\"");
    }

    @Test
    void pointsARouteLevelScopeRefusalAtTheDocumentWithTheFiltersRealm() {
        RouterFunction<ServerResponse> admin = route(GET("/api/admin"), request -> ServerResponse.ok().bodyValue("ok"))
                .filter(RequireScopes.of("admin"));
        WebTestClient client = WebTestClient.bindToRouterFunction(admin)
                .webFilter(filter(apiMetadata()).realm("example-api").build()).build();

        client.get().uri("/api/admin").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(KEY).build())
                .exchange().expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"example-api\", "
                        + "error=\"insufficient_scope\", error_description=\"The access token lacks the scope 'admin';"
                        + " this resource requires the scopes: admin.\", scope=\"admin\", resource_metadata=\""
                        + METADATA_URL + "\"");
    }

    @Test
    void publishesAResourceWithAPathUnderThatPathOnly() {
        WebTestClient client = client(filter(ResourceMetadata.builder().resource("https://api.example.com/v1/").build())
                .paths("/**").build());

        client.get().uri("/.well-known/oauth-protected-resource/v1").exchange().expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"resource\":\"https://api.example.com/v1/\","
                        + "\"authorization_servers\":[\"https://issuer.example\"],\"bearer_methods_supported\":[\"header\"]}");
        client.get().uri("/.well-known/oauth-protected-resource").exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource/v1\"");
        client.post().uri("/.well-known/oauth-protected-resource/v1").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void namesEveryTrustedIssuerAsAnAuthorizationServer() {
        OAuthJwtFilter filter = OAuthJwtFilter.builder(TrustedIssuers.of(
                        TrustedIssuer.builder("https://a.example").keys(JwksKeySource.fromUri(jwks.uri())).build(),
                        TrustedIssuer.builder("https://b.example").keys(JwksKeySource.fromUri(jwks.uri())).build()))
                .resourceMetadata(ResourceMetadata.builder().resource("https://api.example.com").build()).build();

        client(filter).get().uri("/.well-known/oauth-protected-resource").exchange().expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"resource\":\"https://api.example.com\","
                        + "\"authorization_servers\":[\"https://a.example\",\"https://b.example\"],"
                        + "\"bearer_methods_supported\":[\"header\"]}");
    }

    @Test
    void listsTheDpopProofAlgorithmsOnceDpopIsAccepted() {
        client(filter(apiMetadata()).dpop(DpopOptions.builder().algorithms("ES256", "EdDSA").build()).build())
                .get().uri("/.well-known/oauth-protected-resource").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"resource\":\"https://api.example.com\","
                        + "\"authorization_servers\":[\"https://issuer.example\"],"
                        + "\"scopes_supported\":[\"read\",\"write\"],"
                        + "\"bearer_methods_supported\":[\"header\"],"
                        + "\"dpop_signing_alg_values_supported\":[\"ES256\",\"EdDSA\"]}");
    }

    @Test
    void takesTheResourceFromTheRequestAsForwardedByATrustedProxy() {
        WebTestClient client = clientBehindProxy(filter(ResourceMetadata.builder().build()).build());

        client.get().uri("http://10.0.0.7:8080/.well-known/oauth-protected-resource")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.com").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("{\"resource\":\"https://api.example.com\","
                        + "\"authorization_servers\":[\"https://issuer.example\"],\"bearer_methods_supported\":[\"header\"]}");
        client.get().uri("http://10.0.0.7:8080/api")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.com").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer resource_metadata=\"" + METADATA_URL + "\"");
    }

    @Test
    void ignoresForwardedHeadersTheApplicationDoesNotTrust() {
        WebTestClient client = WebTestClient.bindToRouterFunction(ROUTES)
                .webFilter(filter(ResourceMetadata.builder().build()).build()).configureClient()
                .baseUrl("http://10.0.0.7:8080").build();

        client.get().uri("/api").header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "evil.example").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer resource_metadata=\"http://10.0.0.7:8080/.well-known/oauth-protected-resource\"");
    }

    @Test
    void givesARouteLevelRefusalTheFiltersRealmAloneOrItsMetadataAlone() {
        RouterFunction<ServerResponse> admin = route(GET("/api/admin"), request -> ServerResponse.ok().bodyValue("ok"))
                .filter(RequireScopes.of("admin"));
        String token = TestTokens.signedBy(KEY).claim("scope", "read").build();
        String refusal = "error=\"insufficient_scope\", error_description=\"The access token lacks the scope 'admin';"
                + " this resource requires the scopes: admin.\", scope=\"admin\"";
        OAuthJwtFilter realmOnly = OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri())).issuer(TestTokens.ISSUER)
                .audience(TestTokens.AUDIENCE).paths("/api/**").realm("example-api").build();
        OAuthJwtFilter metadataOnly = OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri())).issuer(TestTokens.ISSUER)
                .audience(TestTokens.AUDIENCE).paths("/api/**").resourceMetadata(apiMetadata()).build();

        WebTestClient.bindToRouterFunction(admin).webFilter(realmOnly).build()
                .get().uri("/api/admin").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"example-api\", " + refusal);
        WebTestClient.bindToRouterFunction(admin).webFilter(metadataOnly).build()
                .get().uri("/api/admin").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer " + refusal
                        + ", resource_metadata=\"" + METADATA_URL + "\"");
    }

    @Test
    void keepsWhatItIsGiven() {
        ResourceMetadata metadata = ResourceMetadata.builder().resource("HTTP://api.example.com/orders")
                .authorizationServers("https://a.example", "https://b.example").scopesSupported("read").build();

        org.assertj.core.api.Assertions.assertThat(metadata.resource()).hasToString("HTTP://api.example.com/orders");
        org.assertj.core.api.Assertions.assertThat(metadata.authorizationServers())
                .containsExactly("https://a.example", "https://b.example");
        org.assertj.core.api.Assertions.assertThat(metadata.scopesSupported()).containsExactly("read");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"ftp://api.example.com", "https:api", "https://api.example.com#top",
            "https://api.example.com?x"})
    void refusesAResourceWithAnotherSchemeNoAuthorityAFragmentOrAQuery(String resource) {
        assertThatIllegalArgumentException().isThrownBy(() -> ResourceMetadata.builder().resource(resource).build())
                .withMessage("resource must be an absolute http or https URL without query and fragment (RFC 9728 §1.2),"
                        + " not '" + resource + "'");
    }

    @Test
    void refusesABlankAuthorizationServer() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ResourceMetadata.builder().authorizationServers("https://a.example", " ").build())
                .withMessage("authorization servers must not be blank");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "https://api.example.com:443/x, https://api.example.com",
            "http://api.example.com:80/x,   http://api.example.com",
            "https://api.example.com:80/x,  https://api.example.com:80",
            "http://api.example.com:443/x,  http://api.example.com:443",
            "https://api.example.com/x,     https://api.example.com",
            "HTTPS://api.example.com:8443,  https://api.example.com:8443",
    })
    void writesAnOriginWithoutTheDefaultPortOfItsScheme(String uri, String origin) {
        org.assertj.core.api.Assertions.assertThat(ResourceMetadataEndpoint.origin(java.net.URI.create(uri))).isEqualTo(origin);
    }

    @Test
    void refusesAResourceThatIsNotAnAbsoluteUrlWithoutQueryOrAScopeThatIsNotAScopeToken() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ResourceMetadata.builder().resource("https://api.example.com/?x=1").build())
                .withMessage("resource must be an absolute http or https URL without query and fragment (RFC 9728 §1.2),"
                        + " not 'https://api.example.com/?x=1'");
        assertThatIllegalArgumentException().isThrownBy(() -> ResourceMetadata.builder().resource("/api").build())
                .withMessageStartingWith("resource must be an absolute http or https URL");
        assertThatIllegalArgumentException().isThrownBy(() -> ResourceMetadata.builder().scopesSupported("a b").build())
                .withMessage("supported scope 'a b' is not a valid scope token");
    }
}
