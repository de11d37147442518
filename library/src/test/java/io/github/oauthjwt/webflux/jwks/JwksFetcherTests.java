package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** The freshness lifetime a JWKS response grants (RFC 9111 §5.2.2.1), from its Cache-Control header. */
class JwksFetcherTests {

    private static Duration maxAge(String... cacheControl) {
        HttpHeaders headers = new HttpHeaders();
        for (String value : cacheControl) {
            headers.add(HttpHeaders.CACHE_CONTROL, value);
        }
        return HttpDocuments.maxAge(headers);
    }

    @Test
    void readsMaxAgeDownToZero() {
        assertThat(maxAge("public, max-age=120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(maxAge("max-age=\"1\"")).isEqualTo(Duration.ofSeconds(1));
        assertThat(maxAge("max-age=0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void saysNothingForANegativeOrUnparsableMaxAgeOrNoHeader() {
        assertThat(maxAge("max-age=-1")).isNull();
        assertThat(maxAge("max-age=soon")).isNull();
        assertThat(maxAge()).isNull();
    }

    @Test
    void grantsNothingForNoCacheOrNoStore() {
        assertThat(maxAge("max-age=600, no-cache")).isEqualTo(Duration.ZERO);
        assertThat(maxAge("max-age=600", "No-Store")).isEqualTo(Duration.ZERO);
    }
}
