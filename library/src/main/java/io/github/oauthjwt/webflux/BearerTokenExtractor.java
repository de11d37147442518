package io.github.oauthjwt.webflux;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Reads the bearer token from a request as RFC 6750 §2.1 and RFC 7235 §2.1 define it: one
 * {@code Authorization} header, the scheme {@code Bearer} in any case, one or more spaces, then one
 * {@code b64token}.
 *
 * <ul>
 *   <li>No {@code Authorization} header, or another scheme: the request has no bearer
 *       credentials, answered with a bare challenge and no error code (RFC 6750 §3.1).</li>
 *   <li>Several {@code Authorization} headers, an empty one, {@code Bearer} with no token, more than
 *       one token, characters outside {@code b64token}, or a token also sent in the URI query: a
 *       malformed request, 400 {@code invalid_request}.</li>
 * </ul>
 * Tokens in the URI query or a form body are never read: they leak into logs (RFC 6750 §5.3).
 * With DPoP accepted, the scheme {@code DPoP} (RFC 9449 §7.1) is read the same way; which of the
 * two it was travels with the token. Stateless and thread-safe.
 */
final class BearerTokenExtractor {

    private static final String SCHEME = "Bearer";
    private static final String DPOP_SCHEME = "DPoP";

    private final boolean acceptDpop;

    /** An extractor of {@code Bearer} credentials only. */
    BearerTokenExtractor() {
        this(false);
    }

    /** An extractor of {@code Bearer} credentials and, if {@code acceptDpop}, {@code DPoP} ones. */
    BearerTokenExtractor(boolean acceptDpop) {
        this.acceptDpop = acceptDpop;
    }

    /** The request's bearer token, or why it has none that can be used. */
    public BearerCredentials extract(ServerHttpRequest request) {
        List<String> values = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (values == null || values.isEmpty()) {
            return BearerCredentials.refused(Rejection.missingCredentials());
        }
        if (values.size() > 1) {
            return BearerCredentials.refused(Rejection.invalidRequest("The request has " + values.size()
                    + " Authorization headers; send exactly one."));
        }
        BearerCredentials credentials = parse(values.get(0));
        if (credentials.token() != null && hasQueryToken(request)) {
            return BearerCredentials.refused(Rejection.invalidRequest(
                    "The request sends an access token both in the Authorization header and in the URI query;"
                            + " send it only in the Authorization header."));
        }
        return credentials;
    }

    /**
     * Whether the URI query carries an {@code access_token}. Most requests have no query at all, and
     * then their query parameters are not parsed into a map just to find that out.
     */
    private static boolean hasQueryToken(ServerHttpRequest request) {
        return request.getURI().getRawQuery() != null && request.getQueryParams().containsKey("access_token");
    }

    /** The token of one {@code Authorization} header value, or why it has none that can be used. */
    public BearerCredentials parse(String header) {
        String value = stripTrailingWhitespace(header);
        if (value.isEmpty()) {
            return BearerCredentials.refused(Rejection.invalidRequest(
                    "The Authorization header is empty; send 'Authorization: Bearer <access token>'."));
        }
        int space = value.indexOf(' ');
        int schemeEnd = space == -1 ? value.length() : space;
        boolean dpop = acceptDpop && schemeEnd == DPOP_SCHEME.length()
                && value.regionMatches(true, 0, DPOP_SCHEME, 0, DPOP_SCHEME.length());
        if (!dpop && (schemeEnd != SCHEME.length() || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length()))) {
            return BearerCredentials.refused(Rejection.missingCredentials());
        }
        int start = schemeEnd;
        while (start < value.length() && value.charAt(start) == ' ') {
            start++;
        }
        if (start == value.length()) {
            return BearerCredentials.refused(Rejection.invalidRequest(
                    "The Authorization header uses the " + (dpop ? DPOP_SCHEME : SCHEME) + " scheme but carries no token."));
        }
        String token = value.substring(start);
        if (!isB64Token(token)) {
            // Neither a space nor a comma is a b64token character: only a refused token is searched for them.
            return BearerCredentials.refused(Rejection.invalidRequest(token.contains(" ") || token.contains(",")
                    ? "The Authorization header carries more than one value; send exactly one bearer token."
                    : "The bearer token contains characters that RFC 6750 does not allow; a token is made of letters,"
                            + " digits and - . _ ~ + / followed by optional = padding."));
        }
        return dpop ? BearerCredentials.ofDpop(token) : BearerCredentials.of(token);
    }

    /** {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="} (RFC 6750 §2.1). */
    static boolean isB64Token(String token) {
        int i = 0;
        int length = token.length();
        while (i < length && isB64TokenCharacter(token.charAt(i))) {
            i++;
        }
        if (i == 0) {
            return false;
        }
        while (i < length && token.charAt(i) == '=') {
            i++;
        }
        return i == length;
    }

    /**
     * A table lookup rather than nine comparisons: every request's token, a kilobyte or so, passes
     * through here, and random-looking characters make the comparisons' branches mispredict.
     */
    private static boolean isB64TokenCharacter(char c) {
        return c < B64TOKEN_CHARACTERS.length() && B64TOKEN_CHARACTERS.charAt(c) == 'y';
    }

    /** For each ASCII code, {@code 'y'} where it is a b64token character; a string, so it stays immutable. */
    private static final String B64TOKEN_CHARACTERS = b64TokenCharacters();

    private static String b64TokenCharacters() {
        char[] table = new char[128];
        for (int c = 0; c < table.length; c++) {
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            table[c] = allowed ? 'y' : 'n';
        }
        return new String(table);
    }

    private static String stripTrailingWhitespace(String value) {
        int end = value.length();
        while (end > 0 && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        return end == value.length() ? value : value.substring(0, end);
    }
}
