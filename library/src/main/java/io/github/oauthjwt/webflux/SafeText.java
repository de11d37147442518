package io.github.oauthjwt.webflux;

/**
 * Decides which client-supplied values may be echoed in an error description. Only short values made
 * of unreserved URL characters pass, so nothing a client sends can break a header, inject a
 * parameter or smuggle control characters into logs.
 */
final class SafeText {

    private static final int MAX_ECHO_LENGTH = 64;

    private SafeText() {
    }

    /** Whether {@code value} is short and made only of {@code A-Z a-z 0-9 - . _ ~ : / + =}. */
    public static boolean isEchoable(String value) {
        int length = value.length();
        if (length == 0 || length > MAX_ECHO_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == '/' || c == '+' || c == '=';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code 'value'} when it is echoable, otherwise {@code fallback}. */
    public static String quoteOr(String value, String fallback) {
        return isEchoable(value) ? "'" + value + "'" : fallback;
    }
}
