package io.github.oauthjwt.webflux.jwks;

/**
 * A JWKS fetch failed for a reason worth logging: a non-2xx status, a body that is too large or not
 * a JWKS, or a JWKS with no usable key. The message is for operators; it never reaches clients.
 */
public final class JwksFetchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public JwksFetchException(String message) {
        super(message, null, false, false);
    }
}
