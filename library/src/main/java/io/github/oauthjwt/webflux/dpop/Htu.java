package io.github.oauthjwt.webflux.dpop;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The form in which a proof's {@code htu} and the request's URI are compared (RFC 9449 §4.3 check 9):
 * without query and fragment, after RFC 3986 §6.2.2 syntax-based normalisation (scheme and host in
 * lower case, percent-encodings in upper case and decoded where they encode an unreserved character,
 * dot segments removed) and §6.2.3 scheme-based normalisation (default port dropped, empty path
 * {@code /}). A URI with user information, or that is not absolute {@code http} or {@code https},
 * has no such form and so matches nothing. Stateless.
 */
final class Htu {

    private Htu() {
    }

    /** The comparable form of {@code uri}, or {@code null} when it has none. */
    static @Nullable String normalize(String uri) {
        try {
            return normalize(new URI(uri));
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The comparable form of {@code uri}, or {@code null} when it has none. */
    static @Nullable String normalize(URI uri) {
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null || uri.getRawUserInfo() != null || uri.isOpaque()) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int defaultPort = "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : 0;
        if (defaultPort == 0) {
            return null;
        }
        int port = uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + (port == -1 || port == defaultPort ? "" : ":" + port)
                + removeDotSegments(normalizePercentEncoding(path));
    }

    /**
     * Upper-case hex in every percent-encoding, and unreserved characters decoded. Every {@code %}
     * starts a well-formed encoding: {@link URI} refuses a raw path with any other.
     */
    private static String normalizePercentEncoding(String path) {
        if (!path.contains("%")) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            char decoded = (char) Integer.parseInt(path.substring(i + 1, i + 3), 16);
            if (isUnreserved(decoded)) {
                out.append(decoded);
            } else {
                out.append('%').append(path.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
            }
            i += 2;
        }
        return out.toString();
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** RFC 3986 §5.2.4 on an absolute path. */
    private static String removeDotSegments(String path) {
        if (!path.contains("/.")) {
            return path;
        }
        String[] segments = path.split("/", -1);
        java.util.ArrayDeque<String> output = new java.util.ArrayDeque<>();
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".")) {
                if (last) {
                    output.addLast("");
                }
            } else if (segment.equals("..")) {
                output.pollLast();
                if (last) {
                    output.addLast("");
                }
            } else {
                output.addLast(segment);
            }
        }
        return "/" + String.join("/", output);
    }
}
