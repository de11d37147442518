package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.text.ParseException;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The claims parser gives exactly what nimbus's parser gives for valid JSON objects (the same maps,
 * lists, strings, Long and Double values, in the same order), and refuses what RFC 8259 and RFC 7519
 * do not allow.
 */
class JsonObjectParserTests {

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        " {\"a\":1} ",
        "{\"iss\":\"https://issuer.example\",\"aud\":[\"a\",\"b\"],\"exp\":1795920676,\"nested\":{\"x\":[1,2,{\"y\":null}]}}",
        "{\"int\":0,\"negative\":-42,\"minusZero\":-0,\"max\":9223372036854775807,\"min\":-9223372036854775808}",
        "{\"beyondLong\":9223372036854775808,\"huge\":123456789012345678901234567890}",
        "{\"decimal\":1.5,\"exponent\":1e3,\"Exponent\":2E-2,\"signed\":-1.25e+2,\"integral\":10.0}",
        "{\"t\":true,\"f\":false,\"n\":null,\"empty\":\"\",\"emptyArray\":[],\"emptyObject\":{}}",
        "{\"escapes\":\"quote \\\" backslash \\\\ slash \\/ b \\b f \\f n \\n r \\r t \\t\"}",
        "{\"unicode\":\"\\u00e9 \\u20AC \\ud83d\\ude00 é € 😀\",\"lone\":\"\\ud800\"}",
        "{\n\t\"spaced\" :\r\n [ 1 , 2 ] \n}",
    })
    void parsesValidObjectsExactlyAsNimbusDoes(String json) throws ParseException {
        Map<String, Object> ours = JsonObjectParser.parse(json, 16);
        Map<String, Object> nimbus = JSONObjectUtils.parse(json);

        assertThat(ours).isEqualTo(nimbus);
        assertThat(ours.keySet()).containsExactlyElementsOf(nimbus.keySet());
        ours.forEach((name, value) -> assertThat(kind(value)).as(name).isEqualTo(kind(nimbus.get(name))));
    }

    /** What a parsed value is, as far as the library can tell: nimbus's maps are Gson's own ordered maps. */
    private static Object kind(Object value) {
        return value instanceof Map ? "object" : value instanceof java.util.List ? "array"
                : value == null ? "null" : value.getClass();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "null",
        "[]",
        "\"string\"",
        "{\"a\":1,\"a\":2}",
        "{\"a\":1}{}",
        "{\"a\":1} x",
        "{\"a\":1,}",
        "{,}",
        "{\"a\" 1}",
        "{a:1}",
        "{'a':1}",
        "{\"a\":[1,]}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":.5}",
        "{\"a\":-}",
        "{\"a\":+1}",
        "{\"a\":1e}",
        "{\"a\":1e999}",
        "{\"a\":NaN}",
        "{\"a\":tru}",
        "{\"a\":\"unterminated}",
        "{\"a\":\"bad escape \\x\"}",
        "{\"a\":\"short \\u12\"}",
        "{\"a\":\"control \u0001 character\"}",
        "{\"a\":1 // comment\n}",
        "{\"a\":",
    })
    void refusesWhatIsNotExactlyOneJsonObject(String json) {
        assertThatExceptionOfType(ParseException.class).isThrownBy(() -> JsonObjectParser.parse(json, 16));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 16})
    void acceptsObjectsNestedUpToTheLimitAndNoDeeper(int maxDepth) throws ParseException {
        assertThat(JsonObjectParser.parse(nestedObjects(maxDepth), maxDepth)).isNotNull();
        assertThatExceptionOfType(ParseException.class)
                .isThrownBy(() -> JsonObjectParser.parse(nestedObjects(maxDepth + 1), maxDepth));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":[[]]}", "{\"a\":[{}]}", "{\"a\":{\"b\":[]}}"})
    void countsArraysAsLevelsToo(String threeLevels) throws ParseException {
        assertThat(JsonObjectParser.parse(threeLevels, 3)).isNotNull();
        assertThatExceptionOfType(ParseException.class).isThrownBy(() -> JsonObjectParser.parse(threeLevels, 2));
    }

    /** An object {@code depth} levels deep, the top level counting as one. */
    private static String nestedObjects(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }
}
