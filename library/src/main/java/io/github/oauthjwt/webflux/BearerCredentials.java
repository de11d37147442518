package io.github.oauthjwt.webflux;

import org.jspecify.annotations.Nullable;

/**
 * What the {@code Authorization} header held: a bearer token, or the reason the request is refused
 * before any token is looked at. Exactly one of the two is present.
 *
 * @param token the bearer token, or {@code null}
 * @param rejection why there is no usable token, or {@code null}
 */
record BearerCredentials(@Nullable String token, @Nullable Rejection rejection) {

    static BearerCredentials of(String token) {
        return new BearerCredentials(token, null);
    }

    static BearerCredentials refused(Rejection rejection) {
        return new BearerCredentials(null, rejection);
    }
}
