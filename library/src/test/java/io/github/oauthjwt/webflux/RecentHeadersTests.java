package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import org.junit.jupiter.api.Test;

/**
 * The parsed-header memo: a segment seen before gives back the header parsed from it, only the
 * exact segment does, and it holds no more than its capacity, forgetting the oldest first.
 */
class RecentHeadersTests {

    private final RecentHeaders headers = new RecentHeaders();

    @Test
    void segmentRememberedGivesBackItsHeader() {
        JWSHeader header = header("key-1");
        headers.remember(segment("key-1"), header);

        assertThat(headers.find(segment("key-1"))).isSameAs(header);
    }

    @Test
    void onlyTheExactSegmentMatches() {
        headers.remember(segment("key-1"), header("key-1"));

        assertThat(headers.find(segment("key-2"))).isNull();
        assertThat(headers.find(segment("key-1") + "A")).isNull();
    }

    @Test
    void segmentIsFoundAtTheStartOfATokenOnlyUpToItsExactEnd() {
        JWSHeader header = header("key-1");
        String segment = segment("key-1");
        headers.remember(segment, header);
        String token = segment + ".eyJzdWIiOiJhIn0.c2lnbmF0dXJl";

        assertThat(headers.find(token, segment.length())).isSameAs(header);
        assertThat(headers.find(token, segment.length() - 1)).isNull();
        assertThat(headers.find(token, segment.length() + 1)).isNull();
        assertThat(headers.find("A" + token, segment.length() + 1)).isNull();
    }

    @Test
    void holdsAtMostItsCapacityAndForgetsTheOldestFirst() {
        for (int i = 0; i <= RecentHeaders.CAPACITY; i++) {
            headers.remember(segment("key-" + i), header("key-" + i));
        }

        assertThat(headers.find(segment("key-0"))).isNull();
        for (int i = 1; i <= RecentHeaders.CAPACITY; i++) {
            assertThat(headers.find(segment("key-" + i))).as("key-" + i).isNotNull();
        }
    }

    @Test
    void rememberingASegmentAgainKeepsTheFirstHeader() {
        JWSHeader first = header("key-1");
        headers.remember(segment("key-1"), first);

        headers.remember(segment("key-1"), header("key-1"));

        assertThat(headers.find(segment("key-1"))).isSameAs(first);
    }

    @Test
    void parserGivesTheSameHeaderForTwoTokensWithOneHeaderSegment() {
        TokenParser parser = new TokenParser(4096, 16384, 16);
        String segment = segment("key-1");

        Object first = parser.parseJws(segment + ".eyJzdWIiOiJhIn0.c2lnbmF0dXJl");
        Object second = parser.parseJws(segment + ".eyJzdWIiOiJiIn0.c2lnbmF0dXJl");

        assertThat(first).isInstanceOf(TokenParser.Jws.class);
        assertThat(((TokenParser.Jws) second).header()).isSameAs(((TokenParser.Jws) first).header());
    }

    private static JWSHeader header(String kid) {
        return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build();
    }

    private static String segment(String kid) {
        return header(kid).toBase64URL().toString();
    }
}
