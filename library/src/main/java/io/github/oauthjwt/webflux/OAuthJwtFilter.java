package io.github.oauthjwt.webflux;

import static java.util.stream.Collectors.toCollection;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.webflux.mtls.CertificateBinding;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A {@link WebFilter} that lets a request through only with a valid OAuth JWT access token.
 *
 * <p>For requests whose path matches the filter's {@linkplain Builder#paths paths}, it reads the
 * bearer token from the {@code Authorization} header (RFC 6750 §2.1), finds the signing key by
 * {@code kid} in the {@link JwksKeySource}, verifies the signature and checks the claims (expiry,
 * issuer, audience, required scopes and claims; RFC 8725, RFC 9068). A verified request continues
 * down the chain with its {@link JwtClaims} in the exchange attributes
 * ({@link JwtClaims#ATTRIBUTE}) and the Reactor {@code Context} ({@link JwtClaims#CONTEXT_KEY}).
 * Any other request is answered here: 400 {@code invalid_request}, 401 (with {@code invalid_token}
 * or a bare challenge), 403 {@code insufficient_scope}, each with one {@code WWW-Authenticate}
 * header, or 503 with {@code Retry-After} when the signing keys cannot be had. Nothing a client
 * sends produces a 5xx. Sender-constrained tokens: DPoP ({@link Builder#dpop}, RFC 9449) and
 * certificate-bound tokens ({@link Builder#certificateBinding}, RFC 8705); a bound token is never a bearer token.
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

    private final ExchangeVerifier verifier;
    private final SecuredPaths paths;
    private final boolean passCorsPreflight;
    private final int order;

    private OAuthJwtFilter(ExchangeVerifier verifier, Builder options, SecuredPaths paths) {
        this.verifier = verifier;
        this.paths = paths;
        this.passCorsPreflight = options.passCorsPreflight;
        this.order = options.order;
    }

    /** Options for a filter that takes its keys from {@code keys}. */
    public static Builder builder(JwksKeySource keys) {
        return new Builder(keys);
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!paths.cover(exchange.getRequest())
                || (passCorsPreflight && CorsUtils.isPreFlightRequest(exchange.getRequest()))) {
            return chain.filter(exchange);
        }
        return verifier.verify(exchange, chain);
    }

    /**
     * Options of an {@link OAuthJwtFilter}, validated by {@link #build()}. Every option has a
     * default; set at least {@link #issuer} and {@link #audience} for a production API.
     */
    public static final class Builder {

        /** The algorithms accepted by default: the asymmetric ones of RFC 7518 and EdDSA with Ed25519. */
        public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = ValidationPolicy.ASYMMETRIC_ALGORITHMS;
        /** The {@code typ} values accepted by default besides none at all (RFC 9068 §2.1, RFC 7519 §5.1). */
        public static final List<String> DEFAULT_TOKEN_TYPES = List.of("at+jwt", "jwt");
        /** The default tolerance for clock differences on {@code exp}, {@code nbf} and {@code iat}. */
        public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
        /** The default longest token, in characters, that is decoded at all. */
        public static final int DEFAULT_MAX_TOKEN_LENGTH = 8 * 1024;
        /** The default largest decoded JOSE header, in bytes: ample even for an {@code x5c} certificate (never read). */
        public static final int DEFAULT_MAX_HEADER_BYTES = 4 * 1024;
        /** The default largest decoded claims set, in bytes; the token length (about 6 KiB of claims) binds first. */
        public static final int DEFAULT_MAX_CLAIMS_BYTES = 16 * 1024;
        /** The default deepest JSON nesting in header and claims; access tokens need three or four. */
        public static final int DEFAULT_MAX_JSON_DEPTH = 16;
        /** The default number of verified tokens remembered; see {@link #verifiedTokenCacheSize}. */
        public static final long DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = TokenValidator.DEFAULT_VERIFIED_TOKEN_CACHE_SIZE;
        /** The shortest HMAC secret accepted, in bytes (RFC 7518 §3.2: at least the hash size). */
        public static final int MIN_HMAC_SECRET_BYTES = ValidationPolicy.MIN_HMAC_SECRET_BYTES;

        private final JwksKeySource keys;
        private @Nullable String issuer;
        private final Set<String> audiences = new LinkedHashSet<>();
        private final Set<String> requiredScopes = new LinkedHashSet<>();
        private final List<RequiredClaim> requiredClaims = new ArrayList<>();
        private final List<String> paths = new ArrayList<>();
        private final List<String> additionalScopeClaims = new ArrayList<>();
        private final List<TokenRule> rules = new ArrayList<>();
        private boolean passCorsPreflight = true;
        private int order = DEFAULT_ORDER;
        private Set<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
        private List<String> tokenTypes = DEFAULT_TOKEN_TYPES;
        private boolean typeRequired;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Clock clock = Clock.systemUTC();
        private byte @Nullable [] hmacSecret;
        private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private int maxClaimsBytes = DEFAULT_MAX_CLAIMS_BYTES;
        private int maxJsonDepth = DEFAULT_MAX_JSON_DEPTH;
        private long verifiedTokenCacheSize = DEFAULT_VERIFIED_TOKEN_CACHE_SIZE;
        private @Nullable String realm;
        private DpopOptions dpop = DpopOptions.disabled();
        private @Nullable CertificateBinding certificates;

        private Builder(JwksKeySource keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
        }

        /** The exact {@code iss} tokens must carry (RFC 9068 §4). */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** An audience the token's {@code aud} must hold; several calls accept any of them. */
        public Builder audience(String audience) {
            this.audiences.add(Objects.requireNonNull(audience, "audience"));
            return this;
        }

        /** Scopes every token must grant, from its {@code scope} or {@code scp} claim; 403 otherwise. */
        public Builder requiredScopes(String... scopes) {
            this.requiredScopes.addAll(Arrays.asList(scopes));
            return this;
        }

        /**
         * Further claims to read granted scopes from, besides {@code scope} and {@code scp}: for
         * example Auth0's {@code permissions}. Each may be a space-delimited string or an array of
         * strings, like the two defaults.
         */
        public Builder additionalScopeClaims(String... claimNames) {
            this.additionalScopeClaims.addAll(Arrays.asList(claimNames));
            return this;
        }

        /** A claim every token must carry, whatever its value; 403 otherwise. */
        public Builder requiredClaim(String name) {
            this.requiredClaims.add(new RequiredClaim(name, null));
            return this;
        }

        /** A claim every token must carry with this value (or, for an array, hold it); 403 otherwise. */
        public Builder requiredClaim(String name, String value) {
            this.requiredClaims.add(new RequiredClaim(name, Objects.requireNonNull(value, "claim value")));
            return this;
        }

        /**
         * The paths the filter secures, as Spring {@link PathPattern}s such as {@code /api/**};
         * other requests pass untouched. Without any, every path is secured.
         */
        public Builder paths(String... patterns) {
            this.paths.addAll(Arrays.asList(patterns));
            return this;
        }

        /** The accepted {@code alg} values, replacing {@link #DEFAULT_ALGORITHMS}; never {@code none}. */
        public Builder algorithms(String... algorithms) {
            this.algorithms = Arrays.stream(algorithms).map(JWSAlgorithm::parse).collect(toCollection(LinkedHashSet::new));
            return this;
        }

        /**
         * The accepted {@code typ} values (compared without case and without {@code application/}),
         * replacing {@link #DEFAULT_TOKEN_TYPES}.
         *
         * @param required whether a token without {@code typ} is refused
         */
        public Builder tokenTypes(boolean required, String... types) {
            this.tokenTypes = List.of(types);
            this.typeRequired = required;
            return this;
        }

        /** The tolerance for clock differences on the time claims. */
        public Builder clockSkew(Duration clockSkew) {
            this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
            return this;
        }

        /** The clock the time claims are checked against. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Accept HS256, HS384 and HS512 tokens signed with this shared secret (at least 32 bytes), as
         * well as the algorithms already allowed. Without it HMAC tokens are always refused.
         */
        public Builder hmacSecret(byte[] secret) {
            this.hmacSecret = Objects.requireNonNull(secret, "secret").clone();
            return this;
        }

        /** Accept HMAC tokens signed with this shared secret, UTF-8 encoded; see {@link #hmacSecret(byte[])}. */
        public Builder hmacSecret(String secret) {
            return hmacSecret(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
        }

        /** The longest token, in characters, that is decoded at all; longer ones are refused at once. */
        public Builder maxTokenLength(int maxTokenLength) {
            this.maxTokenLength = maxTokenLength;
            return this;
        }

        /** The largest JOSE header, in decoded bytes, that is parsed; larger ones are refused before decoding. */
        public Builder maxHeaderBytes(int maxHeaderBytes) {
            this.maxHeaderBytes = maxHeaderBytes;
            return this;
        }

        /** The largest claims set, in decoded bytes, that is parsed; larger ones are refused before decoding. */
        public Builder maxClaimsBytes(int maxClaimsBytes) {
            this.maxClaimsBytes = maxClaimsBytes;
            return this;
        }

        /**
         * The deepest nesting of JSON objects and arrays accepted in the header and the claims (the
         * top-level object counts as one); deeper ones are refused before they are parsed.
         */
        public Builder maxJsonDepth(int maxJsonDepth) {
            this.maxJsonDepth = maxJsonDepth;
            return this;
        }

        /**
         * How many verified tokens to remember, so that a client sending the same token again is
         * not made to wait for its signature to be checked again; {@code 0} checks every signature.
         * A remembered token still has its time claims and every claim rule checked on each request,
         * is forgotten at its {@code exp}, and is forgotten when the key that verified it leaves the
         * JWKS. Each entry holds the token and its claims, typically a few kilobytes.
         */
        public Builder verifiedTokenCacheSize(long verifiedTokenCacheSize) {
            this.verifiedTokenCacheSize = verifiedTokenCacheSize;
            return this;
        }

        /**
         * A rule of the application's own, run after the built-in ones on every request; see
         * {@link TokenRule}. Several calls run several rules, in the order added.
         */
        public Builder rule(TokenRule rule) {
            this.rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * Whether CORS preflight requests pass the filter untouched ({@code true} by default). Turn
         * it off only when something before this filter answers preflights itself.
         */
        public Builder passCorsPreflight(boolean pass) {
            this.passCorsPreflight = pass;
            return this;
        }

        /** The filter's order among the {@code WebFilter}s ({@link #DEFAULT_ORDER} by default). */
        public Builder order(int order) {
            this.order = order;
            return this;
        }

        /** A {@code realm} for the {@code WWW-Authenticate} challenges (RFC 6750 §3). */
        public Builder realm(String realm) {
            this.realm = Objects.requireNonNull(realm, "realm");
            return this;
        }

        /**
         * Whether and how DPoP-bound tokens (RFC 9449) are accepted; off without it. A token bound to
         * a DPoP key ({@code cnf.jkt}) is never accepted as a bearer token, whatever the options.
         */
        public Builder dpop(DpopOptions dpop) {
            this.dpop = Objects.requireNonNull(dpop, "dpop");
            return this;
        }

        /** Check certificate-bound tokens (RFC 8705 §3); without it, a token with {@code cnf.x5t#S256} is refused. */
        public Builder certificateBinding(CertificateBinding binding) {
            this.certificates = Objects.requireNonNull(binding, "binding");
            return this;
        }

        /**
         * The filter.
         *
         * @throws IllegalArgumentException naming the option that is out of range or contradicts another
         */
        public OAuthJwtFilter build() {
            ValidationPolicy policy = new ValidationPolicy(issuer, audiences, requiredScopes, requiredClaims,
                    algorithms, new LinkedHashSet<>(tokenTypes), typeRequired, clockSkew, clock, hmacSecret, maxTokenLength,
                    maxHeaderBytes, maxClaimsBytes, maxJsonDepth, ScopeClaims.withAdditional(additionalScopeClaims),
                    rules);
            policy.warnIfOpen();
            return new OAuthJwtFilter(new ExchangeVerifier(new TokenValidator(policy, keys, verifiedTokenCacheSize),
                    new SenderConstraints(dpop, certificates, clock, realm)), this, new SecuredPaths(paths));
        }
    }
}
