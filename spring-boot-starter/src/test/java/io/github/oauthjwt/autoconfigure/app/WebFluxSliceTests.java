package io.github.oauthjwt.autoconfigure.app;

import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A {@code @WebFluxTest} slice includes the filter (through the starter's
 * {@code AutoConfigureWebFlux.imports}), so a controller test sees the same 401 a client would.
 */
@WebFluxTest(StarterOnlyApplication.HelloController.class)
class WebFluxSliceTests {

    private static final TestKey KEY = TestKey.rsa("k1");
    private static final JwksServer JWKS = JwksServer.serving(KEY);

    @DynamicPropertySource
    static void jwks(DynamicPropertyRegistry registry) {
        registry.add("test.jwks-uri", () -> JWKS.uri().toString());
    }

    @AfterAll
    static void stopJwks() {
        JWKS.close();
    }

    @Autowired
    private WebTestClient client;

    @Test
    void controllerWhenNoTokenThenTheSliceAnswersTheFiltersUnauthorized() {
        client.get().uri("/api/hello").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    @Test
    void controllerWhenValidTokenThenOk() {
        client.get().uri("/api/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(KEY).build())
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("Hello alice");
    }
}
