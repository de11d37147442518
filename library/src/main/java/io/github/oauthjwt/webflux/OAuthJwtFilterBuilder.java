package io.github.oauthjwt.webflux;

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
import io.github.oauthjwt.webflux.mtls.CertificateBinding;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.WebFilter;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Options of an {@link OAuthJwtFilter}, validated by {@link #build()}. Every option has a
 * default; set at least {@link #issuer} and {@link #audience} for a production API.
 */
public final class OAuthJwtFilterBuilder {

    private static final Log log = LogFactory.getLog(OAuthJwtFilter.class);

    /** The algorithms accepted by default: the asymmetric ones of RFC 7518 and EdDSA with Ed25519. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = ValidationPolicy.ASYMMETRIC_ALGORITHMS;
    /** The {@code typ} values accepted by default besides none at all (RFC 9068 §2.1, RFC 7519 §5.1). */
    public static final List<String> DEFAULT_TOKEN_TYPES = List.of("at+jwt", "jwt");
    /** The default tolerance for clock differences on {@code exp}, {@code nbf} and {@code iat}. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    /** The default longest token, in characters, that is decoded at all. */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 8 * 1024;
    /**
     * The default largest decoded JOSE header, in bytes: ample for {@code alg}, {@code typ},
     * {@code kid} and thumbprints, and even an {@code x5c} certificate (which is never read).
     */
    public static final int DEFAULT_MAX_HEADER_BYTES = 4 * 1024;
    /**
     * The default largest decoded claims set, in bytes. With the default token length the token
     * is the tighter bound (about 6 KiB of claims); this one matters once that is raised.
     */
    public static final int DEFAULT_MAX_CLAIMS_BYTES = 16 * 1024;
    /** The default deepest JSON nesting in header and claims; access tokens need three or four. */
    public static final int DEFAULT_MAX_JSON_DEPTH = 16;
    /** The default number of verified tokens remembered; see {@link #verifiedTokenCacheSize}. */
    public static final long DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = TokenValidator.DEFAULT_VERIFIED_TOKEN_CACHE_SIZE;
    /** The shortest HMAC secret accepted, in bytes (RFC 7518 §3.2: at least the hash size). */
    public static final int MIN_HMAC_SECRET_BYTES = ValidationPolicy.MIN_HMAC_SECRET_BYTES;

    private final TrustedIssuers issuers;
    private final boolean several;
    private @Nullable String issuer;
    private final Set<String> audiences = new LinkedHashSet<>();
    private final Set<String> requiredScopes = new LinkedHashSet<>();
    private final List<RequiredClaim> requiredClaims = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    private final List<String> additionalScopeClaims = new ArrayList<>();
    private final List<TokenRule> rules = new ArrayList<>();
    private boolean passCorsPreflight = true;
    private int order = OAuthJwtFilter.DEFAULT_ORDER;
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
    private @Nullable ResourceMetadata resourceMetadata;
    private DpopOptions dpop = DpopOptions.disabled();
    private @Nullable CertificateBinding certificates;
    private @Nullable ObservationRegistry observationRegistry;

    OAuthJwtFilterBuilder(TrustedIssuers issuers, boolean several) {
        this.issuers = issuers;
        this.several = several;
    }

    /** The exact {@code iss} tokens must carry (RFC 9068 §4); with several issuers, each has its own. */
    public OAuthJwtFilterBuilder issuer(String issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        return this;
    }

    /** An audience the token's {@code aud} must hold; several calls accept any of them. */
    public OAuthJwtFilterBuilder audience(String audience) {
        this.audiences.add(Objects.requireNonNull(audience, "audience"));
        return this;
    }

    /** Scopes every token must grant, from its {@code scope} or {@code scp} claim; 403 otherwise. */
    public OAuthJwtFilterBuilder requiredScopes(String... scopes) {
        this.requiredScopes.addAll(Arrays.asList(scopes));
        return this;
    }

    /**
     * Further claims to read granted scopes from, besides {@code scope} and {@code scp}: for
     * example Auth0's {@code permissions}. Each may be a space-delimited string or an array of
     * strings, like the two defaults.
     */
    public OAuthJwtFilterBuilder additionalScopeClaims(String... claimNames) {
        this.additionalScopeClaims.addAll(Arrays.asList(claimNames));
        return this;
    }

    /** A claim every token must carry, whatever its value; 403 otherwise. */
    public OAuthJwtFilterBuilder requiredClaim(String name) {
        this.requiredClaims.add(new RequiredClaim(name, null));
        return this;
    }

    /** A claim every token must carry with this value (or, for an array, hold it); 403 otherwise. */
    public OAuthJwtFilterBuilder requiredClaim(String name, String value) {
        this.requiredClaims.add(new RequiredClaim(name, Objects.requireNonNull(value, "claim value")));
        return this;
    }

    /**
     * The paths the filter secures, as Spring {@link PathPattern}s such as {@code /api/**};
     * other requests pass untouched. Without any, every path is secured.
     */
    public OAuthJwtFilterBuilder paths(String... patterns) {
        this.paths.addAll(Arrays.asList(patterns));
        return this;
    }

    /** The accepted {@code alg} values, replacing {@link #DEFAULT_ALGORITHMS}; never {@code none}. */
    public OAuthJwtFilterBuilder algorithms(String... algorithms) {
        this.algorithms = ValidationPolicy.algorithmsNamed(algorithms);
        return this;
    }

    /**
     * The accepted {@code typ} values (compared without case and without {@code application/}),
     * replacing {@link #DEFAULT_TOKEN_TYPES}.
     *
     * @param required whether a token without {@code typ} is refused
     */
    public OAuthJwtFilterBuilder tokenTypes(boolean required, String... types) {
        this.tokenTypes = List.of(types);
        this.typeRequired = required;
        return this;
    }

    /** The tolerance for clock differences on the time claims. */
    public OAuthJwtFilterBuilder clockSkew(Duration clockSkew) {
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        return this;
    }

    /** The clock the time claims are checked against. */
    public OAuthJwtFilterBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Accept HS256, HS384 and HS512 tokens signed with this shared secret (at least 32 bytes), as
     * well as the algorithms already allowed. Without it HMAC tokens are always refused.
     */
    public OAuthJwtFilterBuilder hmacSecret(byte[] secret) {
        this.hmacSecret = Objects.requireNonNull(secret, "secret").clone();
        return this;
    }

    /** Accept HMAC tokens signed with this shared secret, UTF-8 encoded; see {@link #hmacSecret(byte[])}. */
    public OAuthJwtFilterBuilder hmacSecret(String secret) {
        return hmacSecret(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
    }

    /** The longest token, in characters, that is decoded at all; longer ones are refused at once. */
    public OAuthJwtFilterBuilder maxTokenLength(int maxTokenLength) {
        this.maxTokenLength = maxTokenLength;
        return this;
    }

    /** The largest JOSE header, in decoded bytes, that is parsed; larger ones are refused before decoding. */
    public OAuthJwtFilterBuilder maxHeaderBytes(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        return this;
    }

    /** The largest claims set, in decoded bytes, that is parsed; larger ones are refused before decoding. */
    public OAuthJwtFilterBuilder maxClaimsBytes(int maxClaimsBytes) {
        this.maxClaimsBytes = maxClaimsBytes;
        return this;
    }

    /**
     * The deepest nesting of JSON objects and arrays accepted in the header and the claims (the
     * top-level object counts as one); deeper ones are refused before they are parsed.
     */
    public OAuthJwtFilterBuilder maxJsonDepth(int maxJsonDepth) {
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
    public OAuthJwtFilterBuilder verifiedTokenCacheSize(long verifiedTokenCacheSize) {
        this.verifiedTokenCacheSize = verifiedTokenCacheSize;
        return this;
    }

    /**
     * A rule of the application's own, run after the built-in ones on every request; see
     * {@link TokenRule}. Several calls run several rules, in the order added.
     */
    public OAuthJwtFilterBuilder rule(TokenRule rule) {
        this.rules.add(Objects.requireNonNull(rule, "rule"));
        return this;
    }

    /**
     * Whether CORS preflight requests pass the filter untouched ({@code true} by default). Turn
     * it off only when something before this filter answers preflights itself.
     */
    public OAuthJwtFilterBuilder passCorsPreflight(boolean pass) {
        this.passCorsPreflight = pass;
        return this;
    }

    /** The filter's order among the {@code WebFilter}s ({@link OAuthJwtFilter#DEFAULT_ORDER} by default). */
    public OAuthJwtFilterBuilder order(int order) {
        this.order = order;
        return this;
    }

    /** A {@code realm} for the {@code WWW-Authenticate} challenges (RFC 6750 §3). */
    public OAuthJwtFilterBuilder realm(String realm) {
        this.realm = Objects.requireNonNull(realm, "realm");
        return this;
    }

    /**
     * Publish this protected-resource metadata (RFC 9728) at its well-known path, and point every
     * challenge at it with {@code resource_metadata}; see {@link ResourceMetadata}.
     */
    public OAuthJwtFilterBuilder resourceMetadata(ResourceMetadata metadata) {
        this.resourceMetadata = Objects.requireNonNull(metadata, "metadata");
        return this;
    }

    /**
     * Whether and how DPoP-bound tokens (RFC 9449) are accepted; off without it. A token bound to
     * a DPoP key ({@code cnf.jkt}) is never accepted as a bearer token, whatever the options.
     */
    public OAuthJwtFilterBuilder dpop(DpopOptions dpop) {
        this.dpop = Objects.requireNonNull(dpop, "dpop");
        return this;
    }

    /** Check certificate-bound tokens (RFC 8705 §3); without it, a token with {@code cnf.x5t#S256} is refused. */
    public OAuthJwtFilterBuilder certificateBinding(CertificateBinding binding) {
        this.certificates = Objects.requireNonNull(binding, "binding");
        return this;
    }

    /**
     * Observe each secured request's validation in this registry (README.md, "Metrics and traces"):
     * one {@code oauth.jwt.validation} observation per request, with the low-cardinality keys
     * {@code outcome}, {@code reason}, {@code alg} and {@code cache}, a timer and a span with
     * Micrometer's handlers. Paths the filter does not secure and CORS preflights are not observed.
     * Without it (the default) the filter makes no observation and needs no Micrometer class.
     */
    public OAuthJwtFilterBuilder observationRegistry(ObservationRegistry registry) {
        this.observationRegistry = Objects.requireNonNull(registry, "observationRegistry");
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
        if (several && issuer != null) {
            throw new IllegalArgumentException("issuer is set per TrustedIssuer when the filter trusts several");
        }
        if (!several && (issuer == null || audiences.isEmpty())) {
            log.warn("OAuthJwtFilter accepts tokens " + (issuer == null ? "from any issuer" : "")
                    + (issuer == null && audiences.isEmpty() ? " and " : "")
                    + (audiences.isEmpty() ? "for any audience" : "")
                    + " its keys verify; set issuer(...) and audience(...) for production");
        }
        TokenValidator validator = new TokenValidator(policy, issuers.selector(policy), verifiedTokenCacheSize);
        SenderConstraints senders = new SenderConstraints(dpop, certificates, clock, realm);
        ResourceMetadataEndpoint metadata = resourceMetadata == null ? null : new ResourceMetadataEndpoint(resourceMetadata,
                several ? issuers.listed() : issuer != null ? List.of(issuer) : List.of(), senders.dpopAlgorithms());
        ValidationObserver observer = observationRegistry == null ? null : new ValidationObservations(observationRegistry);
        return new OAuthJwtFilter(new ExchangeVerifier(validator, senders, metadata, observer), new SecuredPaths(paths),
                metadata, passCorsPreflight, order);
    }
}
