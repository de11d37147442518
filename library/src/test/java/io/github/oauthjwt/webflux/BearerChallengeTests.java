package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The {@code WWW-Authenticate} value and JSON body: RFC 6750 §3 syntax whatever the input. */
class BearerChallengeTests {

    @Test
    void writesABareChallengeWithoutErrorParameters() {
        assertThat(BearerChallenge.headerValue(Rejection.missingCredentials(), null, null)).isEqualTo("Bearer");
        assertThat(BearerChallenge.headerValue(Rejection.missingCredentials(), "api", null)).isEqualTo("Bearer realm=\"api\"");
        assertThat(BearerChallenge.body(Rejection.missingCredentials())).isNull();
    }

    @Test
    void writesErrorDescriptionAndScopeInOrder() {
        Rejection rejection = Rejection.insufficientScope("Needs more.", "read write");
        assertThat(BearerChallenge.headerValue(rejection, "api", null)).isEqualTo(
                "Bearer realm=\"api\", error=\"insufficient_scope\", error_description=\"Needs more.\", scope=\"read write\"");
        assertThat(BearerChallenge.body(rejection)).isEqualTo(
                "{\"error\":\"insufficient_scope\",\"error_description\":\"Needs more.\",\"scope\":\"read write\"}");
    }

    @Test
    void keepsEveryValueInsideTheCharactersRfc6750Allows() {
        Rejection hostile = Rejection.invalidToken("say \"hi\" \\ then\r\nSet-Cookie: x=1\u0000 and ünïcödé");
        String header = BearerChallenge.headerValue(hostile, "re\"alm", null);
        assertThat(header).isEqualTo("Bearer realm=\"re'alm\", error=\"invalid_token\", error_description=\"say 'hi' /"
                + " then??Set-Cookie: x=1? and ?n?c?d?\"");
        assertThat(header.chars()).allMatch(c -> c >= 0x20 && c <= 0x7E);
        assertThat(BearerChallenge.body(hostile)).isEqualTo("{\"error\":\"invalid_token\",\"error_description\":\"say"
                + " 'hi' / then??Set-Cookie: x=1? and ?n?c?d?\"}");
    }

    @Test
    void replacesAnUnsafeFirstCharacterAndLeavesASafeValueAsItIs() {
        assertThat(BearerChallenge.safe("\"api\"")).isEqualTo("'api'");
        assertThat(BearerChallenge.safe("\\api")).isEqualTo("/api");
        assertThat(BearerChallenge.safe("\napi")).isEqualTo("?api");
        assertThat(BearerChallenge.safe("api")).isEqualTo("api");
    }

    @Test
    void roundsRetryAfterUpToWholeSeconds() {
        assertThat(Rejection.keysUnavailable(Duration.ofMillis(1500)).retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(Rejection.keysUnavailable(Duration.ZERO).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(Rejection.keysUnavailable(Duration.ofSeconds(30)).description()).isEqualTo("The API cannot verify"
                + " access tokens right now because the authorization server's signing keys are unavailable; retry the"
                + " same token in 30 seconds.");
    }
}
