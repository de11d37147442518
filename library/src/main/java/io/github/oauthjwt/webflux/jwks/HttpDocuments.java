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
 * Reads small JSON documents (a JWKS, an authorization server's metadata) over HTTP with a
 * non-blocking {@link WebClient}: one GET, a capped body, and the response's
 * {@code Cache-Control: max-age} reported so the caller can honour it. A non-2xx answer is a
 * {@link Response} with an empty body, for the caller to judge; an oversized body is a
 * {@link JwksFetchException}. Nothing here retries, caches or times out, which callers compose
 * around it.
 */
final class HttpDocuments {

    private final WebClient client;
    private final int maxBodyBytes;

    HttpDocuments(WebClient client, int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.client = client.mutate().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxBodyBytes)).build();
    }

    /** A fetched document with what the response said about caching it; the body is empty unless 2xx. */
    record Response(URI uri, int status, String body, @Nullable Duration maxAge) {

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Emits the response once the whole body is read; errors on an oversized body or on I/O failure. */
    Mono<Response> get(URI uri, MediaType... accept) {
        return client.get()
                .uri(uri)
                .accept(accept)
                .exchangeToMono(response -> read(uri, response))
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge());
    }

    private Mono<Response> read(URI uri, ClientResponse response) {
        int status = response.statusCode().value();
        if (!response.statusCode().is2xxSuccessful()) {
            return response.releaseBody().thenReturn(new Response(uri, status, "", null));
        }
        long declaredLength = response.headers().contentLength().orElse(-1);
        if (declaredLength > maxBodyBytes) {
            return response.releaseBody().then(Mono.error(tooLarge()));
        }
        Duration maxAge = maxAge(response.headers().asHttpHeaders());
        return response.bodyToMono(String.class)
                .defaultIfEmpty("")
                .map(body -> new Response(uri, status, body, maxAge));
    }

    private JwksFetchException tooLarge() {
        return new JwksFetchException("the response body is larger than " + maxBodyBytes + " bytes");
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
