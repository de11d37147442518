package io.github.oauthjwt.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.oauthjwt.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * README.md's DPoP walkthrough, run as written: the example in demo mode, proofs made by
 * {@code scripts/DpopProof.java} in a JVM of its own (so by the JDK alone, not by this library), a
 * DPoP-bound token from {@code /demo/token}, the API called with it, a replay refused, the bound
 * token refused as a bearer token; then two instances of the example sharing one real Redis.
 */
class DpopIntegrationTests {

    private Path keyFile;
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeEach
    void keyFile() throws IOException {
        keyFile = Files.createTempFile("dpop-key", ".txt");
        Files.delete(keyFile);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : running) {
            closeable.close();
        }
        Files.deleteIfExists(keyFile);
    }

    private RunningExample start(String... args) {
        RunningExample example = RunningExample.start(args);
        running.add(0, example);
        return example;
    }

    /** {@code java scripts/DpopProof.java <args>}, as README.md runs it. */
    private String proof(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Path.of("..", "scripts", "DpopProof.java").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DPOP_KEY_FILE", keyFile.toString());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private String dpopToken(RunningExample example) throws Exception {
        String base = "http://localhost:" + example.port();
        Map<?, ?> response = example.client().post().uri("/demo/token")
                .header("DPoP", proof("POST", base + "/demo/token"))
                .body(BodyInserters.fromFormData("scope", "read")).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(response.get("token_type")).isEqualTo("DPoP");
        return (String) response.get("access_token");
    }

    @Test
    void walkthroughWhenProofsFromTheScriptThenDpopCallSucceedsAndReplayAndDowngradeFail() throws Exception {
        RunningExample example = start();
        String base = "http://localhost:" + example.port();
        String token = dpopToken(example);
        String proof = proof("GET", base + "/api/data", token);
        WebTestClient client = example.client();

        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "DPoP " + token).header("DPoP", proof)
                .exchange().expectStatus().isOk().expectBody(String.class)
                .isEqualTo("{\"message\":\"Hello! You called the API with scope 'read' and role 'developer'.\"}");
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "DPoP " + token).header("DPoP", proof)
                .exchange().expectStatus().isUnauthorized()
                .expectBody(String.class).isEqualTo("{\"error\":\"invalid_dpop_proof\",\"error_description\":\"The DPoP"
                        + " proof was already used; make a new proof, with a new jti, for every request.\"}");
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isUnauthorized();
    }

    @Test
    void tokenWhenProofForAnotherUriThenInvalidDpopProof() throws Exception {
        RunningExample example = start();
        example.client().post().uri("/demo/token").header("DPoP", proof("POST", "http://localhost:1/demo/token"))
                .exchange().expectStatus().isBadRequest()
                .expectBody(String.class).value(body -> assertThat(body).contains("\"error\":\"invalid_dpop_proof\""));
    }

    @Test
    void redisUriWhenTwoInstancesShareOneRedisThenEachAcceptsFreshProofsAndRefusesReplays() throws Exception {
        RedisServer redis = RedisServer.start();
        running.add(redis);
        RunningExample first = start("--oauth-jwt.dpop.redis-uri=" + redis.uri());
        RunningExample second = start("--oauth-jwt.dpop.redis-uri=" + redis.uri(),
                "--oauth-jwt.issuer=http://localhost:" + first.port());
        String token = dpopToken(first);
        // Each instance has its own port, so a proof names one of them; the replay across instances of
        // one proof is SharedReplayStoreTests' (dpop-replay-store-redis), which controls the jti.
        String proof = proof("GET", "http://localhost:" + first.port() + "/api/data", token);

        first.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "DPoP " + token).header("DPoP", proof)
                .exchange().expectStatus().isOk();
        first.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "DPoP " + token).header("DPoP", proof)
                .exchange().expectStatus().isUnauthorized();
        String forSecond = proof("GET", "http://localhost:" + second.port() + "/api/data", token);
        second.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "DPoP " + token)
                .header("DPoP", forSecond).exchange().expectStatus().isOk();
    }
}
