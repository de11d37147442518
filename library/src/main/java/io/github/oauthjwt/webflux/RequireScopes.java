package io.github.oauthjwt.webflux;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * A route-level scope check for functional endpoints: lets a request through only when the token
 * the {@link OAuthJwtFilter} verified grants every one of the scopes, and otherwise answers 403
 * {@code insufficient_scope} with the scopes to ask for (RFC 6750 §3.1). A request the filter did
 * not verify gets a bare 401 challenge. Immutable and thread-safe.
 *
 * <pre>{@code
 * route(GET("/api/admin"), handler::admin).filter(RequireScopes.of("admin"))
 * }</pre>
 */
public final class RequireScopes implements HandlerFilterFunction<ServerResponse, ServerResponse> {

    private final List<String> scopes;
    private final String scopeAttribute;
    private final @Nullable String realm;

    private RequireScopes(List<String> scopes, @Nullable String realm) {
        this.scopes = scopes;
        this.scopeAttribute = String.join(" ", scopes);
        this.realm = realm;
    }

    /**
     * The same check, naming this {@code realm} in its challenges. Without it, a refusal names the
     * realm of the filter that verified the token, and points at its protected-resource metadata
     * when it has some, as the filter's own challenges do.
     */
    public RequireScopes realm(String realm) {
        return new RequireScopes(scopes, Objects.requireNonNull(realm, "realm"));
    }

    /**
     * A check for these scopes.
     *
     * @throws IllegalArgumentException if no scope is given or one is not a valid scope token
     */
    public static RequireScopes of(String... scopes) {
        Set<String> required = new LinkedHashSet<>(List.of(scopes));
        if (required.isEmpty()) {
            throw new IllegalArgumentException("RequireScopes needs at least one scope");
        }
        for (String scope : required) {
            ScopeClaims.requireScopeToken(scope, "required scope");
        }
        return new RequireScopes(List.copyOf(required), null);
    }

    @Override
    public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
        JwtClaims claims = JwtClaims.find(request).orElse(null);
        RouteChallenge filters = request.exchange().getAttribute(RouteChallenge.ATTRIBUTE);
        String challengeRealm = realm != null ? realm : filters != null ? filters.realm() : null;
        String resourceMetadata = filters != null ? filters.resourceMetadata() : null;
        if (claims == null) {
            return RejectionResponses.toServerResponse(Rejection.missingCredentials(), challengeRealm, resourceMetadata);
        }
        Optional<Rejection> missing = ScopeRule.missing(claims.scopes(), scopes, scopeAttribute);
        return missing.isPresent()
                ? RejectionResponses.toServerResponse(missing.get(), challengeRealm, resourceMetadata)
                : next.handle(request);
    }
}
