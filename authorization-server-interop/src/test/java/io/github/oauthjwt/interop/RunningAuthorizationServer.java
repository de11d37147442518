package io.github.oauthjwt.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link InteropAuthorizationServer} running on a free port with the issuer
 * {@code http://localhost:<port>}, and a client of it that speaks plain HTTP, as any OAuth client
 * would. Closing it stops the server.
 */
final class RunningAuthorizationServer implements AutoCloseable {

    /** The client registered in {@code application.yml}; the server puts its id in {@code aud}. */
    static final String CLIENT_ID = "interop-client";

    private static final String CLIENT_SECRET = "interop-secret";

    /** The client whose tokens the server signs with ES256; {@link #CLIENT_ID}'s are RS256. */
    static final String ES256_CLIENT_ID = SigningKeysConfiguration.ES256_CLIENT_ID;

    private static final String ES256_CLIENT_SECRET = "interop-es256-secret";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final ConfigurableApplicationContext context;
    private final URI issuer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    private RunningAuthorizationServer(ConfigurableApplicationContext context, URI issuer) {
        this.context = context;
        this.issuer = issuer;
    }

    /** Starts the server and returns once it listens. */
    static RunningAuthorizationServer start() throws IOException {
        // The issuer is fixed in AuthorizationServerSettings before Tomcat binds its port, so the port
        // is chosen here rather than by server.port=0. Should another process take it in the moment
        // before Tomcat binds, startup fails with "port already in use"; it cannot pass wrongly.
        int port = freePort();
        String issuer = "http://localhost:" + port;
        ConfigurableApplicationContext context = new SpringApplicationBuilder(InteropAuthorizationServer.class)
                .main(InteropAuthorizationServer.class)
                .run("--server.port=" + port, "--spring.security.oauth2.authorizationserver.issuer=" + issuer);
        return new RunningAuthorizationServer(context, URI.create(issuer));
    }

    /** The issuer the server is configured with, the {@code iss} of its tokens. */
    URI issuer() {
        return issuer;
    }

    /** The server's metadata (RFC 8414 §3), read from where a client discovers it. */
    Map<String, Object> metadata() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/.well-known/oauth-authorization-server"))
                .timeout(REQUEST_TIMEOUT)
                .GET()
                .build();
        return jsonObject(send(request));
    }

    /**
     * Asks for an access token by the client credentials grant (RFC 6749 §4.4.2), the client
     * authenticating with HTTP Basic (RFC 6749 §2.3.1), and returns the token.
     *
     * @param scope the space-delimited scopes to ask for
     */
    String accessToken(String scope) throws IOException, InterruptedException {
        return accessToken(CLIENT_ID, CLIENT_SECRET, scope);
    }

    /** As {@link #accessToken(String)}, for {@link #ES256_CLIENT_ID}: the token is signed with ES256. */
    String es256AccessToken(String scope) throws IOException, InterruptedException {
        return accessToken(ES256_CLIENT_ID, ES256_CLIENT_SECRET, scope);
    }

    /** The server's signing keys now, with their private halves. */
    RotatingSigningKeys.Keys signingKeys() {
        return context.getBean(RotatingSigningKeys.class).current();
    }

    /**
     * Rotates the server's RSA key: a new one signs RS256 tokens from now on and is published in the
     * JWKS; the old one is no longer published. The EC key stays.
     *
     * @return the keys after the rotation
     */
    RotatingSigningKeys.Keys rotateKeys() {
        return context.getBean(RotatingSigningKeys.class).rotateRsaKey();
    }

    /** The requests the server has received so far, oldest first, each as {@code METHOD /path}. */
    List<String> requests() {
        return context.getBean(RequestLog.class).requests();
    }

    private String accessToken(String clientId, String clientSecret, String scope)
            throws IOException, InterruptedException {
        String credentials = form(clientId) + ":" + form(clientSecret);
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + form(scope)))
                .build();
        return (String) jsonObject(send(request)).get("access_token");
    }

    @Override
    public void close() {
        context.close();
    }

    private String send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static Map<String, Object> jsonObject(String json) {
        return JsonMapper.shared().readValue(json, new TypeReference<Map<String, Object>>() {
        });
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
