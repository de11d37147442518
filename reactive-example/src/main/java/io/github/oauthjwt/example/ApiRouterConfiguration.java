package io.github.oauthjwt.example;

import io.github.oauthjwt.webflux.RequireScopes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

/**
 * The example's functional routes. Everything under {@code /api/} is behind the filter
 * ({@code oauth-jwt.paths} in {@code application.yml}); {@code /api/admin} also needs the scope {@code admin},
 * checked by {@link RequireScopes} on that route alone. {@code /health} is open.
 */
@Configuration(proxyBeanMethods = false)
public class ApiRouterConfiguration {

    /** The API and health routes. */
    @Bean
    RouterFunction<ServerResponse> apiRoutes(ApiHandlers api, HealthHandler health) {
        RouterFunction<ServerResponse> admin = RouterFunctions.route(GET("/api/admin"), api::admin)
                .filter(RequireScopes.of("admin"));
        return RouterFunctions.route()
                .GET("/api/data", api::data)
                .GET("/api/me", api::me)
                .add(admin)
                .GET("/health", health::check)
                .build();
    }
}
