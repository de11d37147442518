package io.github.oauthjwt.interop;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

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
 * A real Spring Authorization Server rotates its RSA key while the example, given only the issuer,
 * runs with the old key cached. The rotation here is the abrupt kind: the new key signs at once and
 * the old one leaves the JWKS at the same moment. The first token of the new key is accepted on its
 * first request (the example fetches the JWKS for the unknown {@code kid} and the request waits for
 * that fetch, at most the refetch interval of 2 s), and once the example has read the new JWKS, a
 * token of the old key is refused. Each test rotates the key itself, so they hold in any order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRotationInteropTests {

    private static final String JWKS = "GET /oauth2/jwks";

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
    void tokenOfTheNewKeyWhenRotatedThenAcceptedOnItsFirstRequestAfterOneJwksFetch() throws Exception {
        assertThat(calls.get("/api/data", server.accessToken("read")).statusCode()).isEqualTo(200);
        long fetchesBefore = jwksFetches();
        String oldKid = server.signingKeys().rsa().getKeyID();

        RotatingSigningKeys.Keys rotated = server.rotateKeys();
        String token = server.accessToken("read");
        HttpResponse<String> response = calls.get("/api/data", token);

        assertThat(header(token)).containsEntry("alg", "RS256").containsEntry("kid", rotated.rsa().getKeyID());
        assertThat(rotated.rsa().getKeyID()).isNotEqualTo(oldKid);
        assertThat(response.statusCode()).as(challengeOf(response)).isEqualTo(200);
        // The unknown kid made the example read the JWKS again; a background refresh past the keys'
        // 30 s TTL could add one more, never fewer.
        assertThat(jwksFetches()).isGreaterThan(fetchesBefore);
        assertThat(calls.health().get("jwks")).asInstanceOf(MAP)
                .containsEntry("kids", List.of(rotated.rsa().getKeyID(), rotated.ec().getKeyID()));
    }

    @Test
    void tokenOfTheRetiredKeyWhenTheExampleHasReadTheNewJwksThenUnauthorizedNamingItsKid() throws Exception {
        String retired = server.accessToken("read");
        assertThat(calls.get("/api/data", retired).statusCode()).isEqualTo(200);
        server.rotateKeys();
        assertThat(calls.get("/api/data", server.accessToken("read")).statusCode()).isEqualTo(200);

        HttpResponse<String> response = calls.get("/api/data", retired);

        assertThat(response.statusCode()).as(challengeOf(response)).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer"
                + " error=\"invalid_token\", error_description=\"No signing key with kid '" + header(retired).get("kid")
                + "' is published by the authorization server this API trusts.\"");
    }

    @Test
    void es256TokenWhenTheRsaKeyRotatedThenStillOk() throws Exception {
        server.rotateKeys();
        assertThat(calls.get("/api/data", server.accessToken("read")).statusCode()).isEqualTo(200);

        HttpResponse<String> response = calls.get("/api/data", server.es256AccessToken("read"));

        assertThat(response.statusCode()).as(challengeOf(response)).isEqualTo(200);
    }

    private long jwksFetches() {
        return server.requests().stream().filter(JWKS::equals).count();
    }
}
