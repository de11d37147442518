package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The time claims at their exact edges: a fixed clock at {@code NOW}, a skew of 60 s, and each
 * claim one second either side of where it stops being acceptable.
 */
class TimeRuleTests {

    private static final long NOW = 1_900_000_000L;
    private static final long SKEW = 60;
    private static final TimeRule RULE = new TimeRule(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC), SKEW);

    private static Optional<Rejection> check(Object... claims) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < claims.length; i += 2) {
            map.put((String) claims[i], claims[i + 1]);
        }
        return RULE.check(JwtClaims.of(map));
    }

    private static String description(Optional<Rejection> rejection) {
        assertThat(rejection).isPresent();
        assertThat(rejection.get().status()).isEqualTo(401);
        return rejection.get().description();
    }

    @Test
    void acceptsATokenExpiringOneSecondAfterTheSkewWindow() {
        assertThat(check("exp", NOW - SKEW + 1)).isEmpty();
    }

    @Test
    void refusesATokenAtExactlyExpPlusSkew() {
        assertThat(description(check("exp", NOW - SKEW))).isEqualTo("The access token expired at 2030-03-17T17:45:40Z.");
    }

    @Test
    void refusesATokenWithoutExp() {
        assertThat(description(check("iat", NOW))).isEqualTo(
                "The access token has no expiry (exp claim); this API accepts only tokens that expire.");
    }

    @Test
    void refusesAnExpThatIsNotANumber() {
        assertThat(description(check("exp", String.valueOf(NOW + 600)))).isEqualTo(
                "The access token's exp claim is not a number of seconds since the epoch.");
    }

    @Test
    void acceptsANotBeforeExactlyAtTheEdgeOfTheSkew() {
        assertThat(check("exp", NOW + 600, "nbf", NOW + SKEW)).isEmpty();
    }

    @Test
    void refusesANotBeforeOneSecondPastTheSkew() {
        assertThat(description(check("exp", NOW + 600, "nbf", NOW + SKEW + 1)))
                .isEqualTo("The access token is not valid before 2030-03-17T17:47:41Z.");
    }

    @Test
    void acceptsANotBeforeInThePast() {
        assertThat(check("exp", NOW + 600, "nbf", NOW - SKEW - 1)).isEmpty();
    }

    @Test
    void refusesANotBeforeThatIsNotANumber() {
        assertThat(description(check("exp", NOW + 600, "nbf", "soon"))).isEqualTo(
                "The access token's nbf claim is not a number of seconds since the epoch.");
    }

    @Test
    void acceptsAnIssuedAtExactlyAtTheEdgeOfTheSkew() {
        assertThat(check("exp", NOW + 600, "iat", NOW + SKEW)).isEmpty();
    }

    @Test
    void refusesAnIssuedAtOneSecondPastTheSkew() {
        assertThat(description(check("exp", NOW + 600, "iat", NOW + SKEW + 1))).isEqualTo(
                "The access token was issued in the future (iat 2030-03-17T17:47:41Z); check the authorization"
                        + " server's clock.");
    }

    @Test
    void refusesAnIssuedAtThatIsNotANumber() {
        assertThat(description(check("exp", NOW + 600, "iat", true))).isEqualTo(
                "The access token's iat claim is not a number of seconds since the epoch.");
    }

    @Test
    void readsFractionalSecondsByTheirWholeSeconds() {
        assertThat(check("exp", (double) (NOW - SKEW) + 0.9)).isPresent();
        assertThat(check("exp", (double) (NOW - SKEW + 1) + 0.1)).isEmpty();
    }

    @Test
    void withoutSkewRefusesAtExactlyExp() {
        TimeRule strict = new TimeRule(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC), 0);
        assertThat(strict.check(JwtClaims.of(Map.of("exp", NOW)))).isPresent();
        assertThat(strict.check(JwtClaims.of(Map.of("exp", NOW + 1)))).isEmpty();
        assertThat(strict.check(JwtClaims.of(Map.of("exp", NOW + 1, "nbf", NOW + 1)))).isPresent();
        assertThat(strict.check(JwtClaims.of(Map.of("exp", NOW + 1, "nbf", NOW)))).isEmpty();
    }
}
