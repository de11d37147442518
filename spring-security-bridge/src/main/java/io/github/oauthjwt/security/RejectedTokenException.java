package io.github.oauthjwt.security;

import java.util.Objects;

import io.github.oauthjwt.webflux.Rejection;
import org.springframework.security.core.AuthenticationException;

/**
 * Spring Security's signal that a token was refused, carrying the library's {@link Rejection}
 * (status, error code, description, {@code Retry-After}) to the entry point that answers with it.
 * A key outage travels this way too, so it is answered 503, never as Spring's 500.
 */
public final class RejectedTokenException extends AuthenticationException {

    private static final long serialVersionUID = 1L;

    private final transient Rejection rejection;

    /** The refusal of a token for this reason. */
    public RejectedTokenException(Rejection rejection) {
        super(String.valueOf(Objects.requireNonNull(rejection, "rejection").description()));
        this.rejection = rejection;
    }

    /** Why the token was refused. */
    public Rejection rejection() {
        return rejection;
    }
}
