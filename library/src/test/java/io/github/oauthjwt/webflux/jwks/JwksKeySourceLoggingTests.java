package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.testing.LogCapture;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * What the cache tells operators: an INFO per fetch, one WARN per outage however many requests
 * and retries it sees, and an INFO on recovery. (Spring's commons-logging bridge writes to
 * java.util.logging when no other backend is present, as in these tests.)
 */
class JwksKeySourceLoggingTests {

    private LogCapture log;
    private JwksServer jwks;
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    @BeforeEach
    void capture() {
        log = LogCapture.of(JwksKeySource.class);
        jwks = JwksServer.serving(TestKey.rsa("k1"));
    }

    @AfterEach
    void release() {
        log.close();
        jwks.close();
        time.dispose();
    }

    private List<String> messagesAt(Level level) {
        return log.messagesAt(level);
    }

    private void resolve(JwksKeySource source) {
        StepVerifier.create(source.resolve("k1", JWSAlgorithm.RS256)).expectNextCount(1).verifyComplete();
    }

    @Test
    void warnsOncePerOutageAndSaysWhenItRecovers() {
        JwksKeySource source = JwksKeySource.builder(jwks.uri()).scheduler(time).build();
        jwks.failWith(500);
        for (int attempt = 0; attempt < 5; attempt++) {
            resolve(source);
            resolve(source);
            time.advanceTimeBy(Duration.ofSeconds(30));
        }
        assertThat(jwks.requestCount()).isEqualTo(5);
        assertThat(messagesAt(Level.WARNING)).singleElement().asString()
                .startsWith("JWKS fetch from " + jwks.uri() + " failed after ")
                .contains("(HTTP status 500); no keys are cached, so tokens are answered 503 until it recovers;");

        jwks.publish(TestKey.rsa("k1"));
        resolve(source);
        assertThat(messagesAt(Level.INFO)).containsExactly(
                "JWKS endpoint " + jwks.uri() + " recovered after 5 failed fetch(es)",
                messagesAt(Level.INFO).get(1));
        assertThat(messagesAt(Level.INFO).get(1)).startsWith("Fetched JWKS from " + jwks.uri() + ": HTTP 200, 1 usable"
                + " key(s), ").endsWith(" ms, cached for 300 s");
    }
}
