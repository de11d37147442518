package io.github.oauthjwt.webflux;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Which claims grant scopes, and how each may be written. Real servers disagree: RFC 9068 §2.2.3
 * and Azure AD write {@code scope}/{@code scp} as a space-delimited string, Spring Authorization
 * Server writes {@code scope} and Okta {@code scp} as JSON arrays, and Auth0 adds a
 * {@code permissions} array. Each claim named here is read the same way: a space-delimited string,
 * or an array of distinct, non-empty scope tokens (RFC 6749 §3.3). Anything else there (a number,
 * a nested array, an empty or spaced element, a duplicate) makes the token invalid rather than
 * silently granting less. Also the one owner of what a valid scope token is. Immutable.
 */
final class ScopeClaims {

    /** The claims read by default: {@code scope} (RFC 9068) and {@code scp}. */
    static final List<String> DEFAULT_NAMES = List.of("scope", "scp");

    static final ScopeClaims DEFAULT = new ScopeClaims(DEFAULT_NAMES);

    private final List<String> names;

    private ScopeClaims(List<String> names) {
        this.names = List.copyOf(names);
    }

    /**
     * The default claims and these others.
     *
     * @throws IllegalArgumentException if a name is empty
     */
    static ScopeClaims withAdditional(List<String> additional) {
        Set<String> all = new LinkedHashSet<>(DEFAULT_NAMES);
        for (String name : additional) {
            if (name.isBlank()) {
                throw new IllegalArgumentException("a scope claim name must not be empty");
            }
            all.add(name);
        }
        return new ScopeClaims(List.copyOf(all));
    }

    /** The scopes these claims grant, in claim order; values of the wrong shape are skipped. */
    Set<String> read(Map<String, Object> claims) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String name : names) {
            Object value = claims.get(name);
            if (value instanceof String delimited) {
                addDelimited(delimited, scopes);
            } else if (value instanceof List<?> list) {
                for (Object element : list) {
                    if (element instanceof String scope && isScopeToken(scope)) {
                        scopes.add(scope);
                    }
                }
            }
        }
        return Collections.unmodifiableSet(scopes);
    }

    /** Adds each scope of a space-delimited string, skipping the empty ones that repeated spaces make. */
    private static void addDelimited(String delimited, Set<String> scopes) {
        int start = 0;
        while (true) {
            int space = delimited.indexOf(' ', start);
            String scope = space < 0 ? delimited.substring(start) : delimited.substring(start, space);
            if (!scope.isEmpty()) {
                scopes.add(scope);
            }
            if (space < 0) {
                return;
            }
            start = space + 1;
        }
    }

    /** The reason these claims' scope values are malformed, or {@code null} when every one is well formed. */
    @Nullable Rejection check(JwtClaims claims) {
        for (String name : names) {
            Object value = claims.claim(name);
            if (value != null && !(value instanceof String) && !isScopeArray(value)) {
                return Rejection.invalidToken(Rejection.Reason.MALFORMED, "The access token's " + name + " claim is neither a space-delimited"
                        + " string nor an array of distinct, non-empty scope strings.");
            }
        }
        return null;
    }

    /**
     * Checks a scope a resource requires.
     *
     * @throws IllegalArgumentException naming {@code what} if it is not a scope token
     */
    static void requireScopeToken(@Nullable String scope, String what) {
        if (scope == null || !isScopeToken(scope)) {
            throw new IllegalArgumentException(what + " '" + scope + "' is not a valid scope token");
        }
    }

    /** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    static boolean isScopeToken(String scope) {
        if (scope.isEmpty()) {
            return false;
        }
        for (int i = 0; i < scope.length(); i++) {
            char c = scope.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean isScopeArray(Object value) {
        if (!(value instanceof List<?> list)) {
            return false;
        }
        Set<Object> seen = new LinkedHashSet<>();
        for (Object element : list) {
            if (!(element instanceof String scope) || !isScopeToken(scope) || !seen.add(scope)) {
                return false;
            }
        }
        return true;
    }
}
