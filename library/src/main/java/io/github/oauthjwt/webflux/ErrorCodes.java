package io.github.oauthjwt.webflux;

/**
 * The error codes this library answers with: the three of RFC 6750 §3.1 for token problems, and
 * one for the case where the API itself cannot verify tokens right now.
 */
final class ErrorCodes {

    /** The request is malformed: missing parameter, repeated credentials, bad syntax (400). */
    public static final String INVALID_REQUEST = "invalid_request";

    /** The access token is expired, revoked, malformed or invalid for other reasons (401). */
    public static final String INVALID_TOKEN = "invalid_token";

    /** The request requires higher privileges than the access token provides (403). */
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

    /**
     * The signing keys cannot be had from the authorization server right now (503); the token may
     * be fine and the client should retry it rather than throw it away.
     */
    public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";

    private ErrorCodes() {
    }
}
