package io.github.oauthjwt.webflux;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Serves a filter's {@link ResourceMetadata} (RFC 9728 §3) and says where it is, for the
 * {@code resource_metadata} parameter of challenges (§5.1). With a configured resource identifier
 * the document and its URL are fixed; without one, both follow each request's origin. Immutable.
 */
final class ResourceMetadataEndpoint {

    private final @Nullable String resource;
    private final String path;
    private final @Nullable String fixedUrl;
    private final List<String> authorizationServers;
    private final List<String> scopesSupported;
    private final List<String> dpopAlgorithms;

    /**
     * @param issuers the issuers the filter trusts, named when the metadata names no authorization server
     * @param dpopAlgorithms the DPoP proof algorithms the filter accepts; empty while DPoP is off
     */
    ResourceMetadataEndpoint(ResourceMetadata metadata, List<String> issuers, List<String> dpopAlgorithms) {
        URI configured = metadata.resource();
        String resourcePath = configured == null || configured.getRawPath() == null ? "" : configured.getRawPath();
        this.path = ResourceMetadata.WELL_KNOWN_PATH
                + (resourcePath.endsWith("/") ? resourcePath.substring(0, resourcePath.length() - 1) : resourcePath);
        this.resource = configured == null ? null : configured.toString();
        this.fixedUrl = configured == null ? null : origin(configured) + path;
        this.authorizationServers = metadata.authorizationServers().isEmpty() ? List.copyOf(issuers)
                : metadata.authorizationServers();
        this.scopesSupported = metadata.scopesSupported();
        this.dpopAlgorithms = List.copyOf(dpopAlgorithms);
    }

    /** Whether this request asks for the metadata: a GET or HEAD of its well-known path. */
    boolean serves(ServerHttpRequest request) {
        HttpMethod method = request.getMethod();
        return (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))
                && path.equals(request.getPath().pathWithinApplication().value());
    }

    /** The metadata's absolute URL, as a client that sent this request should fetch it. */
    String url(ServerHttpRequest request) {
        return fixedUrl != null ? fixedUrl : origin(request.getURI()) + path;
    }

    /** Answers the exchange with the metadata document. */
    Mono<Void> write(ServerWebExchange exchange) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "max-age=3600");
        byte[] body = document(resource != null ? resource : origin(exchange.getRequest().getURI()))
                .getBytes(StandardCharsets.UTF_8);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    /** The JSON document for this resource identifier, members in the order of RFC 9728 §2 (DPoP last). */
    String document(String resourceId) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("resource", resourceId);
        if (!authorizationServers.isEmpty()) {
            document.put("authorization_servers", authorizationServers);
        }
        if (!scopesSupported.isEmpty()) {
            document.put("scopes_supported", scopesSupported);
        }
        document.put("bearer_methods_supported", List.of("header"));
        if (!dpopAlgorithms.isEmpty()) {
            document.put("dpop_signing_alg_values_supported", dpopAlgorithms);
        }
        return JSONObjectUtils.toJSONString(document);
    }

    /** {@code scheme://host[:port]}, without a port that is the scheme's default. */
    static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (port == 443 && scheme.equals("https")) || (port == 80 && scheme.equals("http"));
        return scheme + "://" + uri.getHost() + (defaultPort ? "" : ":" + port);
    }
}
