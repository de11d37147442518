package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;

/**
 * CORS preflights pass the filter untouched (the Fetch standard sends them without credentials),
 * unless turned off; everything else on a secured path still needs a token. No key is ever fetched
 * here: the JWKS URI points nowhere.
 */
class CorsPreflightTests {

    private static final WebFilter PREFLIGHT_ANSWERED = (exchange, chain) -> {
        exchange.getResponse().getHeaders().add("X-Reached", "chain");
        return chain.filter(exchange);
    };

    private static WebTestClient client(OAuthJwtFilterBuilder builder) {
        return WebTestClient.bindToRouterFunction(route(GET("/api/data"), request -> ServerResponse.ok().bodyValue("data")))
                .webFilter(builder.build(), PREFLIGHT_ANSWERED).build();
    }

    private static OAuthJwtFilterBuilder filter() {
        return OAuthJwtFilter.builder(JwksKeySource.fromUri("http://127.0.0.1:9/jwks")).paths("/api/**");
    }

    private static WebTestClient.ResponseSpec preflight(WebTestClient client) {
        return client.options().uri("/api/data")
                .header(HttpHeaders.ORIGIN, "https://app.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
                .exchange();
    }

    @Test
    void letsAPreflightThroughToTheRestOfTheChain() {
        preflight(client(filter())).expectHeader().valueEquals("X-Reached", "chain")
                .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
    }

    @Test
    void stillRequiresATokenForTheRealRequestFromTheSameOrigin() {
        client(filter()).get().uri("/api/data").header(HttpHeaders.ORIGIN, "https://app.example").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    @Test
    void refusesAnOptionsRequestThatIsNoPreflight() {
        client(filter()).method(HttpMethod.OPTIONS).uri("/api/data").header(HttpHeaders.ORIGIN, "https://app.example")
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void refusesPreflightsWhenTurnedOff() {
        preflight(client(filter().passCorsPreflight(false))).expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    @Test
    void sitsWhereSpringSecuritysFilterChainSitsUnlessToldOtherwise() {
        assertThat(filter().build().getOrder()).isEqualTo(OAuthJwtFilter.DEFAULT_ORDER).isEqualTo(-100);
        assertThat(filter().order(5).build().getOrder()).isEqualTo(5);
    }
}
