package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When an unknown {@code kid} counts as first seen, as fetches start and complete around its sightings. */
class UnknownKidsTests {

    private final UnknownKids kids = new UnknownKids();

    @Test
    void aSightingAfterTwoCompletedFetchesCountsAfreshAndLaterSightingsKeepThatFreshFirstSighting() {
        assertThat(kids.sight("k", 1, 0)).isEqualTo(1);
        // Fetch 2 completed after fetch 1 had: the sighting at 1 is old, this one (3 fetches started) counts.
        assertThat(kids.sight("k", 3, 2)).isEqualTo(3);
        // Fetch 4 has started since: it started after the fresh sighting, so it answers the kid.
        assertThat(kids.sight("k", 4, 2)).isEqualTo(3);
    }

    @Test
    void aSightingBeforeTwoFetchesCompletedKeepsTheFirstSighting() {
        assertThat(kids.sight("k", 1, 0)).isEqualTo(1);
        assertThat(kids.sight("k", 2, 1)).isEqualTo(1);
    }

    @Test
    void aDroppedKidCountsAsSeenJustBeforeTheFetchThatDroppedIt() {
        kids.dropped("k", 5);
        assertThat(kids.sight("k", 6, 3)).isEqualTo(4);
    }
}
