package io.github.oauthjwt.interop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static io.github.oauthjwt.interop.ExampleCalls.challengeOf;
import static io.github.oauthjwt.interop.RunningAuthorizationServer.CLIENT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

/**
 * The example app, run from its jar, trusting a real Spring Authorization Server (Spring Boot's
 * {@code spring-boot-starter-security-oauth2-authorization-server}) the way README.md tells a user
 * to: the issuer alone (the example finds the JWKS endpoint in the server's metadata, as
 * {@link IssuerDiscoveryInteropTests} shows), and the audience, the client id that the server puts
 * in {@code aud} of client-credentials tokens. Every test gets a fresh token from the server's
 * token endpoint and calls the example with it over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringAuthorizationServerInteropTests {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private RunningAuthorizationServer server;
    private ExampleProcess example;

    @BeforeAll
    void startServerAndExample() throws Exception {
        server = RunningAuthorizationServer.start();
        example = ExampleProcess.start(Path.of(System.getProperty("example.jar")),
                "--oauth-jwt.issuer=" + server.metadata().get("issuer"),
                "--oauth-jwt.audience=" + CLIENT_ID);
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
    void accessTokenWhenClientCredentialsGrantThenRs256JwtWithTheScopesAsAJsonArray() throws Exception {
        String token = server.accessToken("read admin");

        Map<String, Object> header = decodedPart(token, 0);
        Map<String, Object> claims = decodedPart(token, 1);
        assertThat(header).containsEntry("alg", "RS256").containsKey("kid");
        assertThat(claims)
                .containsEntry("iss", server.issuer().toString())
                .containsEntry("sub", CLIENT_ID)
                .containsEntry("aud", CLIENT_ID);
        assertThat(claims.get("scope")).asInstanceOf(LIST)
                .containsExactlyInAnyOrder("read", "admin");
    }

    @Test
    void apiDataWhenReadTokenThenOk() throws Exception {
        HttpResponse<String> response = get("/api/data", server.accessToken("read"));

        assertThat(response.statusCode()).as(challengeOf(response)).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"message\":\"Hello! You called the API with scope 'read' and role '(none)'.\"}");
    }

    @Test
    void apiAdminWhenReadTokenThenForbiddenWithInsufficientScope() throws Exception {
        HttpResponse<String> response = get("/api/admin", server.accessToken("read"));

        assertThat(response.statusCode()).as(challengeOf(response)).isEqualTo(403);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer"
                + " error=\"insufficient_scope\", error_description=\"The access token lacks the scope 'admin';"
                + " this resource requires the scopes: admin.\", scope=\"admin\"");
    }

    @Test
    void apiAdminWhenReadAdminTokenThenOk() throws Exception {
        HttpResponse<String> response = get("/api/admin", server.accessToken("read admin"));

        assertThat(response.statusCode()).as(challengeOf(response)).isEqualTo(200);
    }

    @Test
    void apiMeWhenReadAdminTokenThenTheClientWithBothScopes() throws Exception {
        HttpResponse<String> response = get("/api/me", server.accessToken("read admin"));

        assertThat(response.statusCode()).as(challengeOf(response)).isEqualTo(200);
        Map<String, Object> me = json(response.body());
        assertThat(me).containsEntry("subject", CLIENT_ID).containsEntry("audience", List.of(CLIENT_ID));
        assertThat(me.get("scopes")).asInstanceOf(LIST)
                .containsExactlyInAnyOrder("read", "admin");
    }

    // DPoP (RFC 9449): a token the server binds to a key, used with proofs made by nimbus's
    // DefaultDPoPProofFactory (oauth2-oidc-sdk), another library than the one under test.

    @Test
    void apiDataWhenDpopBoundTokenFromTheServerAndNimbusProofThenOk() throws Exception {
        ECKey clientKey = new ECKeyGenerator(Curve.P_256).generate();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(clientKey, JWSAlgorithm.ES256);
        Map<String, Object> tokenResponse = server.dpopTokenResponse("read",
                proofs.createDPoPJWT("POST", server.tokenEndpoint()).serialize());
        String token = (String) tokenResponse.get("access_token");
        assertThat(tokenResponse.get("token_type")).isEqualTo("DPoP");
        assertThat(decodedPart(token, 1).get("cnf"))
                .isEqualTo(Map.of("jkt", clientKey.computeThumbprint().toString()));
        URI api = example.baseUri().resolve("/api/data");
        String proof = proofs.createDPoPJWT("GET", api, new DPoPAccessToken(token)).serialize();

        HttpResponse<String> response = send(api, "DPoP " + token, proof);
        HttpResponse<String> replay = send(api, "DPoP " + token, proof);
        HttpResponse<String> asBearer = send(api, "Bearer " + token, null);

        assertThat(response.statusCode()).as(challengeOf(response)).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"message\":\"Hello! You called the API with scope 'read' and role '(none)'.\"}");
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("DPoP error=\"invalid_dpop_proof\", error_description=\"The DPoP proof was already used;");
        assertThat(asBearer.statusCode()).isEqualTo(401);
        assertThat(asBearer.body()).contains("The access token is bound to a DPoP key (cnf.jkt)");
    }

    @Test
    void apiDataWhenNimbusProofByAnotherKeyThenInvalidDpopProof() throws Exception {
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);
        String token = (String) server.dpopTokenResponse("read",
                proofs.createDPoPJWT("POST", server.tokenEndpoint()).serialize()).get("access_token");
        URI api = example.baseUri().resolve("/api/data");
        DPoPProofFactory stranger = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(),
                JWSAlgorithm.ES256);

        HttpResponse<String> response = send(api, "DPoP " + token,
                stranger.createDPoPJWT("GET", api, new DPoPAccessToken(token)).serialize());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"invalid_dpop_proof\",\"error_description\":\"The DPoP proof"
                + " is signed with another key than the one the access token is bound to (cnf.jkt).\"}");
    }

    private HttpResponse<String> send(URI uri, String authorization, String proof) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization).GET();
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(example.baseUri().resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> decodedPart(String jwt, int index) {
        String part = jwt.split("\\.")[index];
        return json(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
    }

    private static Map<String, Object> json(String json) {
        return JsonMapper.shared().readValue(json, new TypeReference<Map<String, Object>>() {
        });
    }
}
