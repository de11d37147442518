package io.github.oauthjwt.security;

import java.util.Objects;

import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.Rejection;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers Spring Security's refusals the way this library's filter does: one {@code WWW-Authenticate}
 * challenge with the library's {@code error_description}, {@code Retry-After} on 503,
 * {@code Cache-Control: no-store} and the small JSON body ({@link OAuthJwtFilter#reject}).
 *
 * <ul>
 *   <li>a {@link RejectedTokenException}: its rejection, whatever the status (401, 403, 503);</li>
 *   <li>Spring's own bearer-header errors (several tokens, a malformed header): 400
 *       {@code invalid_request} or 401 {@code invalid_token} with Spring's description;</li>
 *   <li>any other authentication failure (no token at all): a bare 401 {@code Bearer} challenge;</li>
 *   <li>access denied to an authenticated token (a method-security rule such as
 *       {@code hasAuthority('SCOPE_admin')}): 403 {@code insufficient_scope}.</li>
 * </ul>
 */
public final class RejectionEntryPoint implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    /** The description of a 403 for an authorization rule the token does not satisfy. */
    public static final String ACCESS_DENIED = "The access token does not grant the scope or authority this resource"
            + " requires.";

    private final OAuthJwtFilter responder;

    /** An entry point that answers as {@code responder} does (its realm and resource metadata). */
    public RejectionEntryPoint(OAuthJwtFilter responder) {
        this.responder = Objects.requireNonNull(responder, "responder");
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        return responder.reject(exchange, rejectionFor(failure));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        return responder.reject(exchange, Rejection.insufficientScope(ACCESS_DENIED, null));
    }

    private static Rejection rejectionFor(AuthenticationException failure) {
        if (failure instanceof RejectedTokenException rejected) {
            return rejected.rejection();
        }
        if (failure instanceof OAuth2AuthenticationException oauth) {
            OAuth2Error error = oauth.getError();
            String description = error.getDescription() != null ? error.getDescription() + "."
                    : "The Authorization header is not a valid bearer credential.";
            return "invalid_request".equals(error.getErrorCode())
                    ? Rejection.invalidRequest(description)
                    : Rejection.invalidToken(description);
        }
        return Rejection.missingCredentials();
    }
}
