package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The issuer, audience and required-claim rules, each on its own, with their exact refusals. */
class ClaimRulesTests {

    private static final IssuerRule ISSUER = new IssuerRule("https://issuer.example");
    private static final AudienceRule AUDIENCE = new AudienceRule(Set.of("api.example.com"));

    private static String refusal(Optional<Rejection> rejection, int status) {
        assertThat(rejection).isPresent();
        assertThat(rejection.get().status()).isEqualTo(status);
        return rejection.get().description();
    }

    @Test
    void acceptsTheExactIssuer() {
        assertThat(ISSUER.check(JwtClaims.of(Map.of("iss", "https://issuer.example")))).isEmpty();
    }

    @Test
    void refusesATokenWithoutIssuer() {
        assertThat(refusal(ISSUER.check(JwtClaims.of(Map.of("sub", "a"))), 401)).isEqualTo(
                "The access token has no issuer (iss claim); this API accepts tokens issued by https://issuer.example.");
    }

    @Test
    void refusesAnotherIssuerNamingIt() {
        assertThat(refusal(ISSUER.check(JwtClaims.of(Map.of("iss", "https://issuer.example/"))), 401)).isEqualTo(
                "The access token was issued by 'https://issuer.example/'; this API accepts tokens issued by"
                        + " https://issuer.example.");
    }

    @Test
    void refusesAnIssuerThatIsNotAString() {
        assertThat(refusal(ISSUER.check(JwtClaims.of(Map.of("iss", List.of("https://issuer.example")))), 401))
                .isEqualTo("The access token was issued by an issuer that is not a string; this API accepts tokens"
                        + " issued by https://issuer.example.");
    }

    @Test
    void acceptsTheAudienceAsAStringOrInAnArray() {
        assertThat(AUDIENCE.check(JwtClaims.of(Map.of("aud", "api.example.com")))).isEmpty();
        assertThat(AUDIENCE.check(JwtClaims.of(Map.of("aud", List.of("other", "api.example.com"))))).isEmpty();
    }

    @Test
    void refusesATokenWithoutAudience() {
        assertThat(refusal(AUDIENCE.check(JwtClaims.of(Map.of("sub", "a"))), 401))
                .isEqualTo("The access token has no audience (aud claim); this API requires api.example.com.");
    }

    @Test
    void refusesAnotherAudience() {
        assertThat(refusal(AUDIENCE.check(JwtClaims.of(Map.of("aud", List.of("other")))), 401))
                .isEqualTo("The access token's audience does not include api.example.com.");
    }

    @Test
    void refusesAnAudienceOfAnotherShape() {
        assertThat(refusal(AUDIENCE.check(JwtClaims.of(Map.of("aud", List.of("api.example.com", 7)))), 401))
                .isEqualTo("The access token's aud claim is neither a string nor an array of strings.");
        assertThat(refusal(AUDIENCE.check(JwtClaims.of(Map.of("aud", 7))), 401))
                .isEqualTo("The access token's aud claim is neither a string nor an array of strings.");
    }

    @Test
    void requiresAClaimByPresenceOrByValue() {
        ClaimRule present = new ClaimRule(new RequiredClaim("tenant", null), null);
        ClaimRule valued = new ClaimRule(new RequiredClaim("role", "admin"), "read");

        assertThat(present.check(JwtClaims.of(Map.of("tenant", false)))).isEmpty();
        assertThat(refusal(present.check(JwtClaims.of(Map.of())), 403))
                .isEqualTo("The access token lacks the claim 'tenant' that this resource requires.");
        assertThat(valued.check(JwtClaims.of(Map.of("role", "admin")))).isEmpty();
        assertThat(valued.check(JwtClaims.of(Map.of("role", List.of("user", "admin"))))).isEmpty();
        Optional<Rejection> other = valued.check(JwtClaims.of(Map.of("role", "user")));
        assertThat(refusal(other, 403))
                .isEqualTo("The access token's claim 'role' does not have the value 'admin' that this resource requires.");
        assertThat(other.get().scope()).isEqualTo("read");
    }

    @Test
    void aFilterWithoutAudienceOrIssuerRunsNoSuchRule() {
        ValidationPolicy open = new ValidationPolicy(null, Set.of(), Set.of(), List.of(),
                OAuthJwtFilterBuilder.DEFAULT_ALGORITHMS, Set.of(), false, java.time.Duration.ZERO,
                java.time.Clock.systemUTC(), null, 256, 64, 64, 2, ScopeClaims.DEFAULT, List.of());
        TokenRules rules = new TokenRules(open);
        long exp = java.time.Instant.now().getEpochSecond() + 600;
        assertThat(rules.check(JwtClaims.of(Map.of("exp", exp)))).isNull();
        assertThat(rules.check(JwtClaims.of(Map.of("exp", exp, "aud", "anything", "iss", "anyone")))).isNull();
    }
}
