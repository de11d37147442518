package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;

/** Route-level scopes on functional endpoints, with claims as the filter would have stored them. */
class RequireScopesTests {

    private static WebTestClient clientWith(Map<String, Object> claims) {
        WebFilter verified = (exchange, chain) -> {
            if (claims != null) {
                exchange.getAttributes().put(JwtClaims.ATTRIBUTE, JwtClaims.of(claims));
            }
            return chain.filter(exchange);
        };
        return WebTestClient.bindToRouterFunction(route(GET("/admin"), request -> ServerResponse.ok().bodyValue("ok"))
                .filter(RequireScopes.of("admin", "write"))).webFilter(verified).build();
    }

    @Test
    void letsATokenWithEveryScopeThrough() {
        clientWith(Map.of("scope", "read write admin")).get().uri("/admin").exchange()
                .expectStatus().isOk().expectBody(String.class).isEqualTo("ok");
        clientWith(Map.of("scp", List.of("admin", "write"))).get().uri("/admin").exchange().expectStatus().isOk();
    }

    @Test
    void answersInsufficientScopeNamingTheScopesToAskFor() {
        clientWith(Map.of("scope", "read write")).get().uri("/admin").exchange()
                .expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", "
                        + "error_description=\"The access token lacks the scope 'admin'; this resource requires the"
                        + " scopes: admin write.\", scope=\"admin write\"")
                .expectBody(String.class).isEqualTo("{\"error\":\"insufficient_scope\",\"error_description\":\"The access"
                        + " token lacks the scope 'admin'; this resource requires the scopes: admin write.\","
                        + "\"scope\":\"admin write\"}");
    }

    @Test
    void answersABareChallengeWhenTheFilterDidNotVerifyTheRequest() {
        clientWith(null).get().uri("/admin").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    @Test
    void namesTheRealmItIsGiven() {
        WebTestClient.bindToRouterFunction(route(GET("/admin"), request -> ServerResponse.ok().bodyValue("ok"))
                        .filter(RequireScopes.of("admin").realm("orders"))).build()
                .get().uri("/admin").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"orders\"");
    }

    @Test
    void refusesInvalidScopeTokens() {
        assertThatIllegalArgumentException().isThrownBy(RequireScopes::of).withMessage("RequireScopes needs at least one scope");
        assertThatIllegalArgumentException().isThrownBy(() -> RequireScopes.of("a b")).withMessage("required scope 'a b' is not a valid scope token");
    }

    @Test
    void acceptsTheFirstAndLastPrintableCharactersAsScopeTokens() {
        RequireScopes.of("!", "~", "a:b/c");
        assertThatIllegalArgumentException().isThrownBy(() -> RequireScopes.of("a\u007f"))
                .withMessage("required scope 'a\u007f' is not a valid scope token");
        assertThatIllegalArgumentException().isThrownBy(() -> RequireScopes.of("a\"b"))
                .withMessage("required scope 'a\"b' is not a valid scope token");
        assertThatIllegalArgumentException().isThrownBy(() -> RequireScopes.of("a\\b"))
                .withMessage("required scope 'a\\b' is not a valid scope token");
    }
}
