package io.github.oauthjwt.testing;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.util.JSONObjectUtils;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A real authorization server's discovery on a {@link MockWebServer}: its metadata at one
 * well-known path, its JWKS at {@code /jwks}, 404 everywhere else. A test moves the metadata to
 * another path, changes it or breaks it, and reads which paths were asked for, in order.
 */
public final class IssuerServer implements AutoCloseable {

    /** Where metadata may live, relative to the origin, for an issuer with path {@code p}. */
    public enum Location {
        /** {@code {issuer}/.well-known/openid-configuration} (OpenID Connect Discovery §4). */
        OPENID_ISSUER_SUFFIX,
        /** {@code /.well-known/oauth-authorization-server{p}} (RFC 8414 §3.1). */
        OAUTH_PATH_INSERTED,
        /** {@code /.well-known/openid-configuration{p}} (RFC 8414 §5). */
        OPENID_PATH_INSERTED
    }

    private final MockWebServer server = new MockWebServer();
    private final String issuerPath;
    private final Map<String, MockResponse> answers = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private volatile String metadataPath;

    private IssuerServer(String issuerPath, TestKey... keys) {
        this.issuerPath = issuerPath;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                requested.add(path);
                MockResponse answer = answers.get(path);
                return answer != null ? answer : new MockResponse.Builder().code(404).body("not here").build();
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        publish(keys);
        serveMetadataAt(Location.OPENID_ISSUER_SUFFIX);
    }

    /** A started server for an issuer at the origin's root, publishing these keys. */
    public static IssuerServer serving(TestKey... keys) {
        return new IssuerServer("", keys);
    }

    /** A started server for an issuer with this path (such as {@code /tenants/a}), publishing these keys. */
    public static IssuerServer servingAt(String issuerPath, TestKey... keys) {
        return new IssuerServer(issuerPath, keys);
    }

    /** The issuer identifier: the origin plus the issuer's path, with no trailing slash. */
    public String issuer() {
        String origin = server.url("/").toString();
        return origin.substring(0, origin.length() - 1) + issuerPath;
    }

    /** The JWKS endpoint the metadata names. */
    public URI jwksUri() {
        return server.url("/jwks").uri();
    }

    /** The path of {@code location} for this issuer. */
    public String path(Location location) {
        return switch (location) {
            case OPENID_ISSUER_SUFFIX -> issuerPath + "/.well-known/openid-configuration";
            case OAUTH_PATH_INSERTED -> "/.well-known/oauth-authorization-server" + issuerPath;
            case OPENID_PATH_INSERTED -> "/.well-known/openid-configuration" + issuerPath;
        };
    }

    /** From now on, serve correct metadata at {@code location} only. */
    public IssuerServer serveMetadataAt(Location location) {
        return serveMetadata(location, metadata(issuer(), jwksUri().toString()), null);
    }

    /** From now on, serve this metadata body with this {@code Cache-Control} (or none) at {@code location} only. */
    public IssuerServer serveMetadata(Location location, String json, String cacheControl) {
        MockResponse.Builder answer = new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(json);
        if (cacheControl != null) {
            answer.setHeader("Cache-Control", cacheControl);
        }
        return answerMetadata(location, answer.build());
    }

    /** From now on, answer this status at the metadata's current location. */
    public IssuerServer failMetadataWith(int status) {
        answers.put(metadataPath, new MockResponse.Builder().code(status).body("upstream trouble").build());
        return this;
    }

    private IssuerServer answerMetadata(Location location, MockResponse answer) {
        if (metadataPath != null) {
            answers.remove(metadataPath);
        }
        metadataPath = path(location);
        answers.put(metadataPath, answer);
        return this;
    }

    /** From now on, answer {@code path} with this status, {@code Content-Type} and body (the metadata stays where it is). */
    public IssuerServer answer(String path, int status, String contentType, String body) {
        answers.put(path, new MockResponse.Builder().code(status).setHeader("Content-Type", contentType).body(body)
                .build());
        return this;
    }

    /** From now on, publish these keys at {@code /jwks}. */
    public IssuerServer publish(TestKey... keys) {
        answers.put("/jwks", new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body(TestTokens.jwks(keys)).build());
        return this;
    }

    /** From now on, answer this status at {@code /jwks}. */
    public IssuerServer failJwksWith(int status) {
        answers.put("/jwks", new MockResponse.Builder().code(status).body("upstream trouble").build());
        return this;
    }

    /** The paths asked for so far, in order. */
    public List<String> requestedPaths() {
        return new ArrayList<>(requested);
    }

    /** How many times {@code path} was asked for. */
    public long requests(String path) {
        return requested.stream().filter(path::equals).count();
    }

    /** Metadata naming this issuer and JWKS endpoint, as an authorization server would publish it. */
    public static String metadata(String issuer, String jwksUri) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("token_endpoint", issuer + "/token");
        metadata.put("jwks_uri", jwksUri);
        metadata.put("response_types_supported", List.of("code"));
        return JSONObjectUtils.toJSONString(metadata);
    }

    @Override
    public void close() {
        server.close();
    }
}
