package io.github.oauthjwt.webflux;

import java.util.Optional;

/**
 * One check on a token whose signature has verified: the extension point for rules of an API's own,
 * such as one on {@code client_id} or {@code acr}. The filter runs its built-in rules first (time,
 * issuer, audience, scopes, required claims), then each added rule in the order it was added; the
 * first rejection answers the request. Rules run on every request, also for a token whose signature
 * the filter remembers, so they must be cheap, thread-safe and non-blocking. A rule that throws is a
 * bug: the filter logs it and answers 401, never a 5xx.
 *
 * <pre>{@code
 * TokenRule trustedClient = claims -> "orders-app".equals(claims.stringClaim("client_id").orElse(null))
 *         ? Optional.empty()
 *         : Optional.of(Rejection.insufficientScope("This API serves only the orders app.", null));
 * OAuthJwtFilter.builder(keys).rule(trustedClient)...
 * }</pre>
 */
@FunctionalInterface
public interface TokenRule {

    /**
     * Checks verified claims.
     *
     * @return empty when the claims pass; otherwise why the request is refused, typically
     *     {@link Rejection#invalidToken} (401) or {@link Rejection#insufficientScope} (403)
     */
    Optional<Rejection> check(JwtClaims claims);
}
