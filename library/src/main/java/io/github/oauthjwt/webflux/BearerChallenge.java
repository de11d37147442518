package io.github.oauthjwt.webflux;

import org.jspecify.annotations.Nullable;

/**
 * Writes the {@code WWW-Authenticate} challenge of a {@link Rejection} (RFC 6750 §3, RFC 7235 §4.1)
 * and the matching JSON body. Every parameter value is a quoted-string restricted to the characters
 * RFC 6750 §3 allows ({@code %x20-21 / %x23-5B / %x5D-7E}): a double quote becomes {@code '}, a
 * backslash {@code /}, anything else outside printable ASCII {@code ?}. So no value, whatever its
 * origin, can break the header, add a parameter or a header line. Stateless.
 */
final class BearerChallenge {

    private BearerChallenge() {
    }

    /**
     * The header value, e.g. {@code Bearer error="invalid_token", error_description="..."}, with
     * {@code resource_metadata} last when given (RFC 9728 §5.1).
     */
    public static String headerValue(Rejection rejection, @Nullable String realm, @Nullable String resourceMetadata) {
        return headerValue("Bearer", rejection, realm, null, resourceMetadata);
    }

    /**
     * The header value of a challenge in {@code scheme} ({@code Bearer}, or {@code DPoP} with the
     * accepted proof algorithms in {@code algs}, RFC 9449 §7.1), carrying the rejection's error, and
     * {@code resource_metadata} last when given (RFC 9728 §5.1).
     */
    static String headerValue(String scheme, Rejection rejection, @Nullable String realm, @Nullable String algs,
            @Nullable String resourceMetadata) {
        StringBuilder header = new StringBuilder(160).append(scheme);
        boolean first = true;
        if (realm != null) {
            first = appendParameter(header, first, "realm", realm);
        }
        if (rejection.error() != null) {
            first = appendParameter(header, first, "error", rejection.error());
            if (rejection.description() != null) {
                first = appendParameter(header, first, "error_description", rejection.description());
            }
            if (rejection.scope() != null) {
                first = appendParameter(header, first, "scope", rejection.scope());
            }
        }
        if (algs != null) {
            first = appendParameter(header, first, "algs", algs);
        }
        if (resourceMetadata != null) {
            appendParameter(header, first, "resource_metadata", resourceMetadata);
        }
        return header.toString();
    }

    /**
     * The JSON body, {@code {"error":"...","error_description":"..."}}, or {@code null} for a bare
     * challenge that carries no error.
     */
    public static @Nullable String body(Rejection rejection) {
        if (rejection.error() == null) {
            return null;
        }
        StringBuilder json = new StringBuilder(160).append("{\"error\":\"").append(safe(rejection.error())).append('"');
        if (rejection.description() != null) {
            json.append(",\"error_description\":\"").append(safe(rejection.description())).append('"');
        }
        if (rejection.scope() != null) {
            json.append(",\"scope\":\"").append(safe(rejection.scope())).append('"');
        }
        return json.append('}').toString();
    }

    private static boolean appendParameter(StringBuilder header, boolean first, String name, String value) {
        header.append(first ? " " : ", ").append(name).append("=\"").append(safe(value)).append('"');
        return false;
    }

    /** The value with only characters allowed in an RFC 6750 quoted parameter value; also valid inside a JSON string. */
    static String safe(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            char replacement = c == '"' ? '\'' : c == '\\' ? '/' : (c < 0x20 || c > 0x7E) ? '?' : c;
            if (replacement != c && out == null) {
                out = new StringBuilder(value.length()).append(value, 0, i);
            }
            if (out != null) {
                out.append(replacement);
            }
        }
        return out == null ? value : out.toString();
    }
}
