package io.github.oauthjwt.webflux.dpop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The form in which a proof's {@code htu} meets the request's URI: RFC 3986 §6.2.2 and §6.2.3
 * normalisation, character by character at the edges of the unreserved set, and the URIs that
 * have no such form and so match nothing.
 */
class HtuTests {

    @ParameterizedTest
    @CsvSource({
            "HTTPS://API.Example.COM/orders,    https://api.example.com/orders",
            "https://api.example.com,           https://api.example.com/",
            "https://api.example.com:443/a,     https://api.example.com/a",
            "http://api.example.com:80/a,       http://api.example.com/a",
            "https://api.example.com:8443/a,    https://api.example.com:8443/a",
            "http://api.example.com:443/a,      http://api.example.com:443/a",
            "https://api.example.com/a?q=1#f,   https://api.example.com/a",
            "https://api.example.com/a/./b,     https://api.example.com/a/b",
            "https://api.example.com/a/.,       https://api.example.com/a/",
            "https://api.example.com/a/b/..,    https://api.example.com/a/",
            "https://api.example.com/a/b/../c,  https://api.example.com/a/c",
            "https://api.example.com/../a,      https://api.example.com/a",
            "https://api.example.com/a/.b,      https://api.example.com/a/.b",
            "https://api.example.com/a/%2E%2E/b, https://api.example.com/b",
            "https://api.example.com/a%2fb,     https://api.example.com/a%2Fb",
            "https://api.example.com/%7e%41,    https://api.example.com/~A",
    })
    void normalisesSchemeHostPortPathAndPercentEncodings(String uri, String normalised) {
        assertThat(Htu.normalize(uri)).isEqualTo(normalised);
        assertThat(Htu.normalize(URI.create(uri))).isEqualTo(normalised);
    }

    /** Each edge of RFC 3986's unreserved set, and the character just beyond it. */
    @ParameterizedTest
    @CsvSource({
            "61, a", "7A, z", "41, A", "5A, Z", "30, 0", "39, 9", "2D, -", "2E, .", "5F, _", "7E, ~",
            "60, %60", "7B, %7B", "40, %40", "5B, %5B", "2F, %2F", "3A, %3A", "2C, %2C", "5E, %5E", "7F, %7F",
    })
    void decodesExactlyTheUnreservedCharacters(String hex, String normalised) {
        assertThat(Htu.normalize("https://h.example/x%" + hex.toLowerCase(java.util.Locale.ROOT) + "y"))
                .isEqualTo("https://h.example/x" + normalised + "y");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not a uri",
            "https://h.example/%zz",
            "https://h.example/a%4",
            "urn:example:orders",
            "/orders",
            "//h.example/orders",
            "ftp://h.example/orders",
            "https://user@h.example/orders",
    })
    void givesNoFormToWhatIsNotAnAbsoluteHttpUriWithoutUserInformation(String uri) {
        assertThat(Htu.normalize(uri)).isNull();
    }
}
