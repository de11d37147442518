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
 * be safe to echo; they never carry exception messages or raw request input. The {@link Reason}
 * says the same thing as a code from a small fixed set, for metrics and dashboards.
 *
 * @param status the HTTP status code to answer with
 * @param error the RFC 6750 error code, or {@code null} for a bare authentication challenge
 * @param description what is wrong, in a sentence; {@code null} only with a {@code null} error
 * @param scope the space-delimited scopes the resource needs, or {@code null}
 * @param retryAfter how long the client should wait before retrying, or {@code null}
 * @param reason why, as a code from a fixed set: the library names its own; a rejection an
 *     application makes is {@link Reason#RULE} (or {@link Reason#MISSING_TOKEN} without an error code)
 */
public record Rejection(
        int status,
        @Nullable String error,
        @Nullable String description,
        @Nullable String scope,
        @Nullable Duration retryAfter,
        Reason reason) implements Outcome, TokenParser.TokenResult, TokenParser.JwsResult,
        IssuerSelector.Selection {

    /**
     * Why a request was refused, as a code from a fixed set: what {@code oauth.jwt.validation}
     * observations carry as their {@code reason}. Never free text, never anything from the token.
     */
    public enum Reason {
        /** The request carried no bearer token, or used another scheme (401 without an error code). */
        MISSING_TOKEN("missing_token"),
        /** The {@code Authorization} header is malformed: repeated, empty, without a token, with several values. */
        MALFORMED_REQUEST("malformed_request"),
        /** The token, its header or its claims are larger or nest deeper than this API reads. */
        TOO_LARGE("too_large"),
        /**
         * The token is not a signed JWT this API can read (not three base64url parts, a JWE, not JSON),
         * or a claim it needs is missing or of the wrong type ({@code exp}, {@code aud}, a scope claim).
         */
        MALFORMED("malformed"),
        /** The token's {@code alg} is not on the allow-list, or is {@code none} (RFC 8725 §3.1). */
        ALGORITHM_REFUSED("algorithm_refused"),
        /** The token marks header parameters as critical that this API does not understand (RFC 7515 §4.1.11). */
        CRITICAL_HEADER("critical_header"),
        /** The token's {@code typ} is missing where required, or not one this API accepts (RFC 8725 §3.11). */
        TYPE_REFUSED("type_refused"),
        /** With several trusted issuers: the token's {@code iss} is none of them, or missing. */
        UNTRUSTED_ISSUER("untrusted_issuer"),
        /** No published key has the token's {@code kid}. */
        UNKNOWN_KID("unknown_kid"),
        /** The key with the token's {@code kid} cannot verify its {@code alg}, or without a {@code kid} no single key fits. */
        NO_FITTING_KEY("no_fitting_key"),
        /** The signature does not verify. */
        BAD_SIGNATURE("bad_signature"),
        /** The token's {@code exp} has passed. */
        EXPIRED("expired"),
        /** The token's {@code nbf} or {@code iat} lies ahead. */
        NOT_YET_VALID("not_yet_valid"),
        /** The token's {@code iss} is not the configured issuer, or missing. */
        WRONG_ISSUER("wrong_issuer"),
        /** The token's {@code aud} does not hold an accepted audience, or is missing. */
        WRONG_AUDIENCE("wrong_audience"),
        /** The token lacks a required scope (403). */
        SCOPE("scope"),
        /** The token lacks a required claim or its value (403). */
        CLAIM("claim"),
        /** An application's own {@link TokenRule}, or a rejection the application made. */
        RULE("rule"),
        /** The signing keys cannot be had right now (503). */
        KEYS_UNAVAILABLE("keys_unavailable"),
        /** Validation failed on a bug (logged at ERROR); answered 401. */
        INTERNAL_ERROR("internal_error");

        private final String value;

        Reason(String value) {
            this.value = value;
        }

        /** The reason as metrics carry it: lower case words joined by underscores, such as {@code expired}. */
        public String value() {
            return value;
        }
    }

    private static final Rejection MISSING_CREDENTIALS = new Rejection(401, null, null, null, null, Reason.MISSING_TOKEN);

    /** Checks the reason is present. */
    public Rejection {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * A rejection of the application's making, with the shape this record had before it had a
     * {@link #reason}: {@link Reason#MISSING_TOKEN} without an error code, else {@link Reason#RULE}.
     */
    public Rejection(int status, @Nullable String error, @Nullable String description, @Nullable String scope,
            @Nullable Duration retryAfter) {
        this(status, error, description, scope, retryAfter, error == null ? Reason.MISSING_TOKEN : Reason.RULE);
    }

    /** The request carried no bearer token (or used another scheme): 401 with no error code. */
    public static Rejection missingCredentials() {
        return MISSING_CREDENTIALS;
    }

    /** The request is malformed: 400 {@code invalid_request}, reason {@link Reason#MALFORMED_REQUEST}. */
    public static Rejection invalidRequest(String description) {
        return new Rejection(400, ErrorCodes.INVALID_REQUEST, Objects.requireNonNull(description), null, null,
                Reason.MALFORMED_REQUEST);
    }

    /** The token is not acceptable: 401 {@code invalid_token}, reason {@link Reason#RULE}. */
    public static Rejection invalidToken(String description) {
        return invalidToken(Reason.RULE, description);
    }

    /** The token is not acceptable for this reason: 401 {@code invalid_token}. */
    static Rejection invalidToken(Reason reason, String description) {
        return new Rejection(401, ErrorCodes.INVALID_TOKEN, Objects.requireNonNull(description), null, null, reason);
    }

    /**
     * The token is valid but does not grant enough: 403 {@code insufficient_scope}, reason {@link Reason#RULE}.
     *
     * @param scope the space-delimited scopes the resource needs, or {@code null} when what is
     *     missing is a claim rather than a scope
     */
    public static Rejection insufficientScope(String description, @Nullable String scope) {
        return insufficientScope(Reason.RULE, description, scope);
    }

    /** The token does not grant enough, for this reason: 403 {@code insufficient_scope}. */
    static Rejection insufficientScope(Reason reason, String description, @Nullable String scope) {
        return new Rejection(403, ErrorCodes.INSUFFICIENT_SCOPE, Objects.requireNonNull(description), scope, null,
                reason);
    }

    /** The signing keys cannot be had right now: 503 with {@code Retry-After}. */
    public static Rejection keysUnavailable(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new Rejection(503, ErrorCodes.TEMPORARILY_UNAVAILABLE,
                "The API cannot verify access tokens right now because the authorization server's signing keys are"
                        + " unavailable; retry the same token in " + seconds + " second" + (seconds == 1 ? "" : "s") + ".",
                null, Duration.ofSeconds(seconds), Reason.KEYS_UNAVAILABLE);
    }

    /** This rejection with another reason: an application rule's rejection is always {@link Reason#RULE}. */
    Rejection withReason(Reason other) {
        return other == reason ? this : new Rejection(status, error, description, scope, retryAfter, other);
    }

    /** Whether this rejection is an authentication challenge (answered with {@code WWW-Authenticate}). */
    public boolean isChallenge() {
        return status == 400 || status == 401 || status == 403;
    }
}
