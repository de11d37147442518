package io.github.oauthjwt.webflux.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.webflux.jwks.KeyResolution;
import io.github.oauthjwt.webflux.testing.JwksServer;
import io.github.oauthjwt.webflux.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The refetch budget for unknown {@code kid}s spends a permit only on refetches that find nothing:
 * one that finds the {@code kid} it was made for was a key rotation and gives its permit back, so
 * rotations keep working with the smallest budget while random {@code kid}s use it up. The clock is
 * virtual and stands still, so no permit comes back with time.
 */
class JwksRefetchBudgetTests {

    private static final SigningKey K1 = SigningKey.rsa("k1", JWSAlgorithm.RS256);
    private static final SigningKey K2 = SigningKey.rsa("k2", JWSAlgorithm.RS256);
    private static final SigningKey K3 = SigningKey.rsa("k3", JWSAlgorithm.RS256);

    private JwksServer jwks;
    private JwksKeySource source;

    @BeforeEach
    void start() {
        jwks = JwksServer.serving();
        publish(K1);
        source = JwksKeySource.builder(jwks.uri()).scheduler(VirtualTimeScheduler.create())
                .refetchLimit(1, Duration.ofHours(1)).build();
    }

    @AfterEach
    void stop() {
        jwks.close();
    }

    private void publish(SigningKey... keys) {
        jwks.publishJson(TestTokens.jwks(Arrays.stream(keys).map(SigningKey::publicJwk).toList()), null);
    }

    private KeyResolution resolve(String kid) {
        return source.resolve(kid, JWSAlgorithm.RS256).block(Duration.ofSeconds(10));
    }

    @Test
    void followsRotationAfterRotationWithABudgetOfOneRefetch() {
        assertThat(resolve("k1")).isInstanceOf(KeyResolution.Found.class);
        publish(K1, K2);
        assertThat(resolve("k2")).isInstanceOf(KeyResolution.Found.class);
        publish(K1, K2, K3);
        assertThat(resolve("k3")).isInstanceOf(KeyResolution.Found.class);
        assertThat(jwks.requestCount()).isEqualTo(3);
    }

    @Test
    void spendsThePermitOnARefetchThatFindsNothing() {
        assertThat(resolve("k1")).isInstanceOf(KeyResolution.Found.class);
        assertThat(resolve("random-1")).isInstanceOf(KeyResolution.Missing.class);
        publish(K1, K2);
        assertThat(resolve("k2")).isInstanceOf(KeyResolution.Missing.class);
        assertThat(jwks.requestCount()).isEqualTo(2);
        assertThat(source.stats().rateLimited()).isEqualTo(1);
    }
}
