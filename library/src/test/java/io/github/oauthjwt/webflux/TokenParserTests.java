package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token parser on its own, without the bearer extractor in front of it: whatever string it is
 * given, it answers with a parsed token or a refusal, never an exception.
 */
class TokenParserTests {

    private static final String HEADER = "eyJhbGciOiJSUzI1NiJ9";
    private static final String PAYLOAD = "eyJzdWIiOiJhIn0";
    private static final String SIGNATURE = "c2lnbmF0dXJl";

    private final TokenParser parser = new TokenParser(4096, 16384, 16);

    @ParameterizedTest
    @ValueSource(chars = {'\u007f', '\u0080', '\u00ff', '\u20ac'})
    void refusesACharacterOutsideTheBase64urlAlphabetInPlaceOfAnyPartsFirst(char outside) {
        String[] tokens = {
            outside + HEADER.substring(1) + "." + PAYLOAD + "." + SIGNATURE,
            HEADER + "." + outside + PAYLOAD.substring(1) + "." + SIGNATURE,
            HEADER + "." + PAYLOAD + "." + outside + SIGNATURE.substring(1),
        };
        for (String token : tokens) {
            assertThat(parser.parseJws(token)).isInstanceOf(Rejection.class);
        }
        assertThat(((Rejection) parser.parseJws(tokens[2])).description())
                .isEqualTo("The access token's signature is not valid base64url.");
    }

    @ParameterizedTest
    @ValueSource(strings = {HEADER + "." + PAYLOAD + "." + SIGNATURE, HEADER + ".." + SIGNATURE})
    void givesTheSignatureBytesExactly(String token) {
        TokenParser.Jws jws = (TokenParser.Jws) parser.parseJws(token);

        assertThat(jws.signature()).isEqualTo("signature".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
