package io.github.oauthjwt.example;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.ResourceMetadata;
import io.github.oauthjwt.webflux.TrustedIssuer;
import io.github.oauthjwt.webflux.TrustedIssuers;
import io.github.oauthjwt.webflux.OAuthJwtFilterBuilder;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code oauth-jwt.*} settings of the example, bound from {@code application.yml}, the command
 * line ({@code --oauth-jwt.issuer=...}) or the environment ({@code OAUTH_JWT_ISSUER=...}), and how
 * they map onto the library's two builders.
 *
 * <p>Which authorization server the app trusts: the one {@link #issuer} names (its keys found
 * through its metadata, or at {@link #jwksUri}), or each of {@link #issuers}; with none of the three
 * set, the embedded demo issuer stands in. Only {@link #audience} must always be set
 * ({@code application.yml} sets it to the demo issuer's). Every other option left unset keeps the
 * library's own default, so the defaults live in one place: the constants of
 * {@link OAuthJwtFilterBuilder} and {@link JwksKeySource.Builder}. Bad values are refused when the
 * application starts.
 *
 * @param jwksUri the authorization server's JWKS endpoint; when blank, it is found in the issuer's
 *     metadata
 * @param issuer the exact {@code iss} tokens must carry; without {@code jwksUri}, the keys are
 *     found through its metadata ({@code {issuer}/.well-known/openid-configuration} or the RFC 8414
 *     forms); with {@code jwksUri} alone it defaults to {@value #LEGACY_ISSUER}
 * @param issuers several trusted authorization servers, each with its own audience, required
 *     scopes and keys, instead of {@code issuer}
 * @param audience the audiences a token's {@code aud} may hold (any one of them suffices)
 * @param requiredScopes scopes every token on {@code /api/**} must grant (403 otherwise)
 * @param additionalScopeClaims further claims to read scopes from besides {@code scope} and
 *     {@code scp}, such as Auth0's {@code permissions}
 * @param requiredClaims claims every token must carry, name to value; an empty value requires only
 *     the claim's presence
 * @param clockSkew the tolerance on {@code exp}, {@code nbf} and {@code iat}
 * @param algorithms the accepted {@code alg} values
 * @param tokenTypes the accepted {@code typ} values
 * @param tokenTypeRequired whether a token without {@code typ} is refused
 * @param maxTokenLength the longest token, in characters, that is decoded at all
 * @param maxHeaderBytes the largest decoded JOSE header, in bytes
 * @param maxClaimsBytes the largest decoded claims set, in bytes
 * @param maxJsonDepth the deepest nesting of JSON objects and arrays in header and claims
 * @param hmacSecret a shared secret (at least 32 bytes, UTF-8) to also accept HS256/384/512 tokens;
 *     unset, HMAC tokens are always refused
 * @param realm the {@code realm} of the {@code WWW-Authenticate} challenges
 * @param resource the API's resource identifier (RFC 9728), such as {@code https://api.example.com};
 *     unset, each request's own origin
 * @param scopesSupported the scopes the protected-resource metadata lists
 * @param resourceMetadata whether the protected-resource metadata is published
 * @param jwks the key cache's options
 */
@ConfigurationProperties("oauth-jwt")
public record OAuthJwtProperties(
        @Nullable String jwksUri,
        @Nullable String issuer,
        @DefaultValue List<Issuer> issuers,
        List<String> audience,
        @DefaultValue List<String> requiredScopes,
        @DefaultValue List<String> additionalScopeClaims,
        @DefaultValue Map<String, String> requiredClaims,
        @Nullable Duration clockSkew,
        @DefaultValue List<String> algorithms,
        @DefaultValue List<String> tokenTypes,
        @DefaultValue("false") boolean tokenTypeRequired,
        @Nullable Integer maxTokenLength,
        @Nullable Integer maxHeaderBytes,
        @Nullable Integer maxClaimsBytes,
        @Nullable Integer maxJsonDepth,
        @Nullable String hmacSecret,
        @Nullable String realm,
        @Nullable String resource,
        @DefaultValue List<String> scopesSupported,
        @DefaultValue ResourceMetadataSwitch resourceMetadata,
        @DefaultValue Jwks jwks) {

    /** The paths the filter secures; the routes under them are the API. */
    public static final String SECURED_PATHS = "/api/**";
    /**
     * The issuer required when only {@code oauth-jwt.jwks-uri} is set: the demo issuer's identifier
     * before discovery came, kept so that such settings mean what they meant.
     */
    public static final String LEGACY_ISSUER = "https://demo-issuer.example";

    /** Checks the settings that have no library default and those that contradict each other. */
    public OAuthJwtProperties {
        issuer = issuer == null || issuer.isBlank() ? null : issuer.trim();
        jwksUri = jwksUri == null || jwksUri.isBlank() ? null : jwksUri.trim();
        issuers = List.copyOf(issuers);
        if (!issuers.isEmpty() && (issuer != null || jwksUri != null)) {
            throw new IllegalArgumentException("oauth-jwt.issuers replaces oauth-jwt.issuer and oauth-jwt.jwks-uri;"
                    + " set issuer and jwks-uri of each oauth-jwt.issuers[N] instead");
        }
        if (audience == null || audience.isEmpty() || audience.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("oauth-jwt.audience must be set to the aud your tokens carry");
        }
        audience = List.copyOf(audience);
        requiredScopes = List.copyOf(requiredScopes);
        additionalScopeClaims = List.copyOf(additionalScopeClaims);
        requiredClaims = Map.copyOf(requiredClaims);
        algorithms = List.copyOf(algorithms);
        tokenTypes = List.copyOf(tokenTypes);
        scopesSupported = List.copyOf(scopesSupported);
    }

    /** Whether no authorization server is configured, so the embedded demo issuer stands in. */
    public boolean demo() {
        return jwksUri == null && issuer == null && issuers.isEmpty();
    }

    /** The settings, with the HMAC secret masked so it cannot reach a log. */
    @Override
    public String toString() {
        return "OAuthJwtProperties[jwksUri=" + jwksUri + ", issuer=" + issuer + ", issuers=" + issuers
                + ", audience=" + audience
                + ", requiredScopes=" + requiredScopes + ", additionalScopeClaims=" + additionalScopeClaims + ", requiredClaims=" + requiredClaims + ", clockSkew=" + clockSkew
                + ", algorithms=" + algorithms + ", tokenTypes=" + tokenTypes + ", tokenTypeRequired=" + tokenTypeRequired
                + ", maxTokenLength=" + maxTokenLength + ", maxHeaderBytes=" + maxHeaderBytes + ", maxClaimsBytes="
                + maxClaimsBytes + ", maxJsonDepth=" + maxJsonDepth + ", hmacSecret=" + (hmacSecret == null ? null : "****")
                + ", realm=" + realm + ", resource=" + resource + ", scopesSupported=" + scopesSupported
                + ", resourceMetadata=" + resourceMetadata + ", jwks=" + jwks + "]";
    }

    /** The configured JWKS endpoint, or empty when the keys are found through the issuer's metadata. */
    public Optional<URI> jwksEndpoint() {
        return jwksUri == null ? Optional.empty() : Optional.of(URI.create(jwksUri));
    }

    /** The issuer tokens must carry when one authorization server is trusted. */
    public String singleIssuer() {
        return issuer != null ? issuer : LEGACY_ISSUER;
    }

    /**
     * The key source of the one trusted authorization server: at {@code jwks-uri}, or found through
     * the issuer's metadata.
     */
    public JwksKeySource newKeySource() {
        return jwksUri != null ? jwks.newKeySource(URI.create(jwksUri)) : jwks.newDiscoveringKeySource(singleIssuer());
    }

    /**
     * A filter on {@value #SECURED_PATHS} for tokens of {@code issuer} with keys from {@code keys}.
     *
     * @throws IllegalArgumentException naming the option that the library refuses
     */
    public OAuthJwtFilter newFilter(JwksKeySource keys, String issuer) {
        return configure(OAuthJwtFilter.builder(keys).issuer(issuer)).build();
    }

    /**
     * A filter on {@value #SECURED_PATHS} for tokens of every one of {@link #issuers}, each with its
     * key source from {@code keySources} (in the same order).
     *
     * @throws IllegalArgumentException naming the option that the library refuses
     */
    public OAuthJwtFilter newFilter(List<JwksKeySource> keySources) {
        List<TrustedIssuer> trusted = new ArrayList<>();
        for (int i = 0; i < issuers.size(); i++) {
            trusted.add(issuers.get(i).trusted(keySources.get(i)));
        }
        return configure(OAuthJwtFilter.builder(TrustedIssuers.of(trusted))).build();
    }

    /** The key sources of {@link #issuers}, in order. */
    public List<JwksKeySource> newKeySources() {
        return issuers.stream().map(each -> each.jwksUri() != null
                ? jwks.newKeySource(URI.create(each.jwksUri()))
                : jwks.newDiscoveringKeySource(each.issuer())).toList();
    }

    private OAuthJwtFilterBuilder configure(OAuthJwtFilterBuilder builder) {
        builder.paths(SECURED_PATHS);
        audience.forEach(builder::audience);
        builder.requiredScopes(requiredScopes.toArray(String[]::new));
        builder.additionalScopeClaims(additionalScopeClaims.toArray(String[]::new));
        requiredClaims.forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.requiredClaim(name);
            } else {
                builder.requiredClaim(name, value);
            }
        });
        PropertyMapper map = PropertyMapper.get();
        map.from(clockSkew).to(builder::clockSkew);
        map.from(algorithms).whenNot(List::isEmpty).as(names -> names.toArray(String[]::new)).to(builder::algorithms);
        map.from(tokenTypes).when(types -> !types.isEmpty() || tokenTypeRequired)
                .as(types -> types.isEmpty() ? OAuthJwtFilterBuilder.DEFAULT_TOKEN_TYPES : types)
                .to(types -> builder.tokenTypes(tokenTypeRequired, types.toArray(String[]::new)));
        map.from(maxTokenLength).to(builder::maxTokenLength);
        map.from(maxHeaderBytes).to(builder::maxHeaderBytes);
        map.from(maxClaimsBytes).to(builder::maxClaimsBytes);
        map.from(maxJsonDepth).to(builder::maxJsonDepth);
        map.from(hmacSecret).whenHasText().to(builder::hmacSecret);
        map.from(realm).whenHasText().to(builder::realm);
        if (resourceMetadata.enabled()) {
            ResourceMetadata.Builder metadata = ResourceMetadata.builder()
                    .scopesSupported(scopesSupported.toArray(String[]::new));
            map.from(resource).whenHasText().to(metadata::resource);
            builder.resourceMetadata(metadata.build());
        }
        return builder;
    }

    /**
     * One of {@code oauth-jwt.issuers}.
     *
     * @param issuer the exact {@code iss} of its tokens
     * @param audience the audiences its tokens may hold; empty for {@code oauth-jwt.audience}
     * @param jwksUri its JWKS endpoint; unset, found through its metadata
     * @param requiredScopes scopes its tokens must grant besides {@code oauth-jwt.required-scopes}
     */
    public record Issuer(String issuer, @DefaultValue List<String> audience, @Nullable String jwksUri,
            @DefaultValue List<String> requiredScopes) {

        /** Checks that the issuer is named. */
        public Issuer {
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalArgumentException("oauth-jwt.issuers[N].issuer must be set to the iss of its tokens");
            }
            audience = List.copyOf(audience);
            jwksUri = jwksUri == null || jwksUri.isBlank() ? null : jwksUri.trim();
            requiredScopes = List.copyOf(requiredScopes);
        }

        TrustedIssuer trusted(JwksKeySource keys) {
            TrustedIssuer.Builder builder = TrustedIssuer.builder(issuer).keys(keys)
                    .requiredScopes(requiredScopes.toArray(String[]::new));
            audience.forEach(builder::audience);
            return builder.build();
        }
    }

    /**
     * {@code oauth-jwt.resource-metadata.*}.
     *
     * @param enabled whether {@code /.well-known/oauth-protected-resource} is served and challenges
     *     point at it (RFC 9728)
     */
    public record ResourceMetadataSwitch(@DefaultValue("false") boolean enabled) {
    }

    /**
     * The {@code oauth-jwt.jwks.*} settings: how the signing keys are fetched and cached. Each one
     * left unset keeps the {@link JwksKeySource.Builder} default of the same name.
     *
     * @param timeout the longest a JWKS fetch may take (default 5s)
     * @param defaultTtl the key lifetime when the response has no {@code max-age} (default 5m)
     * @param minTtl the shortest lifetime taken from {@code max-age} (default 30s)
     * @param maxTtl the longest lifetime taken from {@code max-age} (default 24h)
     * @param maxStaleness how long past their lifetime keys keep serving while fetches fail (default 1h)
     * @param refetchInterval the shortest time between two fetches for unknown {@code kid}s (default 2s)
     * @param maxWaitingLookups how many lookups may wait for such a fetch at once (default 1000)
     * @param initialBackoff the first wait after a failed fetch, doubling per failure (default 1s)
     * @param maxBackoff the longest wait between failed fetches (default 30s)
     * @param maxBodyBytes the largest JWKS body accepted (default 524288)
     * @param maxKeys the most keys a JWKS may list (default 100)
     */
    public record Jwks(
            @Nullable Duration timeout,
            @Nullable Duration defaultTtl,
            @Nullable Duration minTtl,
            @Nullable Duration maxTtl,
            @Nullable Duration maxStaleness,
            @Nullable Duration refetchInterval,
            @Nullable Integer maxWaitingLookups,
            @Nullable Duration initialBackoff,
            @Nullable Duration maxBackoff,
            @Nullable Integer maxBodyBytes,
            @Nullable Integer maxKeys) {

        /**
         * A key source for {@code uri} with these settings.
         *
         * @throws IllegalArgumentException naming the option that the library refuses
         */
        public JwksKeySource newKeySource(URI uri) {
            return configure(JwksKeySource.builder(uri));
        }

        /**
         * A key source that finds the JWKS endpoint of {@code issuer} in its metadata, with these settings.
         *
         * @throws IllegalArgumentException naming the option that the library refuses
         */
        public JwksKeySource newDiscoveringKeySource(String issuer) {
            return configure(JwksKeySource.forIssuer(URI.create(issuer)));
        }

        private JwksKeySource configure(JwksKeySource.Builder builder) {
            builder.ttlBounds(or(minTtl, JwksKeySource.Builder.DEFAULT_MIN_TTL),
                            or(maxTtl, JwksKeySource.Builder.DEFAULT_MAX_TTL))
                    .retryBackoff(or(initialBackoff, JwksKeySource.Builder.DEFAULT_INITIAL_BACKOFF),
                            or(maxBackoff, JwksKeySource.Builder.DEFAULT_MAX_BACKOFF));
            PropertyMapper map = PropertyMapper.get();
            map.from(timeout).to(builder::timeout);
            map.from(defaultTtl).to(builder::defaultTtl);
            map.from(maxStaleness).to(builder::maxStaleness);
            map.from(refetchInterval).to(builder::refetchInterval);
            map.from(maxWaitingLookups).to(builder::maxWaitingLookups);
            map.from(maxBodyBytes).to(builder::maxBodyBytes);
            map.from(maxKeys).to(builder::maxKeys);
            return builder.build();
        }

        private static <T> T or(@Nullable T value, T fallback) {
            return Objects.requireNonNullElse(value, fallback);
        }
    }
}
