package io.github.oauthjwt.webflux;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What an application without Micrometer does with the library: builds a key source and a filter
 * without a registry, lets Spring introspect them as beans, and sends a valid token and no token.
 * Run by {@link MicrometerOptionalTests} in a class loader that defines the library's classes.
 */
public final class MicrometerFreeScenario implements Callable<String> {

    @Override
    public String call() throws Exception {
        TestKey key = TestKey.rsa("micrometer-free");
        try (JwksServer jwks = JwksServer.serving(key)) {
            JwksKeySource keys = JwksKeySource.fromUri(jwks.uri());
            OAuthJwtFilter filter = OAuthJwtFilter.builder(keys).paths("/api/**").build();
            // What Spring does with a bean's class: every field and method, signatures resolved.
            int members = OAuthJwtFilter.class.getDeclaredFields().length + OAuthJwtFilter.class.getDeclaredMethods().length
                    + JwksKeySource.class.getDeclaredFields().length + JwksKeySource.class.getDeclaredMethods().length;
            return run(filter, "Bearer " + TestTokens.signedBy(key).build()) + " " + run(filter, null) + " "
                    + keys.stats().keyCount() + " key(s), " + (members > 0 ? "introspected" : "nothing to introspect");
        }
    }

    /** "passed" when the filter let the request through, else the status it answered. */
    static String run(OAuthJwtFilter filter, String authorization) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/orders");
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        filter.filter(exchange, passed -> Mono.empty()).block(Duration.ofSeconds(10));
        return exchange.getAttribute(JwtClaims.ATTRIBUTE) != null ? "passed"
                : String.valueOf(exchange.getResponse().getStatusCode().value());
    }
}
