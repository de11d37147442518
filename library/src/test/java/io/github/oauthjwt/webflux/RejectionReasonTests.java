package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * Every {@link Rejection} has a {@link Rejection.Reason}: the library's factories name their own, a
 * rejection an application makes is {@code rule}, and the record keeps the constructor it had before
 * reasons existed.
 */
class RejectionReasonTests {

    @Test
    void theFactoriesAnApplicationUsesGiveTheirFixedReasons() {
        assertThat(Rejection.missingCredentials().reason()).isEqualTo(Rejection.Reason.MISSING_TOKEN);
        assertThat(Rejection.invalidRequest("Bad.").reason()).isEqualTo(Rejection.Reason.MALFORMED_REQUEST);
        assertThat(Rejection.invalidToken("Bad.").reason()).isEqualTo(Rejection.Reason.RULE);
        assertThat(Rejection.insufficientScope("More.", "read").reason()).isEqualTo(Rejection.Reason.RULE);
        assertThat(Rejection.keysUnavailable(Duration.ofSeconds(3)).reason()).isEqualTo(Rejection.Reason.KEYS_UNAVAILABLE);
    }

    @Test
    void theConstructorWithoutAReasonKeepsItsFormerMeaning() {
        assertThat(new Rejection(401, null, null, null, null)).isEqualTo(Rejection.missingCredentials());
        assertThat(new Rejection(401, "invalid_token", "Bad.", null, null)).isEqualTo(Rejection.invalidToken("Bad."));
        assertThatNullPointerException().isThrownBy(() -> new Rejection(401, "invalid_token", "Bad.", null, null, null));
    }

    @Test
    void withReasonChangesOnlyTheReason() {
        Rejection scope = Rejection.insufficientScope(Rejection.Reason.SCOPE, "More.", "read");
        Rejection rule = scope.withReason(Rejection.Reason.RULE);
        assertThat(rule).isEqualTo(Rejection.insufficientScope("More.", "read"));
        assertThat(rule.withReason(Rejection.Reason.RULE)).isSameAs(rule);
    }

    @Test
    void reasonValuesAreLowerCaseWordsJoinedByUnderscores() {
        assertThat(Arrays.stream(Rejection.Reason.values()).map(Rejection.Reason::value))
                .allMatch(value -> value.matches("[a-z]+(_[a-z]+)*"))
                .doesNotHaveDuplicates()
                .contains("missing_token", "expired", "bad_signature", "unknown_kid", "keys_unavailable", "rule");
    }
}
