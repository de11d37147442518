package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every bounded option of the filter's builder at its exact edges: the last value accepted and the
 * first refused, each refusal naming the option. And the warning an operator sees when the filter
 * would accept tokens from any issuer or for any audience. (Spring's commons-logging bridge writes
 * to java.util.logging when no other backend is present, as in these tests.)
 */
class BuilderOptionsTests {

    private final JwksKeySource keys = JwksKeySource.fromUri("https://issuer.example/jwks");
    private LogCapture log;

    @BeforeEach
    void capture() {
        log = LogCapture.of(OAuthJwtFilter.class);
    }

    @AfterEach
    void release() {
        log.close();
    }

    private OAuthJwtFilterBuilder builder() {
        return OAuthJwtFilter.builder(keys).issuer("https://issuer.example").audience("api");
    }

    private void acceptsAndRefuses(UnaryOperator<OAuthJwtFilterBuilder> accepted,
            UnaryOperator<OAuthJwtFilterBuilder> refused, String message) {
        assertThat(accepted.apply(builder()).build()).isNotNull();
        assertThatIllegalArgumentException().isThrownBy(() -> refused.apply(builder()).build()).withMessage(message);
    }

    @Test
    void clockSkewFromZeroToTenMinutes() {
        String message = "clockSkew must be between 0 and 10 minutes";
        acceptsAndRefuses(b -> b.clockSkew(Duration.ZERO), b -> b.clockSkew(Duration.ofNanos(-1)), message);
        acceptsAndRefuses(b -> b.clockSkew(Duration.ofMinutes(10)), b -> b.clockSkew(Duration.ofMinutes(10).plusNanos(1)),
                message);
    }

    @Test
    void maxTokenLengthFrom256() {
        acceptsAndRefuses(b -> b.maxTokenLength(256), b -> b.maxTokenLength(255),
                "maxTokenLength must be at least 256 characters");
    }

    @Test
    void maxHeaderAndClaimsBytesFrom64() {
        acceptsAndRefuses(b -> b.maxHeaderBytes(64), b -> b.maxHeaderBytes(63), "maxHeaderBytes must be at least 64 bytes");
        acceptsAndRefuses(b -> b.maxClaimsBytes(64), b -> b.maxClaimsBytes(63), "maxClaimsBytes must be at least 64 bytes");
    }

    @Test
    void maxJsonDepthFromTwoTo255() {
        String message = "maxJsonDepth must be between 2 and 255";
        acceptsAndRefuses(b -> b.maxJsonDepth(2), b -> b.maxJsonDepth(1), message);
        acceptsAndRefuses(b -> b.maxJsonDepth(255), b -> b.maxJsonDepth(256), message);
    }

    @Test
    void hmacSecretOfThirtyTwoBytesOrMore() {
        acceptsAndRefuses(b -> b.hmacSecret(new byte[32]), b -> b.hmacSecret(new byte[31]),
                "hmacSecret must be at least 32 bytes");
    }

    @Test
    void atLeastOneAlgorithm() {
        acceptsAndRefuses(b -> b.algorithms("ES256"), b -> b.algorithms(), "algorithms must not be empty");
    }

    @Test
    void tokenTypesMayBeEmptyOnlyWhenNoTypeIsRequired() {
        acceptsAndRefuses(b -> b.tokenTypes(false), b -> b.tokenTypes(true),
                "tokenTypes must not be empty when a type is required");
    }

    @Test
    void warnsOfAFilterThatAcceptsAnyIssuerOrAnyAudience() {
        OAuthJwtFilter.builder(keys).build();
        OAuthJwtFilter.builder(keys).audience("api").build();
        OAuthJwtFilter.builder(keys).issuer("https://issuer.example").build();
        builder().build();

        assertThat(log.records()).extracting(LogRecord::getLevel).containsOnly(Level.WARNING);
        assertThat(log.records()).extracting(LogRecord::getMessage).containsExactly(
                "OAuthJwtFilter accepts tokens from any issuer and for any audience its keys verify;"
                        + " set issuer(...) and audience(...) for production",
                "OAuthJwtFilter accepts tokens from any issuer its keys verify; set issuer(...) and audience(...)"
                        + " for production",
                "OAuthJwtFilter accepts tokens for any audience its keys verify; set issuer(...) and audience(...)"
                        + " for production");
    }
}
