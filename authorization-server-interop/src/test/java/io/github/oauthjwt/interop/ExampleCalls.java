package io.github.oauthjwt.interop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls to the example over HTTP, as a client of the API makes them, and the small readings the
 * interop tests make of tokens and answers. Every call times out after {@link #REQUEST_TIMEOUT}: a
 * request that waits for a JWKS fetch waits at most the refetch interval, far less.
 */
final class ExampleCalls {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private final URI baseUri;

    ExampleCalls(ExampleProcess example) {
        this.baseUri = example.baseUri();
    }

    /** {@code GET path} with the token as a bearer token (RFC 6750 §2.1). */
    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(baseUri.resolve(path)).header("Authorization", "Bearer " + token));
    }

    /** The example's {@code /health} answer: status and the JWKS cache's snapshot. */
    Map<String, Object> health() throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUri.resolve("/health")));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/health answered " + response.statusCode() + ": " + response.body());
        }
        return json(response.body());
    }

    /** Names the challenge in a failed status assertion, which says why the example refused. */
    static String challengeOf(HttpResponse<String> response) {
        return "status of " + response.request().uri() + " (WWW-Authenticate: "
                + response.headers().firstValue("WWW-Authenticate").orElse("none") + ")";
    }

    /** The decoded JOSE header of a JWT. */
    static Map<String, Object> header(String jwt) {
        String part = jwt.substring(0, jwt.indexOf('.'));
        return json(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
    }

    static Map<String, Object> json(String json) {
        return JsonMapper.shared().readValue(json, new TypeReference<Map<String, Object>>() {
        });
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
