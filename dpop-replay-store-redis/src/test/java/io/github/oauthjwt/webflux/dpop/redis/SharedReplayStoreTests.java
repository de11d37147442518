package io.github.oauthjwt.webflux.dpop.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.jwk.Curve;
import io.github.oauthjwt.testing.DpopProofs;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.RedisServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DPoP over HTTP against API nodes that share one real Redis: a proof used on one node is refused
 * on the other, what a Redis restart forgets, and what an unreachable Redis does to requests, fail
 * closed (503) or fail open (this node's memory).
 */
class SharedReplayStoreTests {

    private static final TestKey CLIENT = TestKey.ec("client", Curve.P_256);

    private static JwksServer jwks;
    private RedisServer redis;
    private TwoNodes nodes;

    @BeforeAll
    static void startJwks() {
        jwks = JwksServer.serving(TwoNodes.ISSUER_KEY);
    }

    @AfterAll
    static void stopJwks() {
        jwks.close();
    }

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
        nodes = new TwoNodes();
    }

    @AfterEach
    void stop() {
        nodes.close();
        redis.close();
    }

    @Test
    void refusesOnTheSecondNodeAProofUsedOnTheFirst() throws Exception {
        int first = nodes.startNode(jwks, redis.uri(), DpopOptions.OnStoreFailure.FAIL_CLOSED);
        int second = nodes.startNode(jwks, redis.uri(), DpopOptions.OnStoreFailure.FAIL_CLOSED);
        String token = TwoNodes.tokenBoundTo(CLIENT);
        // One proof for one URI that both nodes serve: the load balancer's, in production.
        String proof = DpopProofs.signedBy(CLIENT).forRequest("GET", nodes.baseUri(first) + "/api/data")
                .accessToken(token).build();
        // The second node sees the first node's URI in htu only behind a proxy; sending the same proof
        // to the first node again and its jti to the second under the second's URI shows both paths.
        String sameJtiForSecond = DpopProofs.signedBy(CLIENT).forRequest("GET", nodes.baseUri(second) + "/api/data")
                .accessToken(token).claim("jti", jtiOf(proof)).build();

        assertThat(nodes.get(first, token, proof).statusCode()).isEqualTo(200);
        HttpResponse<String> onSecond = nodes.get(second, token, sameJtiForSecond);
        HttpResponse<String> againOnFirst = nodes.get(first, token, proof);

        assertThat(onSecond.statusCode()).isEqualTo(401);
        assertThat(onSecond.body()).isEqualTo("{\"error\":\"invalid_dpop_proof\",\"error_description\":\"The DPoP proof was"
                + " already used; make a new proof, with a new jti, for every request.\"}");
        assertThat(againOnFirst.statusCode()).isEqualTo(401);
    }

    @Test
    void acceptsAProofReplayedAfterRedisRestartsWithinTheWindowBecauseRedisForgotIt() throws Exception {
        int node = nodes.startNode(jwks, redis.uri(), DpopOptions.OnStoreFailure.FAIL_CLOSED);
        String token = TwoNodes.tokenBoundTo(CLIENT);
        String proof = nodes.proof(CLIENT, node, token);
        assertThat(nodes.get(node, token, proof).statusCode()).isEqualTo(200);
        assertThat(nodes.get(node, token, proof).statusCode()).isEqualTo(401);

        redis.restart();
        awaitRedisAnswers(node, token);

        // The stated semantics: without persistence the key is gone, so the replay passes once...
        assertThat(nodes.get(node, token, proof).statusCode()).isEqualTo(200);
        // ...and only once: the restarted Redis remembers it again.
        assertThat(nodes.get(node, token, proof).statusCode()).isEqualTo(401);
    }

    @Test
    void answers503WithRetryAfterWhileRedisIsDownWhenFailingClosed() throws Exception {
        int node = nodes.startNode(jwks, redis.uri(), DpopOptions.OnStoreFailure.FAIL_CLOSED);
        String token = TwoNodes.tokenBoundTo(CLIENT);
        assertThat(nodes.get(node, token, nodes.proof(CLIENT, node, token)).statusCode()).isEqualTo(200);

        redis.stop();
        HttpResponse<String> response = nodes.get(node, token, nodes.proof(CLIENT, node, token));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.headers().allValues("WWW-Authenticate")).isEmpty();
        assertThat(response.body()).isEqualTo("{\"error\":\"temporarily_unavailable\",\"error_description\":\"The API cannot"
                + " check DPoP proofs for replay right now; retry in 1 second with a new proof.\"}");

        redis.restart();
        awaitRedisAnswers(node, token);
    }

    @Test
    void checksProofsAgainstTheNodesMemoryWhileRedisIsDownWhenFailingOpen() throws Exception {
        int node = nodes.startNode(jwks, redis.uri(), DpopOptions.OnStoreFailure.FALL_BACK_TO_MEMORY);
        String token = TwoNodes.tokenBoundTo(CLIENT);
        redis.stop();
        String proof = nodes.proof(CLIENT, node, token);

        assertThat(nodes.get(node, token, proof).statusCode()).isEqualTo(200);
        assertThat(nodes.get(node, token, proof).statusCode()).isEqualTo(401);
    }

    @Test
    void acceptsOneThousandConcurrentRequestsWithFreshProofsAcrossTwoNodes() throws Exception {
        int first = nodes.startNode(jwks, redis.uri(), DpopOptions.OnStoreFailure.FAIL_CLOSED);
        int second = nodes.startNode(jwks, redis.uri(), DpopOptions.OnStoreFailure.FAIL_CLOSED);
        String token = TwoNodes.tokenBoundTo(CLIENT);
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int node = i % 2 == 0 ? first : second;
            HttpRequest request = HttpRequest.newBuilder(URI.create(nodes.baseUri(node) + "/api/data"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "DPoP " + token)
                    .header("DPoP", nodes.proof(CLIENT, node, token)).build();
            responses.add(nodes.http().sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(responses).allSatisfy(response -> assertThat(response.get().statusCode()).isEqualTo(200));
    }

    /** Waits until the node's store has reconnected, with throwaway proofs (each a new jti). */
    private void awaitRedisAnswers(int node, String token) {
        io.github.oauthjwt.testing.Await.until("the node's replay store reconnects to Redis", () -> {
            try {
                return nodes.get(node, token, nodes.proof(CLIENT, node, token)).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static String jtiOf(String proof) {
        String claims = new String(java.util.Base64.getUrlDecoder().decode(proof.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        return claims.replaceFirst(".*\"jti\":\"([^\"]+)\".*", "$1");
    }
}
