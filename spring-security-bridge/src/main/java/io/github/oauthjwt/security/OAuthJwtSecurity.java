package io.github.oauthjwt.security;

import java.util.Objects;

import io.github.oauthjwt.webflux.OAuthJwtFilter;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import reactor.core.publisher.Mono;

/**
 * This library's token checks and key cache as the authentication of Spring Security's reactive
 * resource server, for applications that keep their {@code SecurityWebFilterChain}:
 *
 * <pre>{@code
 * @Bean
 * SecurityWebFilterChain api(ServerHttpSecurity http, OAuthJwtSecurity oauthJwt) {
 *     return http.authorizeExchange(exchanges -> exchanges.anyExchange().authenticated())
 *             .oauth2ResourceServer(oauthJwt::resourceServer)
 *             .exceptionHandling(oauthJwt::exceptionHandling)
 *             .build();
 * }
 * }</pre>
 *
 * Each token is checked by the {@link OAuthJwtFilter} given here, which is used as a validator
 * only and must not also be registered as a {@code WebFilter} (the starter sees to that). Scopes
 * become {@code SCOPE_x} authorities; refusals keep the library's answers, a key outage included
 * (503 with {@code Retry-After}). Immutable and thread-safe.
 */
public final class OAuthJwtSecurity {

    private final OAuthJwtAuthenticationManager authenticationManager;
    private final RejectionEntryPoint entryPoint;

    private OAuthJwtSecurity(OAuthJwtFilter validator) {
        this.authenticationManager = new OAuthJwtAuthenticationManager(validator);
        this.entryPoint = new RejectionEntryPoint(validator);
    }

    /** The bridge for tokens that {@code validator} accepts. */
    public static OAuthJwtSecurity of(OAuthJwtFilter validator) {
        return new OAuthJwtSecurity(Objects.requireNonNull(validator, "validator"));
    }

    /** Checks bearer tokens with the library; emits {@link OAuthJwtAuthentication}. */
    public OAuthJwtAuthenticationManager authenticationManager() {
        return authenticationManager;
    }

    /** Answers refusals, missing tokens and denied access as the library's filter does. */
    public RejectionEntryPoint entryPoint() {
        return entryPoint;
    }

    /**
     * Configures the resource server: the library authenticates every bearer token, and answers
     * every refusal. Use as {@code http.oauth2ResourceServer(oauthJwt::resourceServer)}.
     */
    public void resourceServer(ServerHttpSecurity.OAuth2ResourceServerSpec resourceServer) {
        resourceServer.authenticationManagerResolver(exchange -> Mono.just(authenticationManager))
                .authenticationEntryPoint(entryPoint)
                .accessDeniedHandler(entryPoint);
    }

    /**
     * Answers requests refused before any token is read (none sent) and denied access with the
     * library's challenges too. Use as {@code http.exceptionHandling(oauthJwt::exceptionHandling)}.
     */
    public void exceptionHandling(ServerHttpSecurity.ExceptionHandlingSpec exceptionHandling) {
        exceptionHandling.authenticationEntryPoint(entryPoint).accessDeniedHandler(entryPoint);
    }
}
