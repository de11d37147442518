package io.github.oauthjwt.webflux;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A claim a token must carry: by name only, or with a value that a string claim must equal or an
 * array claim must hold.
 *
 * @param name the claim's name
 * @param value the value it must have, or {@code null} when presence is enough
 */
record RequiredClaim(String name, @Nullable String value) {

    /** Checks the name is present and not blank. */
    public RequiredClaim {
        Objects.requireNonNull(name, "claim name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("A required claim's name must not be blank");
        }
    }
}
