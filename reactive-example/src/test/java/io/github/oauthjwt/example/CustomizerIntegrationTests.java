package io.github.oauthjwt.example;

import java.util.List;

import io.github.oauthjwt.autoconfigure.OAuthJwtFilterCustomizer;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;

/**
 * An application's {@link OAuthJwtFilterCustomizer} adjusts the filter in both of the example's
 * modes: the starter's filter for a real authorization server, and the demo issuer's own.
 */
class CustomizerIntegrationTests {

    @Configuration(proxyBeanMethods = false)
    static class RealmCustomizer {

        @Bean
        OAuthJwtFilterCustomizer customRealm() {
            return builder -> builder.realm("customized");
        }
    }

    @Test
    void apiWhenNoTokenInDemoModeThenTheChallengeCarriesTheCustomizersRealm() {
        try (RunningExample app = RunningExample.startWith(List.of(RealmCustomizer.class))) {
            app.client().get().uri("/api/data").exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"customized\"");
        }
    }

    @Test
    void apiWhenNoTokenWithARealAuthorizationServerThenTheChallengeCarriesTheCustomizersRealm() {
        try (JwksServer jwks = JwksServer.serving(TestKey.rsa("rsa-1"));
                RunningExample app = RunningExample.startWith(List.of(RealmCustomizer.class),
                        "--oauth-jwt.jwks-uri=" + jwks.uri(), "--oauth-jwt.issuer=" + TestTokens.ISSUER)) {
            app.client().get().uri("/api/data").exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"customized\"");
        }
    }
}
