package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

/** Every bounded option of the key source's builder at its exact edges, each refusal naming the option. */
class JwksKeySourceOptionsTests {

    private static JwksKeySource.Builder builder() {
        return JwksKeySource.builder(URI.create("https://issuer.example/jwks"));
    }

    private static void acceptsAndRefuses(UnaryOperator<JwksKeySource.Builder> accepted,
            UnaryOperator<JwksKeySource.Builder> refused, String message) {
        assertThat(accepted.apply(builder()).build()).isNotNull();
        assertThatIllegalArgumentException().isThrownBy(() -> refused.apply(builder()).build()).withMessage(message);
    }

    @Test
    void maxBodyBytesFrom1024() {
        acceptsAndRefuses(b -> b.maxBodyBytes(1024), b -> b.maxBodyBytes(1023), "maxBodyBytes must be at least 1024");
    }

    @Test
    void maxKeysFromOne() {
        acceptsAndRefuses(b -> b.maxKeys(1), b -> b.maxKeys(0), "maxKeys must be at least 1");
    }

    @Test
    void maxWaitingLookupsFromOne() {
        acceptsAndRefuses(b -> b.maxWaitingLookups(1), b -> b.maxWaitingLookups(0),
                "maxWaitingLookups must be at least 1");
    }

    @Test
    void durationsThatMustBePositive() {
        acceptsAndRefuses(b -> b.timeout(Duration.ofMillis(1)), b -> b.timeout(Duration.ZERO), "timeout must be positive");
        acceptsAndRefuses(b -> b.refetchInterval(Duration.ofMillis(1)), b -> b.refetchInterval(Duration.ZERO),
                "refetchInterval must be positive");
        acceptsAndRefuses(b -> b.retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1)),
                b -> b.retryBackoff(Duration.ZERO, Duration.ofMillis(1)), "initial backoff must be positive");
        acceptsAndRefuses(b -> b.retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1)),
                b -> b.retryBackoff(Duration.ofMillis(-1), Duration.ofMillis(1)), "initial backoff must be positive");
    }

    @Test
    void defaultTtlWithinTheTtlBounds() {
        String message = "defaultTtl must lie within the TTL bounds";
        acceptsAndRefuses(b -> b.ttlBounds(Duration.ofMinutes(5), Duration.ofHours(1)),
                b -> b.ttlBounds(Duration.ofMinutes(5).plusMillis(1), Duration.ofHours(1)), message);
        acceptsAndRefuses(b -> b.ttlBounds(Duration.ofSeconds(30), Duration.ofMinutes(5)),
                b -> b.ttlBounds(Duration.ofSeconds(30), Duration.ofMinutes(5).minusMillis(1)), message);
    }

    @Test
    void onlyHttpAndHttpsUris() {
        assertThat(JwksKeySource.builder(URI.create("http://issuer.example/jwks")).build()).isNotNull();
        assertThatIllegalArgumentException().isThrownBy(() -> JwksKeySource.builder(URI.create("ftp://issuer.example/jwks")).build())
                .withMessage("uri must be an absolute http or https URI, not 'ftp://issuer.example/jwks'");
    }

    @Test
    void aMissingUriOrIssuerIsNamedByWhatIsMissing() {
        assertThatNullPointerException().isThrownBy(() -> JwksKeySource.builder(null)).withMessage("uri");
        assertThatNullPointerException().isThrownBy(() -> JwksKeySource.forIssuer(null)).withMessage("issuer");
    }
}
