package io.github.oauthjwt.webflux;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Turns a {@link Rejection} into an HTTP response, the one place where that happens: the status,
 * the {@code WWW-Authenticate} challenges on 400, 401 and 403 (one, or with DPoP allowed two; see
 * {@link Challenges}), {@code Retry-After} on 503,
 * {@code Cache-Control: no-store}, and a small JSON body naming the error. Used by the filter (on
 * the raw exchange) and by route-level checks (as a {@link ServerResponse}). Stateless.
 */
final class RejectionResponses {

    private RejectionResponses() {
    }

    /**
     * Writes the rejection to the exchange's response, with the challenge {@code challenges} gives
     * for a request that used the DPoP scheme or not (and {@code resource_metadata} when given), and
     * completes when it is sent.
     */
    public static Mono<Void> write(ServerWebExchange exchange, Rejection rejection, Challenges challenges,
            boolean dpopRequest, @Nullable String resourceMetadata) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(rejection.status()));
        applyHeaders(response.getHeaders(), rejection,
                rejection.isChallenge() ? challenges.headerValues(rejection, dpopRequest, resourceMetadata) : List.of());
        String body = BearerChallenge.body(rejection);
        if (body == null) {
            return response.setComplete();
        }
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.US_ASCII));
        return response.writeWith(Mono.just(buffer));
    }

    /** The rejection as a functional-endpoint response. */
    public static Mono<ServerResponse> toServerResponse(Rejection rejection, @Nullable String realm,
            @Nullable String resourceMetadata) {
        ServerResponse.BodyBuilder builder = ServerResponse.status(rejection.status())
                .headers(headers -> applyHeaders(headers, rejection,
                        rejection.isChallenge() ? List.of(BearerChallenge.headerValue(rejection, realm, resourceMetadata)) : List.of()));
        String body = BearerChallenge.body(rejection);
        return body == null ? builder.build() : builder.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    }

    private static void applyHeaders(HttpHeaders headers, Rejection rejection, List<String> challenges) {
        if (!challenges.isEmpty()) {
            headers.put(HttpHeaders.WWW_AUTHENTICATE, challenges);
        }
        if (rejection.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(rejection.retryAfter().toSeconds()));
        }
        headers.setCacheControl("no-store");
    }
}
