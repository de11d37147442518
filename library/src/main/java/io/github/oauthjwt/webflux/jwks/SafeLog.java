package io.github.oauthjwt.webflux.jwks;

/** Decides whether a value from a JWKS may go into a log line as it is: short printable ASCII only. */
final class SafeLog {

    private SafeLog() {
    }

    static boolean isPlain(String value) {
        if (value.length() > 100) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
