package io.github.oauthjwt.webflux;

import java.util.Objects;

import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A {@link WebFilter} that lets a request through only with a valid OAuth JWT access token.
 *
 * <p>For requests whose path matches the filter's {@linkplain OAuthJwtFilterBuilder#paths paths}, it reads the
 * bearer token from the {@code Authorization} header (RFC 6750 §2.1), finds the signing key by
 * {@code kid} in the {@link JwksKeySource}, verifies the signature and checks the claims (expiry,
 * issuer, audience, required scopes and claims; RFC 8725, RFC 9068). A verified request continues
 * down the chain with its {@link JwtClaims} in the exchange attributes
 * ({@link JwtClaims#ATTRIBUTE}) and the Reactor {@code Context} ({@link JwtClaims#CONTEXT_KEY}).
 * Any other request is answered here: 400 {@code invalid_request}, 401 (with {@code invalid_token}
 * or a bare challenge), 403 {@code insufficient_scope}, each with one {@code WWW-Authenticate}
 * header, or 503 with {@code Retry-After} when the signing keys cannot be had. Nothing a client
 * sends produces a 5xx. Sender-constrained tokens: DPoP ({@link OAuthJwtFilterBuilder#dpop}, RFC
 * 9449) and certificate-bound tokens ({@link OAuthJwtFilterBuilder#certificateBinding}, RFC 8705); a
 * bound token is never a bearer token.
 *
 * <p>CORS preflights ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
 * pass untouched by default: under the Fetch standard they never carry credentials, so refusing them
 * would lock every browser app on another origin out. The filter's {@linkplain #getOrder() order} is
 * {@link #DEFAULT_ORDER}, where Spring Security's filter chain sits; put a {@code CorsWebFilter}
 * before it (a lower order) so that refusals carry CORS headers a browser app can read.
 *
 * <p>Immutable, thread-safe, and non-blocking: with cached keys a request is verified on the thread
 * that calls the filter, without any hand-off.
 *
 * <pre>{@code
 * JwksKeySource keys = JwksKeySource.fromUri("https://login.example.com/oauth/v2/jwks");
 * WebFilter filter = OAuthJwtFilter.builder(keys)
 *         .issuer("https://login.example.com/oauth/v2")
 *         .audience("api.example.com")
 *         .requiredScopes("read")
 *         .paths("/api/**")
 *         .build();
 * }</pre>
 */
public final class OAuthJwtFilter implements WebFilter, Ordered {

    /**
     * The filter's order by default: {@code -100}, the place of Spring Security's
     * {@code WebFilterChainProxy}, after Spring's own early filters and before most application ones.
     */
    public static final int DEFAULT_ORDER = -100;

    private static final Log log = LogFactory.getLog(OAuthJwtFilter.class);

    private final ExchangeVerifier verifier;
    private final SecuredPaths paths;
    private final @Nullable ResourceMetadataEndpoint metadata;
    private final boolean passCorsPreflight;
    private final int order;

    OAuthJwtFilter(ExchangeVerifier verifier, SecuredPaths paths, @Nullable ResourceMetadataEndpoint metadata,
            boolean passCorsPreflight, int order) {
        this.verifier = verifier;
        this.paths = paths;
        this.metadata = metadata;
        this.passCorsPreflight = passCorsPreflight;
        this.order = order;
    }

    /** Options for a filter that trusts one issuer, whose keys come from {@code keys}. */
    public static OAuthJwtFilterBuilder builder(JwksKeySource keys) {
        return new OAuthJwtFilterBuilder(TrustedIssuers.single(keys), false);
    }

    /**
     * Options for a filter that trusts several issuers, picked by each token's {@code iss}; the
     * filter's {@link OAuthJwtFilterBuilder#audience audiences}, {@link OAuthJwtFilterBuilder#algorithms algorithms} and
     * {@link OAuthJwtFilterBuilder#requiredScopes scopes} apply to every issuer unless it has its own.
     */
    public static OAuthJwtFilterBuilder builder(TrustedIssuers issuers) {
        return new OAuthJwtFilterBuilder(Objects.requireNonNull(issuers, "issuers"), true);
    }

    @Override
    public int getOrder() {
        return order;
    }

    /**
     * Validates a bearer token exactly as the filter does for a request (signature, keys from the
     * cache, every claim rule), for code that checks tokens outside the filter, such as a Spring
     * Security {@code ReactiveAuthenticationManager}.
     *
     * <p>Emits one {@link Outcome} and never an error: {@link Verified} with the claims, or a
     * {@link Rejection} (401 {@code invalid_token}, 403 {@code insufficient_scope}, or 503 when the
     * signing keys cannot be had). Completes on the caller's thread when the keys are cached;
     * otherwise on the HTTP client's event loop once they are fetched. Never blocks. With an
     * {@linkplain OAuthJwtFilterBuilder#observationRegistry observation registry}, each call is one
     * {@code oauth.jwt.validation} observation, as a request through the filter is.
     *
     * @param token the compact JWT, without the {@code Bearer } prefix
     */
    public Mono<Outcome> validate(String token) {
        return verifier.validate(Objects.requireNonNull(token, "token"));
    }

    /**
     * Answers the exchange with this rejection exactly as the filter would: its status, one
     * {@code WWW-Authenticate} challenge with this filter's realm and resource metadata on 400, 401
     * and 403, {@code Retry-After} on 503, {@code Cache-Control: no-store} and the small JSON body.
     * Completes when the response is written.
     */
    public Mono<Void> reject(ServerWebExchange exchange, Rejection rejection) {
        return verifier.reject(Objects.requireNonNull(exchange, "exchange"), Objects.requireNonNull(rejection, "rejection"));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (metadata != null && metadata.serves(exchange.getRequest())) {
            return metadata.write(exchange);
        }
        if (!paths.cover(exchange.getRequest())
                || (passCorsPreflight && CorsUtils.isPreFlightRequest(exchange.getRequest()))) {
            return chain.filter(exchange);
        }
        return verifier.verify(exchange, chain);
    }
}
