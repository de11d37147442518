package io.github.oauthjwt.webflux.jwks;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Fetches a JWKS document over HTTP with a non-blocking {@link WebClient}: one GET, a capped body,
 * a 2xx status required, and the response's {@code Cache-Control: max-age} reported so the cache
 * can honour it. Failures are emitted as {@link JwksFetchException} (or the client's own I/O
 * exceptions); nothing here retries, caches or times out, which the caller composes around it.
 */
final class JwksFetcher {

    private final URI uri;
    private final WebClient client;
    private final int maxBodyBytes;

    JwksFetcher(URI uri, WebClient client, int maxBodyBytes) {
        this.uri = uri;
        this.maxBodyBytes = maxBodyBytes;
        this.client = client.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxBodyBytes)).build();
    }

    /** A fetched JWKS body with what the response said about caching it. */
    record Response(int status, String body, @Nullable Duration maxAge) {
    }

    /** Emits the response once the whole body is read; errors on a non-2xx status or an oversized body. */
    Mono<Response> fetch() {
        return client.get()
                .uri(uri)
                .accept(MediaType.APPLICATION_JSON, MediaType.valueOf("application/jwk-set+json"))
                .exchangeToMono(this::read)
                .onErrorMap(DataBufferLimitException.class,
                        e -> new JwksFetchException("the response body is larger than " + maxBodyBytes + " bytes"));
    }

    private Mono<Response> read(ClientResponse response) {
        int status = response.statusCode().value();
        if (!response.statusCode().is2xxSuccessful()) {
            return response.releaseBody().then(Mono.error(new JwksFetchException("HTTP status " + status)));
        }
        long declaredLength = response.headers().contentLength().orElse(-1);
        if (declaredLength > maxBodyBytes) {
            return response.releaseBody().then(Mono.error(new JwksFetchException(
                    "the response body is larger than " + maxBodyBytes + " bytes")));
        }
        Duration maxAge = maxAge(response.headers().asHttpHeaders());
        return response.bodyToMono(String.class)
                .defaultIfEmpty("")
                .map(body -> new Response(status, body, maxAge));
    }

    /**
     * The freshness lifetime the response grants (RFC 9111 §5.2.2.1): {@code max-age}, or zero for
     * {@code no-cache} and {@code no-store}; {@code null} when it says nothing.
     */
    static @Nullable Duration maxAge(HttpHeaders headers) {
        Duration result = null;
        for (String header : headers.getOrEmpty(HttpHeaders.CACHE_CONTROL)) {
            for (String directive : header.split(",")) {
                String d = directive.trim().toLowerCase(Locale.ROOT);
                if (d.equals("no-cache") || d.equals("no-store")) {
                    return Duration.ZERO;
                }
                if (d.startsWith("max-age=")) {
                    String value = d.substring("max-age=".length()).replace("\"", "");
                    try {
                        long seconds = Long.parseLong(value);
                        if (seconds >= 0) {
                            result = Duration.ofSeconds(seconds);
                        }
                    } catch (NumberFormatException ignored) {
                        // An unparsable max-age says nothing (RFC 9111 §4.2.1); the default TTL applies.
                    }
                }
            }
        }
        return result;
    }
}
