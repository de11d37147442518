package io.github.oauthjwt.webflux.dpop.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import com.nimbusds.jose.jwk.Curve;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.RedisServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;

/**
 * Proves with BlockHound that checking DPoP proofs against Redis blocks no event loop, neither the
 * server's nor Lettuce's: two real nodes on one real Redis, proofs accepted, replays refused, Redis
 * stopped (fail closed and fail open) and restarted. Tagged {@code blockhound}: a JVM of its own,
 * BlockHound installed before any Reactor or Netty thread exists, blocking calls recorded rather
 * than thrown, and the recorder checked to see a deliberate block.
 */
@Tag("blockhound")
class RedisNonBlockingTests {

    private static final Queue<String> BLOCKING_CALLS = new ConcurrentLinkedQueue<>();
    private static volatile boolean watching;

    @BeforeAll
    static void installBlockHound() {
        BlockHound.install(builder -> builder
                .allowBlockingCallsInside("java.util.logging.Logger", "log")
                .blockingMethodCallback(method -> {
                    if (watching) {
                        BLOCKING_CALLS.add(method + " on " + Thread.currentThread().getName() + " at\n    "
                                + Arrays.stream(new Throwable().getStackTrace()).limit(40).map(String::valueOf)
                                        .collect(Collectors.joining("\n    ")));
                    }
                }));
    }

    @Test
    void checksProofsAgainstRedisThroughAnOutageWithoutBlocking() throws Exception {
        TestKey client = TestKey.ec("client", Curve.P_256);
        try (JwksServer jwks = JwksServer.serving(TwoNodes.ISSUER_KEY); RedisServer redis = RedisServer.start();
                TwoNodes nodes = new TwoNodes()) {
            int closed = nodes.startNode(jwks, redis.uri(), DpopOptions.OnStoreFailure.FAIL_CLOSED);
            int open = nodes.startNode(jwks, redis.uri(), DpopOptions.OnStoreFailure.FALL_BACK_TO_MEMORY);
            String token = TwoNodes.tokenBoundTo(client);
            // Warm up class loading and the first JWKS fetch before watching.
            assertThat(nodes.get(closed, token, nodes.proof(client, closed, token)).statusCode()).isEqualTo(200);
            assertThat(nodes.get(open, token, nodes.proof(client, open, token)).statusCode()).isEqualTo(200);
            watching = true;

            for (int i = 0; i < 10; i++) {
                String proof = nodes.proof(client, closed, token);
                assertThat(nodes.get(closed, token, proof).statusCode()).isEqualTo(200);
                assertThat(nodes.get(closed, token, proof).statusCode()).isEqualTo(401);
            }
            redis.stop();
            assertThat(nodes.get(closed, token, nodes.proof(client, closed, token)).statusCode()).isEqualTo(503);
            assertThat(nodes.get(open, token, nodes.proof(client, open, token)).statusCode()).isEqualTo(200);
            redis.restart();
            io.github.oauthjwt.testing.Await.until("the node reconnects", () -> {
                try {
                    return nodes.get(closed, token, nodes.proof(client, closed, token)).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            watching = false;
            assertThat(BLOCKING_CALLS).as("blocking calls on non-blocking threads").isEmpty();
            assertThat(nodes.handledOnNonBlockingThread()).doesNotContain(false).hasSizeGreaterThan(12);
        } finally {
            watching = false;
        }
    }

    @Test
    void detectsABlockingCallOnANonBlockingThread() {
        watching = true;
        try {
            reactor.core.publisher.Mono.fromRunnable(() -> java.util.concurrent.locks.LockSupport.parkNanos(1_000_000))
                    .subscribeOn(reactor.core.scheduler.Schedulers.parallel()).block();
        } finally {
            watching = false;
        }
        assertThat(BLOCKING_CALLS).hasSize(1).first().asString().contains(".park");
        BLOCKING_CALLS.clear();
    }
}
