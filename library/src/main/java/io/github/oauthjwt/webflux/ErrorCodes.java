package io.github.oauthjwt.webflux;

/**
 * The error codes this library answers with: the three of RFC 6750 §3.1 for token problems, the two
 * of RFC 9449 §7.1 and §9 for DPoP proofs, and one for the case where the API itself cannot verify
 * tokens right now.
 */
final class ErrorCodes {

    /** The request is malformed: missing parameter, repeated credentials, bad syntax (400). */
    public static final String INVALID_REQUEST = "invalid_request";

    /** The access token is expired, revoked, malformed or invalid for other reasons (401). */
    public static final String INVALID_TOKEN = "invalid_token";

    /** The request requires higher privileges than the access token provides (403). */
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

    /** The DPoP proof is missing, malformed or fails a check of RFC 9449 §4.3 (401). */
    public static final String INVALID_DPOP_PROOF = "invalid_dpop_proof";

    /** The DPoP proof lacks a current server nonce; the response carries one in {@code DPoP-Nonce} (401, RFC 9449 §9). */
    public static final String USE_DPOP_NONCE = "use_dpop_nonce";

    /**
     * The signing keys cannot be had from the authorization server right now (503); the token may
     * be fine and the client should retry it rather than throw it away.
     */
    public static final String TEMPORARILY_UNAVAILABLE = "temporarily_unavailable";

    private ErrorCodes() {
    }
}
