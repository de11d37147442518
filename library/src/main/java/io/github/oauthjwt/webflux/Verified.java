package io.github.oauthjwt.webflux;

import java.util.Objects;

/**
 * A token passed every check; these are its claims.
 *
 * @param claims the verified claims
 */
public record Verified(JwtClaims claims) implements Outcome {

    /** Checks the claims are present. */
    public Verified {
        Objects.requireNonNull(claims, "claims");
    }
}
