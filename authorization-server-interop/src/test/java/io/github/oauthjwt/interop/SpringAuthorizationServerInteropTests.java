package io.github.oauthjwt.interop;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

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

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(example.baseUri().resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Names the challenge in a failed status assertion, which says why the example refused. */
    private static String challengeOf(HttpResponse<String> response) {
        return "status of " + response.request().uri() + " (WWW-Authenticate: "
                + response.headers().firstValue("WWW-Authenticate").orElse("none") + ")";
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
