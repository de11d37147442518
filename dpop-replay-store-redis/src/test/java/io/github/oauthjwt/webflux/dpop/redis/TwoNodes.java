package io.github.oauthjwt.webflux.dpop.redis;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.oauthjwt.testing.DpopProofs;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.JwtClaims;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * API nodes as a load balancer sees them: each its own reactor-netty server on a random port with
 * its own filter and its own {@link RedisReplayStore}, all sharing one Redis and one authorization
 * server's keys. {@link #get} sends a request with a DPoP-bound token and a proof made for the node.
 */
final class TwoNodes implements AutoCloseable {

    static final TestKey ISSUER_KEY = TestKey.rsa("issuer");

    private final List<DisposableServer> servers = new ArrayList<>();
    private final List<RedisReplayStore> stores = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Queue<Boolean> handledOnNonBlockingThread = new ConcurrentLinkedQueue<>();

    /** Starts one node on {@code redisUri} with these DPoP options around its store. */
    int startNode(JwksServer jwks, String redisUri, DpopOptions.OnStoreFailure onFailure) {
        RedisReplayStore store = RedisReplayStore.builder(redisUri).timeout(Duration.ofSeconds(2)).build();
        stores.add(store);
        OAuthJwtFilter filter = OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri())).issuer(TestTokens.ISSUER)
                .audience(TestTokens.AUDIENCE).paths("/api/**")
                .dpop(DpopOptions.builder().replayStore(store, onFailure).build()).build();
        HttpHandler handler = WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(route(GET("/api/data"),
                request -> {
                    handledOnNonBlockingThread.add(Schedulers.isInNonBlockingThread());
                    return ServerResponse.ok().bodyValue("sub=" + JwtClaims.from(request).subject());
                }))).filter(filter).build();
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
        servers.add(server);
        return servers.size() - 1;
    }

    /** A token bound to {@code client}'s key. */
    static String tokenBoundTo(TestKey client) {
        return TestTokens.signedBy(ISSUER_KEY).claim("cnf", DpopProofs.cnf(client)).build();
    }

    /** A proof by {@code client} for {@code GET /api/data} (any node: htu names the path the proof's node serves). */
    String proof(TestKey client, int node, String token) {
        return DpopProofs.signedBy(client).forRequest("GET", baseUri(node) + "/api/data").accessToken(token).build();
    }

    String baseUri(int node) {
        return "http://127.0.0.1:" + servers.get(node).port();
    }

    /** Sends {@code GET /api/data} to {@code node} with the token and this exact proof. */
    HttpResponse<String> get(int node, String token, String proof) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri(node) + "/api/data")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "DPoP " + token).header("DPoP", proof).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpClient http() {
        return http;
    }

    Queue<Boolean> handledOnNonBlockingThread() {
        return handledOnNonBlockingThread;
    }

    @Override
    public void close() {
        servers.forEach(DisposableServer::disposeNow);
        stores.forEach(RedisReplayStore::close);
    }
}
