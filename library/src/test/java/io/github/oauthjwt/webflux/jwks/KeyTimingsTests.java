package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The key cache's arithmetic on its own: lifetimes within bounds, refresh-ahead, backoff, the refetch interval. */
class KeyTimingsTests {

    private static final KeyTimings TIMINGS = new KeyTimings(Duration.ofMinutes(5), Duration.ofSeconds(30),
            Duration.ofHours(24), Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void takesMaxAgeWithinTheBoundsAndTheDefaultWithoutIt() {
        assertThat(TIMINGS.ttlMillis(null)).isEqualTo(300_000);
        assertThat(TIMINGS.ttlMillis(Duration.ofSeconds(120))).isEqualTo(120_000);
        assertThat(TIMINGS.ttlMillis(Duration.ofSeconds(29))).isEqualTo(30_000);
        assertThat(TIMINGS.ttlMillis(Duration.ofSeconds(30))).isEqualTo(30_000);
        assertThat(TIMINGS.ttlMillis(Duration.ofHours(25))).isEqualTo(86_400_000);
    }

    @Test
    void refreshesAFifthOfTheLifetimeEarlyAndAtMostAMinuteEarly() {
        assertThat(KeyTimings.refreshAt(1_000, 100_000)).isEqualTo(81_000);
        assertThat(KeyTimings.refreshAt(0, 300_000)).isEqualTo(240_000);
        assertThat(KeyTimings.refreshAt(0, 600_000)).isEqualTo(540_000);
        assertThat(KeyTimings.refreshAt(0, 299_995)).isEqualTo(239_996);
    }

    @Test
    void doublesTheBackoffPerFailureUpToTheMaximum() {
        assertThat(TIMINGS.backoffMillis(1)).isEqualTo(1_000);
        assertThat(TIMINGS.backoffMillis(2)).isEqualTo(2_000);
        assertThat(TIMINGS.backoffMillis(5)).isEqualTo(16_000);
        assertThat(TIMINGS.backoffMillis(6)).isEqualTo(30_000);
        assertThat(TIMINGS.backoffMillis(1_000)).isEqualTo(30_000);
    }

    @Test
    void refusesContradictoryTimings() {
        assertThatIllegalArgumentException().isThrownBy(() -> new KeyTimings(Duration.ofMinutes(5), Duration.ZERO,
                Duration.ofHours(1), Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .withMessage("min TTL must be positive");
        assertThatIllegalArgumentException().isThrownBy(() -> new KeyTimings(Duration.ofMinutes(5), Duration.ofMinutes(1),
                Duration.ofHours(1), Duration.ofSeconds(-1), Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .withMessage("maxStaleness must not be negative");
        assertThatIllegalArgumentException().isThrownBy(() -> new KeyTimings(Duration.ofMinutes(5), Duration.ofMinutes(1),
                Duration.ofHours(1), Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .withMessage("initial backoff must not be longer than max backoff");
        assertThat(new KeyTimings(Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ZERO,
                Duration.ofSeconds(1), Duration.ofSeconds(1)).maxStalenessMillis()).isZero();
    }

    @Test
    void spacesFetchesForUnknownKidsByTheInterval() {
        RefetchPolicy policy = new RefetchPolicy(Duration.ofSeconds(2), 10);
        assertThat(policy.nextStart(Long.MIN_VALUE, 500)).isEqualTo(500);
        assertThat(policy.nextStart(1_000, 1_500)).isEqualTo(3_000);
        assertThat(policy.nextStart(1_000, 3_000)).isEqualTo(3_000);
        assertThat(policy.nextStart(1_000, 3_001)).isEqualTo(3_001);
    }
}
