package io.github.oauthjwt.webflux;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A claim the token must carry: by name only, or with a value that a string claim must equal or an
 * array claim must hold. Its absence is a 403 {@code insufficient_scope} (RFC 6750 §3.1): the token
 * is valid but does not grant this resource. Immutable.
 */
final class ClaimRule implements TokenRule {

    private final String name;
    private final @Nullable String value;
    private final @Nullable String scopeAttribute;

    /** @param scopeAttribute the scopes to name in the challenge (those the filter requires), or {@code null} */
    ClaimRule(RequiredClaim required, @Nullable String scopeAttribute) {
        this.name = required.name();
        this.value = required.value();
        this.scopeAttribute = scopeAttribute;
    }

    @Override
    public Optional<Rejection> check(JwtClaims claims) {
        Object actual = claims.claim(name);
        if (actual == null) {
            return Optional.of(Rejection.insufficientScope(Rejection.Reason.CLAIM, "The access token lacks the claim '" + name
                    + "' that this resource requires.", scopeAttribute));
        }
        if (value == null || value.equals(actual) || (actual instanceof List<?> list && list.contains(value))) {
            return Optional.empty();
        }
        return Optional.of(Rejection.insufficientScope(Rejection.Reason.CLAIM, "The access token's claim '" + name
                + "' does not have the value '" + value + "' that this resource requires.", scopeAttribute));
    }
}
