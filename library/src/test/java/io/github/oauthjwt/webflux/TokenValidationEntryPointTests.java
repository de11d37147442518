package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.test.StepVerifier;

/**
 * {@link OAuthJwtFilter#validate(String)} and {@link OAuthJwtFilter#reject}: the filter's checks and
 * its answers for code that verifies tokens outside the filter, against a real JWKS endpoint.
 */
class TokenValidationEntryPointTests {

    private static final TestKey RSA = TestKey.rsa("rsa-1");

    private JwksServer jwks;
    private OAuthJwtFilter filter;

    @BeforeEach
    void start() {
        jwks = JwksServer.serving(RSA);
        filter = OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri()))
                .issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).realm("api").build();
    }

    @AfterEach
    void stop() {
        jwks.close();
    }

    @Test
    void validateWhenTokenValidThenEmitsVerifiedClaims() {
        StepVerifier.create(filter.validate(TestTokens.signedBy(RSA).build()))
                .assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(Verified.class,
                        verified -> assertThat(verified.claims().subject()).isEqualTo("alice")))
                .verifyComplete();
    }

    @Test
    void validateWhenTokenForAnotherAudienceThenEmitsTheFiltersRejection() {
        StepVerifier.create(filter.validate(TestTokens.signedBy(RSA).claim("aud", "someone-else").build()))
                .assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(Rejection.class, rejection -> {
                    assertThat(rejection.status()).isEqualTo(401);
                    assertThat(rejection.error()).isEqualTo("invalid_token");
                }))
                .verifyComplete();
    }

    @Test
    void validateWhenKeysUnavailableThenEmits503RejectionNotAnError() {
        jwks.failWith(500);

        StepVerifier.create(filter.validate(TestTokens.signedBy(RSA).build()))
                .assertNext(outcome -> assertThat(outcome).isInstanceOfSatisfying(Rejection.class,
                        rejection -> assertThat(rejection.status()).isEqualTo(503)))
                .verifyComplete();
    }

    @Test
    void rejectWritesTheChallengeWithTheFiltersRealm() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/data"));

        StepVerifier.create(filter.reject(exchange, Rejection.invalidToken("The access token has expired.")))
                .verifyComplete();

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(401);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
                .isEqualTo("Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token has expired.\"");
        assertThat(exchange.getResponse().getBodyAsString().block())
                .isEqualTo("{\"error\":\"invalid_token\",\"error_description\":\"The access token has expired.\"}");
    }
}
