package io.github.oauthjwt.interop;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.github.oauthjwt.interop.ExampleCalls.challengeOf;
import static io.github.oauthjwt.interop.ExampleCalls.header;
import static io.github.oauthjwt.interop.RunningAuthorizationServer.CLIENT_ID;
import static io.github.oauthjwt.interop.RunningAuthorizationServer.ES256_CLIENT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

/**
 * The example app, run from its jar, given only the issuer of a real Spring Authorization Server
 * (and the audiences): it finds the server's JWKS endpoint through the server's metadata and
 * accepts the server's tokens signed with RS256 and with ES256, each verified with the key the
 * server names in the token's {@code kid}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IssuerDiscoveryInteropTests {

    private static final String OPENID_METADATA = "GET /.well-known/openid-configuration";

    private static final String JWKS = "GET /oauth2/jwks";

    private static final String DATA = "{\"message\":\"Hello! You called the API with scope 'read' and role '(none)'.\"}";

    private RunningAuthorizationServer server;
    private ExampleProcess example;
    private ExampleCalls calls;

    @BeforeAll
    void startServerAndExample() throws Exception {
        server = RunningAuthorizationServer.start();
        example = ExampleProcess.start(Path.of(System.getProperty("example.jar")),
                "--oauth-jwt.issuer=" + server.issuer(),
                "--oauth-jwt.audience=" + CLIENT_ID + "," + ES256_CLIENT_ID);
        calls = new ExampleCalls(example);
    }

    @AfterAll
    void stop() {
        if (example != null) {
            example.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void exampleWhenGivenTheIssuerAloneThenReadsTheOpenIdMetadataFirstAndThenTheJwksItNames() throws Exception {
        HttpResponse<String> response = calls.get("/api/data", server.accessToken("read"));

        assertThat(response.statusCode()).as(challengeOf(response)).isEqualTo(200);
        List<String> reads = server.requests().stream().filter(request -> request.startsWith("GET ")).toList();
        // The first metadata location answers, so the RFC 8414 ones are never asked; a background
        // refresh (past the 30 s TTL) could only repeat these two.
        assertThat(reads).first().isEqualTo(OPENID_METADATA);
        assertThat(reads).containsOnly(OPENID_METADATA, JWKS);
    }

    @Test
    void healthWhenKeysDiscoveredThenShowsBothPublishedKidsUnderTheIssuer() throws Exception {
        assertThat(calls.get("/api/data", server.accessToken("read")).statusCode()).isEqualTo(200);

        Map<String, Object> health = calls.health();

        RotatingSigningKeys.Keys keys = server.signingKeys();
        assertThat(health.get("jwks")).asInstanceOf(MAP)
                .containsEntry("uri", server.issuer().toString())
                .containsEntry("kids", List.of(keys.rsa().getKeyID(), keys.ec().getKeyID()))
                .containsEntry("lastFetchSucceeded", true);
    }

    @Test
    void apiDataWhenRs256TokenThenOk() throws Exception {
        String token = server.accessToken("read");

        HttpResponse<String> response = calls.get("/api/data", token);

        assertThat(header(token)).containsEntry("alg", "RS256")
                .containsEntry("kid", server.signingKeys().rsa().getKeyID());
        assertThat(response.statusCode()).as(challengeOf(response)).isEqualTo(200);
        assertThat(response.body()).isEqualTo(DATA);
    }

    @Test
    void apiDataWhenEs256TokenThenOk() throws Exception {
        String token = server.es256AccessToken("read");

        HttpResponse<String> response = calls.get("/api/data", token);

        assertThat(header(token)).containsEntry("alg", "ES256")
                .containsEntry("kid", server.signingKeys().ec().getKeyID());
        assertThat(response.statusCode()).as(challengeOf(response)).isEqualTo(200);
        assertThat(response.body()).isEqualTo(DATA);
    }
}
