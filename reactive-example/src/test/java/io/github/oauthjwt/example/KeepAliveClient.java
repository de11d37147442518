package io.github.oauthjwt.example;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.ChannelId;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * An HTTP/1.1 client that sends every request over at most {@code connections} keep-alive
 * connections to one local port, as a pooling client such as Node's {@code http.Agent({keepAlive:
 * true})} does, and counts the connections it opened. It runs on an event loop of its own, so the
 * server's event loops serve only the server, as with a client in another process. Closing it closes
 * its connections and its event loop.
 */
final class KeepAliveClient implements AutoCloseable {

    private final ConnectionProvider pool;
    private final LoopResources loop;
    private final HttpClient http;
    private final Set<ChannelId> connectionsUsed = ConcurrentHashMap.newKeySet();

    private KeepAliveClient(int port, int connections) {
        this.pool = ConnectionProvider.builder("keep-alive-test")
                .maxConnections(connections)
                .pendingAcquireMaxCount(-1)
                .build();
        this.loop = LoopResources.create("keep-alive-client", 1, true);
        this.http = HttpClient.create(pool)
                .runOn(loop)
                .baseUrl("http://127.0.0.1:" + port)
                .keepAlive(true)
                .doOnRequest((request, connection) -> connectionsUsed.add(connection.channel().id()));
    }

    /** A client of the server on this local port with this many keep-alive connections at most. */
    static KeepAliveClient to(int port, int connections) {
        return new KeepAliveClient(port, connections);
    }

    /**
     * Emits the status of {@code GET path}, with {@code Authorization: authorization} unless it is
     * {@code null}, once the whole response is read; emits a {@code TimeoutException} if the response
     * is not complete within {@code deadline}.
     */
    Mono<Integer> status(String path, @Nullable String authorization, Duration deadline) {
        return http.headers(headers -> {
                    if (authorization != null) {
                        headers.set(HttpHeaders.AUTHORIZATION, authorization);
                    }
                })
                .get()
                .uri(path)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .timeout(deadline);
    }

    /** How many connections carried a request so far. */
    int connectionsUsed() {
        return connectionsUsed.size();
    }

    @Override
    public void close() {
        // No quiet period: nothing is sent any more, and the default would wait two seconds.
        pool.disposeLater().then(loop.disposeLater(Duration.ZERO, Duration.ofSeconds(5))).block(Duration.ofSeconds(10));
    }
}
