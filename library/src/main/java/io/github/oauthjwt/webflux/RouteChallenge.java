package io.github.oauthjwt.webflux;

import org.jspecify.annotations.Nullable;

/**
 * What the filter's own challenges carry besides the error, handed to route-level checks
 * ({@link RequireScopes}) through the exchange attributes, so that their refusals name the same
 * {@code realm} and {@code resource_metadata} (RFC 9728 §5.1) as the filter's. Set only when the
 * filter has either. Immutable.
 *
 * @param realm the filter's realm, or {@code null}
 * @param resourceMetadata the URL of the filter's protected-resource metadata for this request, or {@code null}
 */
record RouteChallenge(@Nullable String realm, @Nullable String resourceMetadata) {

    /** The exchange attribute that holds it. */
    static final String ATTRIBUTE = RouteChallenge.class.getName();
}
