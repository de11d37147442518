package io.github.oauthjwt.security.app;

import io.github.oauthjwt.security.OAuthJwtSecurity;
import io.github.oauthjwt.webflux.JwtClaims;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A Spring Security application that uses the bridge as the README's recipe says: the starter and
 * the bridge on the classpath, {@code oauth-jwt.*} properties, one {@link SecurityWebFilterChain},
 * and method security with {@code @PreAuthorize}.
 */
@SpringBootApplication
@EnableReactiveMethodSecurity
public class SecuredApplication {

    /** The recipe. */
    @Bean
    SecurityWebFilterChain api(ServerHttpSecurity http, OAuthJwtSecurity oauthJwt) {
        return http.authorizeExchange(exchanges -> exchanges.pathMatchers("/public").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(oauthJwt::resourceServer)
                .exceptionHandling(oauthJwt::exceptionHandling)
                .build();
    }

    /** The API: any verified token for data, scope admin for admin. */
    @RestController
    static class Api {

        @GetMapping("/api/data")
        Mono<String> data(@AuthenticationPrincipal JwtClaims claims) {
            return Mono.just("data for " + claims.subject());
        }

        @GetMapping("/api/admin")
        @PreAuthorize("hasAuthority('SCOPE_admin')")
        Mono<String> admin(@AuthenticationPrincipal JwtClaims claims) {
            return Mono.just("admin for " + claims.subject());
        }

        @GetMapping("/public")
        Mono<String> open() {
            return Mono.just("public");
        }
    }
}
