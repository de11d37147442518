package io.github.oauthjwt.webflux;

import org.jspecify.annotations.Nullable;

/**
 * What validating one token learned besides its {@link Outcome}, for an observation: the token's
 * {@code alg} once it is known to be one the API accepts (so it comes from a short list),
 * and whether the verified-token cache answered. One per observed request, filled by
 * {@link TokenValidator} before it emits the outcome and read after; never shared between requests.
 */
final class ValidationFacts {

    private @Nullable String alg;
    private boolean remembered;

    /** The token's {@code alg} is one the API accepts. */
    void accepted(String alg) {
        this.alg = alg;
    }

    /** The verified-token cache answered for a token signed with {@code alg}. */
    void remembered(String alg) {
        this.alg = alg;
        this.remembered = true;
    }

    /** The accepted {@code alg}, or {@code null} when the token never got that far. */
    @Nullable String alg() {
        return alg;
    }

    /** Whether the verified-token cache answered. */
    boolean isRemembered() {
        return remembered;
    }
}
