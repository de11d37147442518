package io.github.oauthjwt.webflux;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The scopes: every scope claim is well formed ({@link ScopeClaims}), and the token grants each
 * required scope, or the request is refused 403 {@code insufficient_scope} naming the scopes to ask
 * for (RFC 6750 §3.1). Immutable.
 */
final class ScopeRule implements TokenRule {

    private final ScopeClaims scopeClaims;
    private final List<String> required;
    private final String scopeAttribute;

    ScopeRule(ScopeClaims scopeClaims, List<String> required) {
        this.scopeClaims = scopeClaims;
        this.required = List.copyOf(required);
        this.scopeAttribute = String.join(" ", required);
    }

    @Override
    public Optional<Rejection> check(JwtClaims claims) {
        Rejection malformed = scopeClaims.check(claims);
        if (malformed != null) {
            return Optional.of(malformed);
        }
        return missing(claims.scopes(), required, scopeAttribute);
    }

    /** The 403 for the first of {@code required} that {@code granted} lacks, or empty; shared with {@link RequireScopes}. */
    static Optional<Rejection> missing(Set<String> granted, List<String> required, String scopeAttribute) {
        for (String scope : required) {
            if (!granted.contains(scope)) {
                return Optional.of(Rejection.insufficientScope(Rejection.Reason.SCOPE, "The access token lacks the scope '" + scope
                        + "'; this resource requires the scopes: " + scopeAttribute + ".", scopeAttribute));
            }
        }
        return Optional.empty();
    }
}
