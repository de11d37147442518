package io.github.oauthjwt.webflux;

import org.jspecify.annotations.Nullable;

/**
 * What the {@code Authorization} header held: a token with its scheme, or the reason the request is
 * refused before any token is looked at. Exactly one of token and rejection is present.
 *
 * @param token the access token, or {@code null}
 * @param rejection why there is no usable token, or {@code null}
 * @param dpop whether the token came with the {@code DPoP} scheme (RFC 9449 §7.1) rather than {@code Bearer}
 */
record BearerCredentials(@Nullable String token, @Nullable Rejection rejection, boolean dpop) {

    BearerCredentials(@Nullable String token, @Nullable Rejection rejection) {
        this(token, rejection, false);
    }

    static BearerCredentials of(String token) {
        return new BearerCredentials(token, null, false);
    }

    static BearerCredentials ofDpop(String token) {
        return new BearerCredentials(token, null, true);
    }

    static BearerCredentials refused(Rejection rejection) {
        return new BearerCredentials(null, rejection, false);
    }
}
