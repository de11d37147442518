package io.github.oauthjwt.webflux;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Why a request was refused, as a value: the HTTP status, the error code (absent when the request
 * simply carried no bearer credentials, RFC 6750 §3.1), a description a client developer can act on,
 * the scopes to ask for (on {@code insufficient_scope}) and how long to wait (on 503).
 *
 * <p>Descriptions are built only from the library's own text and from values that were checked to
 * be safe to echo; they never carry exception messages or raw request input.
 *
 * @param status the HTTP status code to answer with
 * @param error the RFC 6750 error code, or {@code null} for a bare authentication challenge
 * @param description what is wrong, in a sentence; {@code null} only with a {@code null} error
 * @param scope the space-delimited scopes the resource needs, or {@code null}
 * @param retryAfter how long the client should wait before retrying, or {@code null}
 */
public record Rejection(
        int status,
        @Nullable String error,
        @Nullable String description,
        @Nullable String scope,
        @Nullable Duration retryAfter) implements Outcome, TokenParser.TokenResult, TokenParser.JwsResult,
        IssuerSelector.Selection {

    private static final Rejection MISSING_CREDENTIALS = new Rejection(401, null, null, null, null);

    /** The request carried no bearer token (or used another scheme): 401 with no error code. */
    public static Rejection missingCredentials() {
        return MISSING_CREDENTIALS;
    }

    /** The request is malformed: 400 {@code invalid_request}. */
    public static Rejection invalidRequest(String description) {
        return new Rejection(400, ErrorCodes.INVALID_REQUEST, Objects.requireNonNull(description), null, null);
    }

    /** The token is not acceptable: 401 {@code invalid_token}. */
    public static Rejection invalidToken(String description) {
        return new Rejection(401, ErrorCodes.INVALID_TOKEN, Objects.requireNonNull(description), null, null);
    }

    /**
     * The token is valid but does not grant enough: 403 {@code insufficient_scope}.
     *
     * @param scope the space-delimited scopes the resource needs, or {@code null} when what is
     *     missing is a claim rather than a scope
     */
    public static Rejection insufficientScope(String description, @Nullable String scope) {
        return new Rejection(403, ErrorCodes.INSUFFICIENT_SCOPE, Objects.requireNonNull(description), scope, null);
    }

    /** The signing keys cannot be had right now: 503 with {@code Retry-After}. */
    public static Rejection keysUnavailable(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new Rejection(503, ErrorCodes.TEMPORARILY_UNAVAILABLE,
                "The API cannot verify access tokens right now because the authorization server's signing keys are"
                        + " unavailable; retry the same token in " + seconds + " second" + (seconds == 1 ? "" : "s") + ".",
                null, Duration.ofSeconds(seconds));
    }

    /** Whether this rejection is an authentication challenge (answered with {@code WWW-Authenticate}). */
    public boolean isChallenge() {
        return status == 400 || status == 401 || status == 403;
    }
}
