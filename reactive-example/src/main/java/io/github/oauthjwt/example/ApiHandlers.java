package io.github.oauthjwt.example;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.oauthjwt.webflux.JwtClaims;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The API's handlers. Each runs only after the filter has verified the request's token, and reads
 * the verified claims with {@link JwtClaims#from(ServerRequest)}, never from the header. Stateless;
 * each emits one JSON response without blocking.
 */
@Component
class ApiHandlers {

    /**
     * {@code GET /api/data}: a message naming the token's {@code scope} and {@code role} claims.
     *
     * @param message e.g. {@code Hello! You called the API with scope 'read' and role 'developer'.}
     */
    record DataResponse(String message) {
    }

    /**
     * {@code GET /api/me}: who the token speaks for, through the typed accessors, and the whole
     * verified claims set.
     */
    record MeResponse(
            @Nullable String subject,
            Set<String> scopes,
            List<String> audience,
            @Nullable Instant expiresAt,
            Map<String, Object> claims) {
    }

    /** Answers 200 with a {@link DataResponse}. */
    Mono<ServerResponse> data(ServerRequest request) {
        JwtClaims claims = JwtClaims.from(request);
        String message = "Hello! You called the API with scope '" + scopeText(claims) + "' and role '"
                + roleText(claims) + "'.";
        return ServerResponse.ok().bodyValue(new DataResponse(message));
    }

    /** Answers 200 with a {@link DataResponse}; the route lets only tokens with scope {@code admin} in. */
    Mono<ServerResponse> admin(ServerRequest request) {
        JwtClaims claims = JwtClaims.from(request);
        String message = "Hello admin! You called the admin API with scope '" + scopeText(claims) + "' and role '"
                + roleText(claims) + "'.";
        return ServerResponse.ok().bodyValue(new DataResponse(message));
    }

    /** Answers 200 with a {@link MeResponse}. */
    Mono<ServerResponse> me(ServerRequest request) {
        JwtClaims claims = JwtClaims.from(request);
        MeResponse me = new MeResponse(claims.subject(), claims.scopes(), claims.audience(), claims.expiresAt(),
                claims.asMap());
        return ServerResponse.ok().bodyValue(me);
    }

    private static String scopeText(JwtClaims claims) {
        return claims.scopes().isEmpty() ? "(none)" : String.join(" ", claims.scopes());
    }

    private static String roleText(JwtClaims claims) {
        // role is not a registered claim: servers send a string or an array of strings.
        List<String> roles = claims.stringListClaim("role");
        return roles.isEmpty() ? "(none)" : String.join(" ", roles);
    }
}
