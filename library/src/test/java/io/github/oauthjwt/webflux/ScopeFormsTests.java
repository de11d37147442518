package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Scopes in the forms real authorization servers send them: {@code scope} or {@code scp}, each a
 * space-delimited string (RFC 9068, Azure AD) or a JSON array (Spring Authorization Server, Okta),
 * and further claims such as Auth0's {@code permissions}; read alike by the filter's required
 * scopes, {@link RequireScopes} and {@link JwtClaims#scopes()}.
 */
class ScopeFormsTests {

    private static final TestKey RSA = TestKey.rsa("rsa-scopes");

    private JwksServer jwks;

    @BeforeEach
    void startJwks() {
        jwks = JwksServer.serving(RSA);
    }

    @AfterEach
    void stopJwks() {
        jwks.close();
    }

    private WebTestClient client(OAuthJwtFilterBuilder builder) {
        return WebTestClient.bindToRouterFunction(
                        route(GET("/api/data"), request -> ServerResponse.ok()
                                .bodyValue("scopes=" + JwtClaims.from(request).scopes()))
                                .andRoute(GET("/api/admin"), request -> ServerResponse.ok().bodyValue("admin"))
                                .filter(RequireScopesOnAdmin.INSTANCE))
                .webFilter(builder.build()).build();
    }

    private OAuthJwtFilterBuilder filter() {
        return OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri()))
                .issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE);
    }

    private static TestTokens token(String claim, Object value) {
        return TestTokens.signedBy(RSA).scope(null).claim(claim, value);
    }

    static Stream<Arguments> sameScopesInEveryForm() {
        return Stream.of(
                Arguments.of("scope", "read admin"),
                Arguments.of("scope", List.of("read", "admin")),
                Arguments.of("scp", "read admin"),
                Arguments.of("scp", List.of("read", "admin")));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("sameScopesInEveryForm")
    void readsScopeAndScpAsAStringOrAnArrayAlike(String claim, Object value) {
        WebTestClient client = client(filter().requiredScopes("read"));
        String token = token(claim, value).build();

        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk().expectBody(String.class).isEqualTo("scopes=[read, admin]");
        client.get().uri("/api/admin").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk();
    }

    @Test
    void anArrayScopeWithoutTheRequiredScopeIsForbiddenNamingIt() {
        WebTestClient client = client(filter().requiredScopes("read"));

        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION,
                        "Bearer " + token("scope", List.of("write")).build())
                .exchange().expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", "
                        + "error_description=\"The access token lacks the scope 'read'; this resource requires the"
                        + " scopes: read.\", scope=\"read\"");
        client.get().uri("/api/admin").header(HttpHeaders.AUTHORIZATION,
                        "Bearer " + token("scope", List.of("read")).build())
                .exchange().expectStatus().isForbidden();
    }

    static Stream<Arguments> malformedScopeValues() {
        return Stream.of(
                Arguments.of("scope", 7),
                Arguments.of("scope", List.of("read", 7)),
                Arguments.of("scope", List.of("read", List.of("admin"))),
                Arguments.of("scope", List.of("read", "")),
                Arguments.of("scope", List.of("read", "read")),
                Arguments.of("scope", List.of("read admin")),
                Arguments.of("scope", Map.of("read", true)),
                Arguments.of("scp", true),
                Arguments.of("scp", List.of("read", "read")));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("malformedScopeValues")
    void refusesAScopeClaimOfAnyOtherShape(String claim, Object value) {
        WebTestClient client = client(filter());

        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token(claim, value).build())
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", "
                        + "error_description=\"The access token's " + claim + " claim is neither a space-delimited"
                        + " string nor an array of distinct, non-empty scope strings.\"");
    }

    @Test
    void readsScopesFromFurtherClaimsWhenTold() {
        String token = token("permissions", List.of("read", "admin")).claim("scope", "openid").build();

        client(filter().requiredScopes("read")).get().uri("/api/data")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isForbidden();
        client(filter().requiredScopes("read").additionalScopeClaims("permissions")).get().uri("/api/data")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk().expectBody(String.class).isEqualTo("scopes=[openid, read, admin]");
    }

    @Test
    void aFurtherScopeClaimOfTheWrongShapeIsRefused() {
        client(filter().additionalScopeClaims("permissions")).get().uri("/api/data")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token("permissions", 42).build()).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void anEmptyScopeClaimNameIsRefusedAtBuild() {
        assertThatIllegalArgumentException().isThrownBy(() -> filter().additionalScopeClaims(" ").build())
                .withMessage("a scope claim name must not be empty");
    }

    @Test
    void claimsMadeInHandlerTestsReadArraysToo() {
        assertThat(JwtClaims.of(Map.of("scope", List.of("a", "b"), "scp", "c")).scopes()).containsExactly("a", "b", "c");
    }

    /** {@code RequireScopes.of("admin")} on {@code /api/admin} only. */
    private enum RequireScopesOnAdmin implements org.springframework.web.reactive.function.server.HandlerFilterFunction<ServerResponse, ServerResponse> {
        INSTANCE;

        private final RequireScopes admin = RequireScopes.of("admin");

        @Override
        public reactor.core.publisher.Mono<ServerResponse> filter(org.springframework.web.reactive.function.server.ServerRequest request,
                org.springframework.web.reactive.function.server.HandlerFunction<ServerResponse> next) {
            return request.path().equals("/api/admin") ? admin.filter(request, next) : next.handle(request);
        }
    }
}
