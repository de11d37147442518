package io.github.oauthjwt.webflux.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.OAuthJwtFilterBuilder;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The size and nesting limits on what is decoded and parsed: the token's length, the decoded
 * header and claims, and the depth of JSON nesting in either. Each has a default and an option,
 * and each refuses before the JSON parser sees the input, with a 401 that says which limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenLimitsTests {

    private static final String REALM = "api";

    private final TestKey key = TestKey.rsa("rsa-1").signingWith("RS256");
    private JwksServer jwks;
    private JwksKeySource keys;

    @BeforeAll
    void startJwks() {
        jwks = JwksServer.serving();
        jwks.publishJson(TestTokens.jwks(List.of(key.publicJwk())), null);
        keys = JwksKeySource.fromUri(jwks.uri());
        keys.keys().block(Duration.ofSeconds(10));
    }

    @AfterAll
    void stopJwks() {
        jwks.close();
    }

    private OAuthJwtFilterBuilder filter() {
        return OAuthJwtFilter.builder(keys).issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).realm(REALM);
    }

    private static String claimsWith(String extraMember) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE + "\",\"sub\":\"alice\",\"iat\":"
                + now + ",\"exp\":" + (now + 600) + (extraMember.isEmpty() ? "" : "," + extraMember) + "}";
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static FilterProbe.Response send(OAuthJwtFilter filter, String token) {
        return new FilterProbe(filter, REALM).send("Bearer " + token, token.length() + " chars");
    }

    private static void assertRefused(FilterProbe.Response response, String description) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.error()).isEqualTo("invalid_token");
        assertThat(response.description()).isEqualTo(description);
    }

    @Test
    void boundsEveryInputByDefault() {
        assertThat(OAuthJwtFilterBuilder.DEFAULT_MAX_TOKEN_LENGTH).isEqualTo(8192);
        assertThat(OAuthJwtFilterBuilder.DEFAULT_MAX_HEADER_BYTES).isEqualTo(4096);
        assertThat(OAuthJwtFilterBuilder.DEFAULT_MAX_CLAIMS_BYTES).isEqualTo(16384);
        assertThat(OAuthJwtFilterBuilder.DEFAULT_MAX_JSON_DEPTH).isEqualTo(16);
        assertThat(JwksKeySource.Builder.DEFAULT_MAX_BODY_BYTES).isEqualTo(512 * 1024);
        assertThat(JwksKeySource.Builder.DEFAULT_MAX_KEYS).isEqualTo(100);
    }

    @Test
    void refusesAHeaderLargerThanTheDefaultLimitBeforeDecodingIt() {
        String header = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x\":\"" + "a".repeat(4097 - 36) + "\"}";
        assertThat(header).hasSize(4097);
        assertRefused(send(filter().build(), key.sign(header, claimsWith(""))),
                "The access token's header is too large: 4097 bytes, and this API accepts at most 4096.");
    }

    @Test
    void refusesAHeaderLargerThanAConfiguredLimit() {
        String header = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x5t\":\"" + "a".repeat(100) + "\"}";
        assertRefused(send(filter().maxHeaderBytes(128).build(), key.sign(header, claimsWith(""))),
                "The access token's header is too large: " + header.length() + " bytes, and this API accepts at most 128.");
    }

    @Test
    void refusesClaimsLargerThanTheDefaultLimitOnceLongerTokensAreAllowed() {
        String claims = claimsWith("\"x\":\"" + "a".repeat(17_000) + "\"");
        String token = key.sign(key.header(), claims);
        OAuthJwtFilter filter = filter().maxTokenLength(64 * 1024).build();
        assertRefused(send(filter, token), "The access token's claims are too large: " + claims.length()
                + " bytes, and this API accepts at most 16384.");
        assertThat(send(filter().maxTokenLength(64 * 1024).maxClaimsBytes(32 * 1024).build(), token).passed()).isTrue();
    }

    @Test
    void acceptsClaimsNestedExactlyAsDeepAsTheLimit() {
        String token = key.sign(key.header(), claimsWith("\"roles\":" + nested(15)));
        assertThat(send(filter().build(), token).passed()).isTrue();
    }

    @Test
    void countsTheDepthOfEachBranchNotOfItsSiblingsTogether() {
        String siblings = "\"a\":{\"b\":{}},\"c\":[{}],\"d\":{\"e\":[]},\"f\":{\"g\":{}}";
        String token = key.sign(key.header(), claimsWith(siblings));
        assertThat(send(filter().maxJsonDepth(3).build(), token).passed()).isTrue();
    }

    @Test
    void refusesClaimsNestedOneLevelDeeperThanTheLimit() {
        String token = key.sign(key.header(), claimsWith("\"roles\":" + nested(16)));
        assertRefused(send(filter().build(), token),
                "The access token's claims nest JSON objects and arrays more than 16 levels deep.");
    }

    @Test
    void refusesClaimsNestedDeeperThanTheJsonParserCouldRecurse() {
        String token = key.sign(key.header(), claimsWith("\"x\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000)));
        assertRefused(send(filter().maxTokenLength(128 * 1024).maxClaimsBytes(64 * 1024).build(), token),
                "The access token's claims nest JSON objects and arrays more than 16 levels deep.");
    }

    @Test
    void refusesAHeaderNestedDeeperThanAConfiguredLimit() {
        String header = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"jwk\":{\"x\":[[1]]}}";
        assertRefused(send(filter().maxJsonDepth(3).build(), key.sign(header, claimsWith(""))),
                "The access token's header nests JSON objects and arrays more than 3 levels deep.");
    }

    @Test
    void acceptsMoreBracketsThanTheLimitWhenNoneNestDeeperThanIt() {
        String token = key.sign(key.header(), claimsWith("\"a\":[[1]],\"b\":[[2]],\"c\":{\"d\":[3]}"));
        assertThat(send(filter().maxJsonDepth(3).build(), token).passed()).isTrue();
    }

    @Test
    void findsTheOneDeepNestingAmongManyShallowBrackets() {
        String token = key.sign(key.header(), claimsWith("\"a\":[1],\"b\":[2],\"c\":[[[3]]],\"d\":[4]"));
        assertRefused(send(filter().maxJsonDepth(3).build(), token),
                "The access token's claims nest JSON objects and arrays more than 3 levels deep.");
    }

    @Test
    void countsNoBracketsInsideStrings() {
        String token = key.sign(key.header(), claimsWith("\"note\":\"" + "[{\\\"".repeat(40) + "\""));
        assertThat(send(filter().maxJsonDepth(2).build(), token).passed()).isTrue();
    }

    @Test
    void acceptsATokenExactlyAsLongAsTheLimitAndRefusesOneCharacterMore() {
        String token = key.sign(key.header(), claimsWith(""));
        assertThat(send(filter().maxTokenLength(token.length()).build(), token).passed()).isTrue();
        assertRefused(send(filter().maxTokenLength(token.length() - 1).build(), token),
                "The access token is too large: " + token.length() + " characters, and this API accepts at most "
                        + (token.length() - 1) + ".");
    }

    @Test
    void acceptsAHeaderExactlyAsLargeAsTheLimitAndRefusesOneByteMore() {
        String header = "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"rsa-1\",\"x5t\":\"" + "a".repeat(60) + "\"}";
        String token = key.sign(header, claimsWith(""));
        int bytes = header.length();
        assertThat(send(filter().maxHeaderBytes(bytes).build(), token).passed()).isTrue();
        assertRefused(send(filter().maxHeaderBytes(bytes - 1).build(), token),
                "The access token's header is too large: " + bytes + " bytes, and this API accepts at most "
                        + (bytes - 1) + ".");
    }

    @Test
    void acceptsClaimsExactlyAsLargeAsTheLimitAndRefusesOneByteMore() {
        String claims = claimsWith("");
        String token = key.sign(key.header(), claims);
        int bytes = claims.length();
        assertThat(send(filter().maxClaimsBytes(bytes).build(), token).passed()).isTrue();
        assertRefused(send(filter().maxClaimsBytes(bytes - 1).build(), token),
                "The access token's claims are too large: " + bytes + " bytes, and this API accepts at most "
                        + (bytes - 1) + ".");
    }

    @Test
    void refusesLimitsOutOfRange() {
        assertThatThrownBy(() -> filter().maxHeaderBytes(63).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxHeaderBytes must be at least 64 bytes");
        assertThatThrownBy(() -> filter().maxClaimsBytes(10).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxClaimsBytes must be at least 64 bytes");
        assertThatThrownBy(() -> filter().maxJsonDepth(1).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxJsonDepth must be between 2 and 255");
        assertThatThrownBy(() -> filter().maxJsonDepth(256).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxJsonDepth must be between 2 and 255");
    }
}
