package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What may be echoed back to a client or into a log: at most 64 characters, each at the edge of the
 * allowed ranges or one step outside them.
 */
class SafeTextTests {

    @ParameterizedTest
    @ValueSource(strings = {"a", "z", "A", "Z", "0", "9", "-._~:/+=", "key-2024.rsa_01~v1:prod/+="})
    void echoesTheEdgesOfEachAllowedRange(String value) {
        assertThat(SafeText.isEchoable(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"`", "{", "@", "[", " ", "'", "\"", "\\", "key\nid", "ключ", ""})
    void refusesTheCharactersJustOutsideThem(String value) {
        assertThat(SafeText.isEchoable(value)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void echoesSixtyFourCharactersButNotSixtyFive() {
        assertThat(SafeText.isEchoable("k".repeat(64))).isTrue();
        assertThat(SafeText.isEchoable("k".repeat(65))).isFalse();
    }
}
