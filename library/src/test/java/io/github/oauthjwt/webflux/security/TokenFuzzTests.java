package io.github.oauthjwt.webflux.security;

import static io.github.oauthjwt.webflux.security.FilterProbe.MARKER;
import static io.github.oauthjwt.testing.TestTokens.encode;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Mutation and random fuzzing of the whole filter (real keys, a real JWKS endpoint, the real
 * filter), with a seeded generator so every failure can be replayed: {@code -Dfuzz.seed=N} picks
 * another seed, and each failure names its seed and case. Every request is checked by
 * {@link FilterProbe} (no exception, no 5xx, a well-formed challenge that echoes no hostile input);
 * on top, every test says which requests may pass: only valid, unmodified tokens, and in the
 * re-signed cases exactly those the rules allow.
 *
 * <p>jqwik is not used: jqwik 1.10.1 runs on JUnit Platform 1.x, not on the JUnit 6 platform of
 * this build, and its authors ask that it not be used by AI coding agents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenFuzzTests {

    private static final long SEED = Long.getLong("fuzz.seed", 0x5EED_2026L);
    private static final String REALM = "api";
    private static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final TestKey rs256 = TestKey.rsa("rsa-1").signingWith("RS256");
    private final TestKey ps256 = TestKey.rsa("rsa-pss").signingWith("PS256");
    private final TestKey es256 = TestKey.ec("ec-256", Curve.P_256);
    private final TestKey es384 = TestKey.ec("ec-384", Curve.P_384);
    private final TestKey ed25519 = TestKey.ed25519("ed-1");
    private final TestKey attacker = TestKey.rsa("attacker").signingWith("RS256");
    private final List<TestKey> trusted = List.of(rs256, ps256, es256, es384, ed25519);

    private JwksServer jwks;
    private JwksServer attackerJwks;
    private FilterProbe probe;
    private List<String> validTokens;

    @BeforeAll
    void startJwksAndWarmTheKeyCache() {
        jwks = JwksServer.serving();
        jwks.publishJson(TestTokens.jwks(trusted.stream().map(TestKey::publicJwk).toList()), null);
        attackerJwks = JwksServer.serving();
        attackerJwks.publishJson(TestTokens.jwks(List.of(attacker.publicJwk())), null);
        // Fuzzed kids are unknown by the thousand; the refetch interval is not what these tests are about.
        JwksKeySource keys = JwksKeySource.builder(jwks.uri()).refetchInterval(Duration.ofMillis(1)).build();
        keys.keys().block(Duration.ofSeconds(10));
        probe = new FilterProbe(OAuthJwtFilter.builder(keys).issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE)
                .requiredScopes("read").realm(REALM).build(), REALM);
        validTokens = trusted.stream().map(key -> key.sign(key.header(), claims())).toList();
    }

    @AfterAll
    void stopJwks() {
        jwks.close();
        attackerJwks.close();
    }

    private static String claims() {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE
                + "\",\"sub\":\"alice\",\"scope\":\"read\",\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}";
    }

    private static String context(String test, int index, String token) {
        String shown = token.length() > 300 ? token.substring(0, 300) + "...(" + token.length() + " chars)" : token;
        return test + " seed=" + SEED + " case=" + index + " token=" + shown;
    }

    private void assertRefused(String authorization, String context) {
        assertThat(probe.send(authorization, context).passed()).as("passed (%s)", context).isFalse();
    }

    private void assertInvalidToken(String token, String context) {
        FilterProbe.Response response = probe.send("Bearer " + token, context);
        assertThat(response.status()).as("status (%s)", context).isEqualTo(401);
        assertThat(response.error()).as("error (%s)", context).isEqualTo("invalid_token");
    }

    @Test
    void passesTheValidTokenOfEveryTrustedKey() {
        for (int i = 0; i < validTokens.size(); i++) {
            String token = validTokens.get(i);
            assertThat(probe.send("Bearer " + token, context("valid", i, token)).passed()).isTrue();
        }
    }

    @Test
    void neverPassesAndNeverFailsOnTwoThousandRandomAuthorizationHeaders() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 2000; i++) {
            String header = switch (i % 5) {
                case 0 -> "Bearer " + randomSegments(random);
                case 1 -> "Bearer " + randomText(random, 1 + random.nextInt(200), 0x20, 0x7F);
                case 2 -> randomText(random, random.nextInt(120), 0x00, 0x2FF);
                case 3 -> "Bearer " + randomText(random, 1 + random.nextInt(60), 0x00, 0xFFFF);
                default -> (random.nextBoolean() ? "bearer" : "Bearer") + " ".repeat(random.nextInt(3))
                        + randomSegments(random) + (random.nextBoolean() ? "" : ", " + randomSegments(random));
            };
            assertRefused(header, context("random", i, header));
        }
    }

    @Test
    void refusesEverySingleBitFlipInEachSegmentOfAValidToken() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        int index = 0;
        for (String token : validTokens) {
            for (int segment = 0; segment < 3; segment++) {
                for (int flip = 0; flip < 100; flip++) {
                    String[] parts = token.split("\\.");
                    byte[] bytes = Base64.getUrlDecoder().decode(parts[segment]);
                    int bit = random.nextInt(bytes.length * 8);
                    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                    parts[segment] = TestKey.base64Url(bytes);
                    String mutated = String.join(".", parts);
                    assertInvalidToken(mutated, context("bit flip in segment " + segment, index++, mutated));
                }
            }
        }
    }

    @Test
    void refusesEveryCharacterSubstitutionInEachSegmentIncludingUnusedTrailingBits() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        int index = 0;
        for (String token : validTokens) {
            for (int segment = 0; segment < 3; segment++) {
                for (int change = 0; change < 60; change++) {
                    String[] parts = token.split("\\.");
                    StringBuilder part = new StringBuilder(parts[segment]);
                    int at = change % 4 == 0 ? part.length() - 1 : random.nextInt(part.length());
                    char replacement;
                    do {
                        replacement = B64URL.charAt(random.nextInt(B64URL.length()));
                    } while (replacement == part.charAt(at));
                    part.setCharAt(at, replacement);
                    parts[segment] = part.toString();
                    String mutated = String.join(".", parts);
                    assertRefused("Bearer " + mutated, context("substitution in segment " + segment, index++, mutated));
                }
            }
        }
    }

    @Test
    void refusesSwappedSplicedTruncatedAndExtendedSegments() {
        SplittableRandom random = new SplittableRandom(SEED + 3);
        List<String> cases = new ArrayList<>();
        for (String token : validTokens) {
            String[] p = token.split("\\.");
            cases.addAll(List.of(p[1] + "." + p[0] + "." + p[2], p[0] + "." + p[2] + "." + p[1],
                    p[2] + "." + p[1] + "." + p[0], p[0] + "." + p[0] + "." + p[2], p[0] + "." + p[1] + "." + p[1],
                    p[0] + "." + p[1], p[0] + "." + p[1] + ".", p[0] + ".." + p[2], "." + p[1] + "." + p[2],
                    token + ".", token + "." + p[2], token + "..", p[0] + "." + p[1] + "." + p[2] + "." + p[1] + "." + p[2],
                    p[0] + "." + p[1] + "." + p[2].substring(0, p[2].length() - 4),
                    p[0] + "." + p[1] + "." + p[2] + "AAAA", p[0] + "." + p[1] + "." + p[2] + "==",
                    p[0] + "=." + p[1] + "." + p[2], p[0] + "." + p[1] + "." + p[2].replace('-', '+').replace('_', '/'),
                    p[0] + "." + p[1] + "." + p[2].toUpperCase(), token.substring(1), token.substring(0, token.length() - 1)));
        }
        for (int i = 0; i < 300; i++) {
            String[] a = validTokens.get(random.nextInt(validTokens.size())).split("\\.");
            String[] b = validTokens.get(random.nextInt(validTokens.size())).split("\\.");
            String[] c = validTokens.get(random.nextInt(validTokens.size())).split("\\.");
            cases.add(a[0] + "." + b[1] + "." + c[2]);
        }
        // A rearrangement can leave a token as it was (a signature without '-' or '_'); those are not mutations.
        cases.removeIf(validTokens::contains);
        for (int i = 0; i < cases.size(); i++) {
            assertRefused("Bearer " + cases.get(i), context("rearranged", i, cases.get(i)));
        }
    }

    @Test
    void refusesHostileHeadersSplicedOntoAValidPayloadAndSignature() {
        int index = 0;
        for (String token : validTokens) {
            String[] p = token.split("\\.");
            for (String header : hostileHeaders()) {
                String mutated = encode(header) + "." + p[1] + "." + p[2];
                assertRefused("Bearer " + mutated, context("hostile header " + header, index++, mutated));
            }
        }
    }

    @Test
    void refusesHostileHeadersEvenWhenTheTrustedKeySignsThem() {
        int index = 0;
        for (TestKey key : trusted) {
            for (String header : hostileHeaders()) {
                String token = key.sign(header, claims());
                assertInvalidToken(token, context("signed hostile header " + header, index++, token));
            }
        }
        SplittableRandom random = new SplittableRandom(SEED + 4);
        List<String> members = hostileMembers();
        for (int i = 0; i < 300; i++) {
            TestKey key = trusted.get(random.nextInt(trusted.size()));
            StringBuilder header = new StringBuilder("{\"alg\":\"" + key.defaultAlg() + "\",\"kid\":\"" + key.kid() + "\"");
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                header.append(',').append(members.get(random.nextInt(members.size())));
            }
            String token = key.sign(header.append('}').toString(), claims());
            assertInvalidToken(token, context("signed hostile combination " + header, i, token));
        }
    }

    @Test
    void neverFollowsJkuX5uJwkOrX5cToAnAttackersKey() {
        String[] keyLocators = {
            "\"jku\":\"" + attackerJwks.uri() + "\"",
            "\"x5u\":\"" + attackerJwks.uri() + "\"",
            "\"jwk\":" + JSONObjectUtils.toJSONString(attacker.publicJwk()),
            "\"x5c\":[\"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\"]",
        };
        int index = 0;
        for (String locator : keyLocators) {
            for (String kid : List.of("attacker", rs256.kid())) {
                String token = attacker.sign("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"," + locator + "}", claims());
                assertInvalidToken(token, context("key locator " + locator, index++, token));
            }
        }
        assertThat(attackerJwks.requestCount()).isZero();
    }

    @Test
    void ignoresJkuX5uAndZipOnATokenTheTrustedKeySigned() {
        for (String member : List.of("\"jku\":\"" + attackerJwks.uri() + "\"", "\"x5u\":\"" + attackerJwks.uri() + "\"",
                "\"zip\":\"DEF\"", "\"cty\":\"JWT\"")) {
            String token = rs256.sign("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"rsa-1\"," + member + "}", claims());
            assertThat(probe.send("Bearer " + token, context("benign " + member, 0, token)).passed()).isTrue();
        }
        assertThat(attackerJwks.requestCount()).isZero();
    }

    @Test
    void refusesHostileClaimsEvenWhenTheTrustedKeySignsThem() {
        int index = 0;
        for (TestKey key : trusted) {
            for (String payload : hostilePayloads()) {
                String token = key.sign(key.header(), payload);
                assertInvalidToken(token, context("signed hostile claims " + payload, index++, token));
            }
        }
    }

    @Test
    void toleratesHugeButFiniteTimesSignedByTheTrustedKey() {
        String payload = claims().replaceFirst("\"exp\":\\d+", "\"exp\":1" + "0".repeat(40));
        String token = rs256.sign(rs256.header(), payload);
        assertThat(probe.send("Bearer " + token, context("huge exp", 0, token)).passed()).isTrue();
    }

    /** Headers an attacker might send: hostile alg, kid, crit, b64, zip, typ, nesting, numbers, duplicates. */
    private List<String> hostileHeaders() {
        List<String> headers = new ArrayList<>();
        for (String alg : List.of("\"none\"", "\"NONE\"", "\"nOnE\"", "\"HS256\"", "\"HS512\"", "\"RS1\"", "\"ES256K\"",
                "\"\"", "null", "1", "true", "[\"RS256\"]", "{\"alg\":\"RS256\"}", "\"RS256\\u0000\"", "\"RS256 \"",
                "\"rs256\"", "\"" + MARKER + "\\\", error=\\\"x\"")) {
            headers.add("{\"alg\":" + alg + ",\"kid\":\"rsa-1\"}");
        }
        for (String kid : List.of("\"../../etc/passwd\"", "\"' OR 1=1 --\"", "\"\\r\\nX-" + MARKER + ": 1\"",
                "\"" + MARKER + "\\\", error=\\\"insufficient_scope\"", "\"\\u0000" + MARKER + "\"",
                "\"\\u202e" + MARKER + "\"", "\"" + MARKER + "x".repeat(300) + "\"", "12345", "null",
                "[\"rsa-1\"]", "{\"kid\":\"rsa-1\"}", "\"\"")) {
            headers.add("{\"alg\":\"RS256\",\"kid\":" + kid + "}");
        }
        for (String member : hostileMembers()) {
            headers.add("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"," + member + "}");
        }
        headers.addAll(List.of("[]", "\"RS256\"", "1", "null", "{", "{\"alg\":\"RS256\"", "{\"alg\":\"RS256\"}x",
                "{'alg':'RS256'}", "{\"alg\":\"RS256\",}", "{\"alg\":\"RS256\",\"alg\":\"none\"}",
                "{\"alg\":\"none\",\"alg\":\"RS256\"}", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"kid\":\"attacker\"}",
                "{\"alg\":\"RS256\",\"enc\":\"A128GCM\"}", "{\"alg\":\"dir\",\"enc\":\"A128GCM\"}",
                "\uFEFF{\"alg\":\"RS256\"}", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":NaN}",
                "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":1e99999}", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":" + "9".repeat(3000) + "}",
                "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":\"" + "y".repeat(5000) + "\"}"));
        return headers;
    }

    /** Header members that must get a token refused, however it is signed. */
    private static List<String> hostileMembers() {
        return List.of("\"crit\":[\"b64\"],\"b64\":false", "\"crit\":[\"exp\"],\"exp\":1", "\"crit\":[\"" + MARKER + "\"]",
                "\"crit\":[\"alg\"]", "\"crit\":\"b64\"", "\"crit\":[1]", "\"crit\":[]", "\"b64\":false,\"crit\":[\"b64\"]",
                "\"typ\":\"JWT\\r\\n" + MARKER + "\"", "\"typ\":\"application/" + MARKER + ";q=\\\"1\\\"\"", "\"typ\":\"dpop+jwt\"",
                "\"typ\":123", "\"x\":" + "[".repeat(17) + "]".repeat(17), "\"x\":" + "{\"a\":".repeat(300) + "1"
                        + "}".repeat(300), "\"x\":" + "[".repeat(2000) + "]".repeat(2000),
                "\"alg\":\"none\"", "\"kid\":\"attacker\"");
    }

    /** Claims sets a valid signature must not make acceptable. */
    private static List<String> hostilePayloads() {
        String valid = claims();
        String open = valid.substring(0, valid.length() - 1);
        return List.of(open + ",\"x\":" + "[".repeat(16) + "]".repeat(16) + "}",
                open + ",\"x\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
                open + ",\"x\":" + "{\"a\":".repeat(500) + "1" + "}".repeat(500) + "}",
                valid.replaceFirst("\"exp\":\\d+", "\"exp\":1e400"),
                valid.replaceFirst("\"exp\":\\d+", "\"exp\":-1e308"),
                valid.replaceFirst("\"exp\":\\d+", "\"exp\":NaN"),
                valid.replaceFirst("\"exp\":(\\d+)", "\"exp\":\"$1\""),
                valid.replaceFirst("\"exp\":\\d+", "\"exp\":" + "9".repeat(400)),
                valid.replaceFirst("\"iat\":\\d+", "\"iat\":" + "9".repeat(30)),
                open + ",\"nbf\":1" + "0".repeat(30) + "}",
                open + ",\"exp\":1}", open + ",\"sub\":\"mallory\"}",
                open + ",\"iss\":\"https://" + MARKER + ".example/?a=<b>\"}",
                valid.replace("\"aud\":\"" + TestTokens.AUDIENCE + "\"", "\"aud\":{\"aud\":\"" + TestTokens.AUDIENCE + "\"}"),
                valid.replace("\"scope\":\"read\"", "\"scope\":[\"read\",\"read\"]"),
                valid.replace("\"iss\":\"" + TestTokens.ISSUER + "\"", "\"iss\":\"" + TestTokens.ISSUER + "\\u0000\""),
                "[]", "\"claims\"", "123", "null", "true", "", valid + "x", valid + valid, "{'iss':'x'}",
                open + ",}", open + ",\"x\":01}", open + ",\"x\":.5}", open + ",\"x\":'y'}");
    }

    private static String randomSegments(SplittableRandom random) {
        StringBuilder token = new StringBuilder();
        int segments = 1 + random.nextInt(6);
        for (int s = 0; s < segments; s++) {
            if (s > 0) {
                token.append('.');
            }
            int length = random.nextInt(120);
            for (int i = 0; i < length; i++) {
                token.append(B64URL.charAt(random.nextInt(B64URL.length())));
            }
        }
        return token.toString();
    }

    private static String randomText(SplittableRandom random, int length, int from, int to) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) (from + random.nextInt(to - from)));
        }
        return text.toString();
    }
}
