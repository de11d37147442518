package io.github.oauthjwt.webflux.dpop.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import io.github.oauthjwt.webflux.dpop.ReplayStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A {@link ReplayStore} that every API node shares, on Redis: marking a proof is one atomic
 * {@code SET <prefix><key> 1 NX PX <ttl>} through Lettuce's reactive API, so of any number of
 * nodes receiving one proof at once exactly one gets {@code OK}, and Redis forgets the key when the
 * proof's {@code iat} window has passed. Nothing blocks: the connection is opened asynchronously
 * when the store is built, again on the next use if that failed (a Redis that is down at startup
 * does not stop the application), and Lettuce reconnects by itself after an outage.
 *
 * <p>While Redis cannot be reached, {@link #markUsed} emits an error at once (commands are rejected
 * rather than queued while disconnected, and each has a {@linkplain Builder#timeout timeout}); the
 * filter then answers 503 or falls back to memory, as {@code DpopOptions.OnStoreFailure} says.
 *
 * <p><b>A Redis restart.</b> Without persistence a restarted Redis has forgotten every key: a
 * proof used before the restart and replayed after it, within its {@code iat} window (70 s by
 * default), is accepted once more. Turn on Redis persistence ({@code appendonly yes} with
 * {@code appendfsync always}) or replication if that window matters to you.
 *
 * <p>{@link #markUsed} emits on Reactor's parallel scheduler, never on Lettuce's I/O thread, so the
 * rest of the request (the application's handler included) never holds up Redis traffic.
 * Thread-safe. {@link #close()} closes the connection and, when this store made it, the client.
 */
public final class RedisReplayStore implements ReplayStore, AutoCloseable {

    /** The prefix of every key by default, so the store can share a Redis database. */
    public static final String DEFAULT_KEY_PREFIX = "dpop:jti:";
    /** The default longest wait for Redis to answer one command. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** The longest wait for a connection to Redis to open. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final @Nullable RedisClient ownedClient;
    private final Mono<RedisReactiveCommands<String, String>> commands;
    private final AtomicReference<@Nullable StatefulRedisConnection<String, String>> connection = new AtomicReference<>();
    private final String keyPrefix;
    private final Duration timeout;

    /** A store on {@code given} commands, or, without them, on a connection {@code ownedClient} opens on first use. */
    private RedisReplayStore(@Nullable RedisClient ownedClient, @Nullable RedisURI uri,
            @Nullable RedisReactiveCommands<String, String> given, String keyPrefix, Duration timeout) {
        this.ownedClient = ownedClient;
        this.keyPrefix = keyPrefix;
        this.timeout = timeout;
        if (given != null) {
            this.commands = Mono.just(given);
        } else {
            RedisClient client = Objects.requireNonNull(ownedClient);
            // Connects once; a failed attempt is not remembered, so the next call tries again.
            this.commands = Mono.defer(() -> Mono.fromCompletionStage(client.connectAsync(StringCodec.UTF8, uri)))
                    .doOnNext(connection::set)
                    .map(StatefulRedisConnection::reactive)
                    .cache(connected -> Duration.ofMillis(Long.MAX_VALUE), failed -> Duration.ZERO, () -> Duration.ZERO);
        }
    }

    /** Options of a store that connects to {@code redisUri}, such as {@code redis://127.0.0.1:6379}. */
    public static Builder builder(String redisUri) {
        return new Builder(RedisURI.create(Objects.requireNonNull(redisUri, "redisUri")));
    }

    /**
     * A store on a connection the application already has and closes itself; {@link #close()}
     * leaves it open.
     */
    public static RedisReplayStore using(RedisReactiveCommands<String, String> commands, String keyPrefix,
            Duration timeout) {
        return new RedisReplayStore(null, null, Objects.requireNonNull(commands, "commands"), Builder.checkPrefix(keyPrefix),
                Builder.checkTimeout(timeout));
    }

    @Override
    public Mono<Boolean> markUsed(String key, Duration ttl) {
        SetArgs onlyIfAbsent = SetArgs.Builder.nx().px(Math.max(1, ttl.toMillis()));
        return commands.flatMap(redis -> redis.set(keyPrefix + key, "1", onlyIfAbsent)
                        .map("OK"::equals)
                        .defaultIfEmpty(false)
                        .timeout(timeout))
                // Off Lettuce's I/O thread: the request (and the application's handler) goes on elsewhere.
                .publishOn(Schedulers.parallel());
    }

    /** Closes the connection this store opened and shuts its client down; called once, at shutdown. */
    @Override
    public void close() {
        StatefulRedisConnection<String, String> open = connection.getAndSet(null);
        if (open != null) {
            open.close();
        }
        if (ownedClient != null) {
            ownedClient.shutdown();
        }
    }

    /** Options of a {@link RedisReplayStore}; every one has a default. */
    public static final class Builder {

        private final RedisURI uri;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(RedisURI uri) {
            this.uri = uri;
        }

        /** The prefix of every key ({@code dpop:jti:} by default). */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /**
         * The longest wait for Redis to answer one command (1 s by default). Connecting has a
         * bound of its own, {@link #DEFAULT_CONNECT_TIMEOUT}, and happens once, ahead of the first
         * command.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * The store. It connects on first use, not here.
         *
         * @throws IllegalArgumentException naming the option that is out of range
         */
        public RedisReplayStore build() {
            checkPrefix(keyPrefix);
            checkTimeout(timeout);
            RedisClient client = RedisClient.create(uri);
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(timeout))
                    .build());
            uri.setTimeout(DEFAULT_CONNECT_TIMEOUT);
            RedisReplayStore store = new RedisReplayStore(client, uri, null, keyPrefix, timeout);
            // Opens the connection now, in the background, so the first proof does not wait for it.
            store.commands.subscribe(connected -> { }, unreachableForNow -> { });
            return store;
        }

        static String checkPrefix(String keyPrefix) {
            if (keyPrefix.isEmpty() || keyPrefix.length() > 64) {
                throw new IllegalArgumentException("redis keyPrefix must be 1 to 64 characters");
            }
            return keyPrefix;
        }

        static Duration checkTimeout(Duration timeout) {
            if (timeout.compareTo(Duration.ofMillis(10)) < 0 || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("redis timeout must be between 10 ms and 30 s");
            }
            return timeout;
        }
    }
}
