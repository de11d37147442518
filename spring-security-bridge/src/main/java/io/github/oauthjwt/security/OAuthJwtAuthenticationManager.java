package io.github.oauthjwt.security;

import java.util.Objects;

import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.Outcome;
import io.github.oauthjwt.webflux.Rejection;
import io.github.oauthjwt.webflux.Verified;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * Authenticates the bearer token Spring Security's resource server read from the request with
 * this library's checks and key cache ({@link OAuthJwtFilter#validate(String)}).
 *
 * <p>Emits an {@link OAuthJwtAuthentication} for a verified token; emits a
 * {@link RejectedTokenException} carrying the library's {@link Rejection} otherwise (401, 403 for a
 * missing required scope or claim, 503 when the signing keys cannot be had); completes empty for
 * an authentication that is not a bearer token, as Spring Security expects. Never blocks: with the
 * keys cached it completes on the calling thread.
 */
public final class OAuthJwtAuthenticationManager implements ReactiveAuthenticationManager {

    private final OAuthJwtFilter validator;

    /** A manager that checks tokens as {@code validator} does. */
    public OAuthJwtAuthenticationManager(OAuthJwtFilter validator) {
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    @Override
    public Mono<Authentication> authenticate(Authentication authentication) {
        if (!(authentication instanceof BearerTokenAuthenticationToken bearer)) {
            return Mono.empty();
        }
        String token = bearer.getToken();
        return validator.validate(token).flatMap(outcome -> authenticated(outcome, token));
    }

    private static Mono<Authentication> authenticated(Outcome outcome, String token) {
        if (outcome instanceof Verified verified) {
            return Mono.just(new OAuthJwtAuthentication(verified.claims(), token));
        }
        return Mono.error(new RejectedTokenException((Rejection) outcome));
    }
}
