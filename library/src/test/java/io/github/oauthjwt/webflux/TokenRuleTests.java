package io.github.oauthjwt.webflux;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.time.Duration;
import java.util.Optional;

import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * An application's own {@link TokenRule}s run after the built-in rules, in the order added, on every
 * request, also for tokens whose signature the filter remembers; a rule that throws gets a 401.
 */
class TokenRuleTests {

    private static final TestKey RSA = TestKey.rsa("rsa-rules");
    private static final TokenRule ORDERS_APP_ONLY = claims -> "orders-app".equals(claims.stringClaim("client_id").orElse(null))
            ? Optional.empty()
            : Optional.of(Rejection.insufficientScope("This API serves only the orders app.", null));
    private static final TokenRule STRONG_AUTHENTICATION = claims -> "mfa".equals(claims.stringClaim("acr").orElse(null))
            ? Optional.empty()
            : Optional.of(Rejection.invalidToken("The access token was not issued after multi-factor authentication."));

    private JwksServer jwks;
    private WebTestClient client;

    @BeforeEach
    void start() {
        jwks = JwksServer.serving(RSA);
        client = WebTestClient.bindToRouterFunction(route(GET("/api"), request -> ServerResponse.ok().bodyValue("ok")))
                .webFilter(OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri())).issuer(TestTokens.ISSUER)
                        .audience(TestTokens.AUDIENCE).rule(ORDERS_APP_ONLY).rule(STRONG_AUTHENTICATION).build())
                .build();
    }

    @AfterEach
    void stop() {
        jwks.close();
    }

    private WebTestClient.ResponseSpec call(String token) {
        return client.get().uri("/api").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    @Test
    void acceptsATokenThatPassesEveryRule() {
        call(TestTokens.signedBy(RSA).claim("client_id", "orders-app").claim("acr", "mfa").build()).expectStatus().isOk();
    }

    @Test
    void answersWithTheFirstFailingRulesRejection() {
        call(TestTokens.signedBy(RSA).claim("client_id", "billing").build()).expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer error=\"insufficient_scope\", error_description=\"This API serves only the orders app.\"");
        call(TestTokens.signedBy(RSA).claim("client_id", "orders-app").build()).expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", "
                        + "error_description=\"The access token was not issued after multi-factor authentication.\"");
    }

    @Test
    void runsBuiltInRulesFirst() {
        call(TestTokens.signedBy(RSA).claim("iss", "https://other.example").build()).expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", "
                        + "error_description=\"The access token was issued by 'https://other.example'; this API accepts"
                        + " tokens issued by " + TestTokens.ISSUER + ".\"");
    }

    @Test
    void runsRulesAgainForATokenWhoseSignatureIsRemembered() {
        String token = TestTokens.signedBy(RSA).claim("client_id", "billing").build();
        call(token).expectStatus().isForbidden();
        call(token).expectStatus().isForbidden();
    }

    @Test
    void aRuleThatThrowsGetsA401AndNeverA5xx() {
        WebTestClient broken = WebTestClient.bindToRouterFunction(route(GET("/api"), request -> ServerResponse.ok().build()))
                .webFilter(OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri())).rule(claims -> {
                    throw new IllegalStateException("bug");
                }).build())
                // A cold JWKS fetch and an ERROR log with its stack trace: ample time on a loaded machine.
                .configureClient().responseTimeout(Duration.ofSeconds(20)).build();
        broken.get().uri("/api").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(RSA).build())
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer error=\"invalid_token\", error_description=\"The access token could not be validated.\"");
    }
}
