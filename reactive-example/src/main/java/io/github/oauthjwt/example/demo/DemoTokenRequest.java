package io.github.oauthjwt.example.demo;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.util.MultiValueMap;

/**
 * What a caller of {@code POST /demo/token} asked for, read from its form fields ({@code scope},
 * {@code role}, {@code sub}, {@code expires_in}); absent fields take the defaults of the startup
 * token. Other fields, such as {@code grant_type}, are ignored: the demo issuer asks nobody for
 * credentials.
 *
 * @param scope the space-delimited scopes, empty for a token without a {@code scope} claim
 * @param role the {@code role} claim, empty for none
 * @param subject the {@code sub} claim
 * @param expiresIn the token's lifetime; negative for a token that has already expired
 */
public record DemoTokenRequest(String scope, String role, String subject, Duration expiresIn) {

    /** The scope of the token printed at startup and of requests that name none. */
    public static final String DEFAULT_SCOPE = "read";
    /** The role of the token printed at startup and of requests that name none. */
    public static final String DEFAULT_ROLE = "developer";
    /** The subject of requests that name none. */
    public static final String DEFAULT_SUBJECT = "demo-user";
    /** The lifetime of requests that name none. */
    public static final Duration DEFAULT_EXPIRES_IN = Duration.ofHours(1);
    /** The longest lifetime, either way: {@code expires_in} lies within plus or minus this. */
    public static final Duration MAX_EXPIRES_IN = Duration.ofDays(1);

    private static final int MAX_FIELD_LENGTH = 200;

    /** The request made when a caller names nothing: scope {@code read}, role {@code developer}. */
    public static DemoTokenRequest defaults() {
        return new DemoTokenRequest(DEFAULT_SCOPE, DEFAULT_ROLE, DEFAULT_SUBJECT, DEFAULT_EXPIRES_IN);
    }

    /**
     * The outcome of reading a form: exactly one of the two is present.
     *
     * @param request the request, or {@code null}
     * @param problem why the form cannot be honoured (an OAuth {@code invalid_request}), or {@code null}
     */
    public record Reading(@Nullable DemoTokenRequest request, @Nullable String problem) {
    }

    /** Reads the form of a token request. */
    public static Reading read(MultiValueMap<String, String> form) {
        for (String field : List.of("scope", "role", "sub", "expires_in")) {
            List<String> values = form.get(field);
            if (values != null && values.size() > 1) {
                // RFC 6749 §3.2: request parameters must not be included more than once.
                return problem("Send the field " + field + " at most once.");
            }
        }
        String scope = form.getFirst("scope");
        String role = form.getFirst("role");
        String subject = form.getFirst("sub");
        String expiresIn = form.getFirst("expires_in");
        if (scope != null && !isScopeList(scope)) {
            return problem("scope must be space-delimited scope tokens of printable ASCII without \" or \\"
                    + " (RFC 6749 §3.3), at most " + MAX_FIELD_LENGTH + " characters.");
        }
        if (role != null && !isPrintable(role, true)) {
            return problem("role must be printable ASCII, at most " + MAX_FIELD_LENGTH + " characters.");
        }
        if (subject != null && !isPrintable(subject, false)) {
            return problem("sub must be non-empty printable ASCII, at most " + MAX_FIELD_LENGTH + " characters.");
        }
        Duration lifetime = DEFAULT_EXPIRES_IN;
        if (expiresIn != null) {
            lifetime = seconds(expiresIn);
            if (lifetime == null) {
                return problem("expires_in must be a whole number of seconds between -" + MAX_EXPIRES_IN.toSeconds()
                        + " and " + MAX_EXPIRES_IN.toSeconds() + "; a negative one mints an expired token.");
            }
        }
        return new Reading(new DemoTokenRequest(
                scope != null ? scope.trim() : DEFAULT_SCOPE,
                role != null ? role : DEFAULT_ROLE,
                subject != null ? subject : DEFAULT_SUBJECT,
                lifetime), null);
    }

    private static Reading problem(String description) {
        return new Reading(null, description);
    }

    private static boolean isScopeList(String scope) {
        if (scope.length() > MAX_FIELD_LENGTH) {
            return false;
        }
        for (int i = 0; i < scope.length(); i++) {
            char c = scope.charAt(i);
            boolean scopeChar = c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
            if (!scopeChar && c != ' ') {
                return false;
            }
        }
        return true;
    }

    private static boolean isPrintable(String value, boolean mayBeEmpty) {
        if (value.length() > MAX_FIELD_LENGTH || (value.isEmpty() && !mayBeEmpty)) {
            return false;
        }
        return value.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    private static @Nullable Duration seconds(String value) {
        try {
            long seconds = Long.parseLong(value.trim());
            return Math.abs(seconds) <= MAX_EXPIRES_IN.toSeconds() ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
