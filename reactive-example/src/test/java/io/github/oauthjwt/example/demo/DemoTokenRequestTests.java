package io.github.oauthjwt.example.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/** How {@code POST /demo/token} reads its form. */
class DemoTokenRequestTests {

    @Test
    void readWhenFormEmptyThenTheStartupTokenDefaults() {
        DemoTokenRequest.Reading reading = DemoTokenRequest.read(new LinkedMultiValueMap<>());

        assertThat(reading.request()).isEqualTo(DemoTokenRequest.defaults());
        assertThat(reading.problem()).isNull();
    }

    @Test
    void readWhenAllFieldsThenTakesThem() {
        DemoTokenRequest.Reading reading = DemoTokenRequest.read(form(
                "scope", "read admin", "role", "admin", "sub", "bob", "expires_in", "60", "grant_type", "x"));

        assertThat(reading.request()).isEqualTo(new DemoTokenRequest("read admin", "admin", "bob", Duration.ofSeconds(60)));
    }

    @Test
    void readWhenExpiresInNegativeThenAnExpiredTokenIsAskedFor() {
        assertThat(DemoTokenRequest.read(form("expires_in", "-120")).request().expiresIn())
                .isEqualTo(Duration.ofSeconds(-120));
    }

    @Test
    void readWhenExpiresInBeyondADayThenProblem() {
        assertThat(DemoTokenRequest.read(form("expires_in", "86401")).problem()).startsWith("expires_in must be");
    }

    @Test
    void readWhenScopeHasAQuoteThenProblem() {
        assertThat(DemoTokenRequest.read(form("scope", "read\"")).problem()).startsWith("scope must be");
    }

    @Test
    void readWhenSubjectEmptyThenProblem() {
        assertThat(DemoTokenRequest.read(form("sub", "")).problem()).startsWith("sub must be");
    }

    @Test
    void readWhenFieldRepeatedThenProblem() {
        assertThat(DemoTokenRequest.read(form("role", "a", "role", "b")).problem())
                .isEqualTo("Send the field role at most once.");
    }

    private static MultiValueMap<String, String> form(String... fields) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            form.add(fields[i], fields[i + 1]);
        }
        return form;
    }
}
