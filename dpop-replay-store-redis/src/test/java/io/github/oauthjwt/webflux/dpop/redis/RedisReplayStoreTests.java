package io.github.oauthjwt.webflux.dpop.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.github.oauthjwt.testing.Await;
import io.github.oauthjwt.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The store against a real {@code redis-server} process on a free port (never a mock): one use per
 * key across stores that share the Redis, expiry by Redis itself, what a restart forgets, and how
 * an unreachable Redis shows.
 */
class RedisReplayStoreTests {

    private static RedisServer redis;
    private RedisReplayStore store;
    private RedisReplayStore otherNode;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void closeStores() {
        for (RedisReplayStore open : new RedisReplayStore[] {store, otherNode}) {
            if (open != null) {
                open.close();
            }
        }
    }

    private static String key() {
        return java.util.UUID.randomUUID().toString();
    }

    @Test
    void marksAKeyOnceForEveryNodeThatSharesTheRedis() {
        store = RedisReplayStore.builder(redis.uri()).build();
        otherNode = RedisReplayStore.builder(redis.uri()).build();
        String key = key();
        StepVerifier.create(store.markUsed(key, Duration.ofSeconds(70))).expectNext(true).verifyComplete();
        StepVerifier.create(otherNode.markUsed(key, Duration.ofSeconds(70))).expectNext(false).verifyComplete();
        StepVerifier.create(store.markUsed(key, Duration.ofSeconds(70))).expectNext(false).verifyComplete();
    }

    @Test
    void letsExactlyOneOfManyConcurrentMarksThrough() {
        store = RedisReplayStore.builder(redis.uri()).build();
        otherNode = RedisReplayStore.builder(redis.uri()).build();
        String key = key();
        List<Boolean> answers = Flux.range(0, 200)
                .flatMap(i -> (i % 2 == 0 ? store : otherNode).markUsed(key, Duration.ofSeconds(70)))
                .collectList().block(Duration.ofSeconds(10));
        assertThat(Objects.requireNonNull(answers)).hasSize(200).containsOnlyOnce(true);
    }

    @Test
    void letsRedisForgetTheKeyWhenItsTtlHasPassed() {
        store = RedisReplayStore.builder(redis.uri()).build();
        String key = key();
        StepVerifier.create(store.markUsed(key, Duration.ofMillis(200))).expectNext(true).verifyComplete();
        StepVerifier.create(store.markUsed(key, Duration.ofMillis(200))).expectNext(false).verifyComplete();
        Await.until("Redis expires the key", () -> Boolean.TRUE.equals(store.markUsed(key, Duration.ofSeconds(70))
                .block(Duration.ofSeconds(5))));
    }

    @Test
    void prefixesEveryKey() {
        store = RedisReplayStore.builder(redis.uri()).keyPrefix("node-a:").build();
        otherNode = RedisReplayStore.builder(redis.uri()).keyPrefix("node-b:").build();
        String key = key();
        StepVerifier.create(store.markUsed(key, Duration.ofSeconds(70))).expectNext(true).verifyComplete();
        StepVerifier.create(otherNode.markUsed(key, Duration.ofSeconds(70))).expectNext(true).verifyComplete();
    }

    @Test
    void forgetsEveryKeyWhenRedisRestartsWithoutPersistence() {
        store = RedisReplayStore.builder(redis.uri()).build();
        String key = key();
        StepVerifier.create(store.markUsed(key, Duration.ofSeconds(70))).expectNext(true).verifyComplete();

        redis.restart();

        // The documented semantics: the restarted Redis is empty, so the key can be marked once more.
        Await.until("the store reconnects", () -> store.markUsed(key(), Duration.ofSeconds(1))
                .onErrorReturn(false).block(Duration.ofSeconds(5)));
        StepVerifier.create(store.markUsed(key, Duration.ofSeconds(70))).expectNext(true).verifyComplete();
        StepVerifier.create(store.markUsed(key, Duration.ofSeconds(70))).expectNext(false).verifyComplete();
    }

    @Test
    void emitsAnErrorWithinTheTimeoutWhileRedisIsDownAndRecoversWhenItIsBack() {
        RedisServer flaky = RedisServer.start();
        try {
            store = RedisReplayStore.builder(flaky.uri()).timeout(Duration.ofMillis(300)).build();
            StepVerifier.create(store.markUsed(key(), Duration.ofSeconds(70))).expectNext(true).verifyComplete();

            flaky.stop();

            StepVerifier.create(store.markUsed(key(), Duration.ofSeconds(70))).expectError().verify(Duration.ofSeconds(5));
            flaky.restart();
            Await.until("the store reconnects", () -> store.markUsed(key(), Duration.ofSeconds(1))
                    .onErrorReturn(false).block(Duration.ofSeconds(5)));
        } finally {
            flaky.close();
        }
    }

    @Test
    void startsWhileRedisIsDownAndConnectsOnceItIsUp() {
        RedisServer later = RedisServer.start();
        later.stop();
        try {
            store = RedisReplayStore.builder(later.uri()).timeout(Duration.ofMillis(300)).build();
            StepVerifier.create(store.markUsed(key(), Duration.ofSeconds(70))).expectError().verify(Duration.ofSeconds(5));
            later.restart();
            StepVerifier.create(store.markUsed(key(), Duration.ofSeconds(70))).expectNext(true).verifyComplete();
        } finally {
            later.close();
        }
    }

    @Test
    void refusesBadOptions() {
        assertThatIllegalArgumentException().isThrownBy(() -> RedisReplayStore.builder(redis.uri()).keyPrefix("").build())
                .withMessage("redis keyPrefix must be 1 to 64 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> RedisReplayStore.builder(redis.uri())
                .timeout(Duration.ofMillis(1)).build()).withMessage("redis timeout must be between 10 ms and 30 s");
    }
}
