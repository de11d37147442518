package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6750 §2.1 credentials syntax, one header value at a time. */
class BearerTokenExtractorTests {

    private final BearerTokenExtractor extractor = new BearerTokenExtractor();

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc.def.ghi", "bearer abc.def.ghi", "BEARER abc.def.ghi", "Bearer   abc.def.ghi",
        "Bearer abc.def.ghi  "})
    void readsTheTokenAfterTheSchemeInAnyCaseAndSpacing(String header) {
        assertThat(extractor.parse(header)).isEqualTo(new BearerCredentials("abc.def.ghi", null));
    }

    @Test
    void acceptsEveryB64TokenCharacterAndTrailingPadding() {
        assertThat(extractor.parse("Bearer aZ09-._~+/==").token()).isEqualTo("aZ09-._~+/==");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Digest username=\"a\"", "Bearerabc", "Token abc", "Negotiate"})
    void treatsOtherSchemesAsNoBearerCredentials(String header) {
        assertThat(extractor.parse(header).rejection()).isEqualTo(Rejection.missingCredentials());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer a\"b", "Bearer a;b", "Bearer é", "Bearer =abc", "Bearer abc=def", "Bearer a\tb",
        "Bearer a\u007fb", "Bearer a\u0080b", "Bearer a\u00ffb"})
    void refusesCharactersOutsideB64Token(String header) {
        assertThat(extractor.parse(header).rejection()).isEqualTo(Rejection.invalidRequest(
                "The bearer token contains characters that RFC 6750 does not allow; a token is made of letters,"
                        + " digits and - . _ ~ + / followed by optional = padding."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer a b", "Bearer a,b", "Bearer a, Bearer b", "Bearer ,abc"})
    void refusesMoreThanOneValue(String header) {
        assertThat(extractor.parse(header).rejection()).isEqualTo(Rejection.invalidRequest(
                "The Authorization header carries more than one value; send exactly one bearer token."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "bearer    "})
    void refusesTheSchemeWithoutAToken(String header) {
        assertThat(extractor.parse(header).rejection()).isEqualTo(Rejection.invalidRequest(
                "The Authorization header uses the Bearer scheme but carries no token."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api", "/api?", "/api?page=2", "/api?access_tokens=x&token=y"})
    void readsTheHeaderTokenOfARequestWithoutAQueryToken(String uri) {
        assertThat(extractor.extract(MockServerHttpRequest.get(uri).header(HttpHeaders.AUTHORIZATION, "Bearer abc").build()))
                .isEqualTo(BearerCredentials.of("abc"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api?access_token=abc", "/api?page=2&access_token=abc", "/api?access_token", "/api?access_token="})
    void refusesATokenSentInTheQueryAsWell(String uri) {
        assertThat(extractor.extract(MockServerHttpRequest.get(uri).header(HttpHeaders.AUTHORIZATION, "Bearer abc").build())
                .rejection()).isEqualTo(Rejection.invalidRequest(
                        "The request sends an access token both in the Authorization header and in the URI query;"
                                + " send it only in the Authorization header."));
    }

    @Test
    void refusesAnEmptyHeader() {
        assertThat(extractor.parse("").rejection()).isEqualTo(Rejection.invalidRequest(
                "The Authorization header is empty; send 'Authorization: Bearer <access token>'."));
    }
}
