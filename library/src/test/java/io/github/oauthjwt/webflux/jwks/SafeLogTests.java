package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The log-injection guard: only short printable ASCII from a JWKS goes into a log line as it is. */
class SafeLogTests {

    @ParameterizedTest
    @ValueSource(strings = {"kid-1", " ", "~", "a b"})
    void letsPrintableAsciiThrough(String value) {
        assertThat(SafeLog.isPlain(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kid\nINFO forged line", "kid\r", "tab\t", "\u001f", "del\u007f", "caf\u00e9", "\u202ekid"})
    void keepsControlAndNonAsciiCharactersOut(String value) {
        assertThat(SafeLog.isPlain(value)).isFalse();
    }

    @Test
    void allowsAHundredCharactersAndNoMore() {
        assertThat(SafeLog.isPlain("k".repeat(100))).isTrue();
        assertThat(SafeLog.isPlain("k".repeat(101))).isFalse();
    }
}
