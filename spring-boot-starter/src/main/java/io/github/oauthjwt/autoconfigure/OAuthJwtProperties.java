package io.github.oauthjwt.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.OAuthJwtFilterBuilder;
import io.github.oauthjwt.webflux.ResourceMetadata;
import io.github.oauthjwt.webflux.TrustedIssuer;
import io.github.oauthjwt.webflux.TrustedIssuers;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code oauth-jwt.*} settings, bound from {@code application.yml}, the command line
 * ({@code --oauth-jwt.issuer=...}) or the environment ({@code OAUTH_JWT_ISSUER=...}), and how they
 * map onto the library's two builders.
 *
 * <p>Which authorization server the app trusts: the one {@link #issuer} names (its keys found
 * through its metadata, or at {@link #jwksUri}), or each of {@link #issuers}. {@link #audience}
 * must always be set. Every other option left unset keeps the library's own default, so the
 * defaults live in one place: the constants of {@link OAuthJwtFilterBuilder} and
 * {@link JwksKeySource.Builder}. Bad values are refused when the application starts, naming the
 * option.
 *
 * <p>To add an option: a record component with its {@code @param} line (the IDE help), and one
 * line in {@link #applyTo(OAuthJwtFilterBuilder)} or {@link Jwks#applyTo(JwksKeySource.Builder)}.
 *
 * @param jwksUri JWKS endpoint of the authorization server. When unset, it is found in the
 *     issuer's metadata.
 * @param issuer Issuer identifier of the authorization server to trust: the exact "iss" its tokens
 *     carry. Without jwks-uri, its keys are found through its metadata
 *     ({issuer}/.well-known/openid-configuration or the RFC 8414 forms).
 * @param issuers Several trusted authorization servers, each with its own audience, required scopes
 *     and keys, instead of issuer and jwks-uri.
 * @param audience Audiences a token's "aud" may hold; any one of them suffices. Required.
 * @param paths Paths the filter secures, as Spring path patterns; other requests pass untouched.
 *     Every path by default: set /api/** to leave Actuator and static content open.
 * @param requiredScopes Scopes every token must grant, else 403.
 * @param additionalScopeClaims Claims to read granted scopes from besides "scope" and "scp", such
 *     as Auth0's "permissions".
 * @param requiredClaims Claims every token must carry, name to value. An empty value requires only
 *     the claim's presence.
 * @param clockSkew Tolerance on "exp", "nbf" and "iat". Default 60s.
 * @param algorithms Accepted "alg" values. Default every asymmetric algorithm of RFC 7518 and EdDSA.
 * @param tokenTypes Accepted "typ" values. Default at+jwt and jwt.
 * @param tokenTypeRequired Whether a token without "typ" is refused.
 * @param maxTokenLength Longest token, in characters, that is decoded at all. Default 8192.
 * @param maxHeaderBytes Largest decoded JOSE header, in bytes. Default 4096.
 * @param maxClaimsBytes Largest decoded claims set, in bytes. Default 16384.
 * @param maxJsonDepth Deepest nesting of JSON objects and arrays in header and claims. Default 16.
 * @param hmacSecret Shared secret (at least 32 bytes, UTF-8) to also accept HS256, HS384 and HS512
 *     tokens. When unset, HMAC tokens are always refused.
 * @param realm Realm of the WWW-Authenticate challenges.
 * @param resource Resource identifier of the API (RFC 9728), such as https://api.example.com.
 *     When unset, each request's own origin.
 * @param scopesSupported Scopes the protected-resource metadata lists.
 * @param resourceMetadata Protected-resource metadata (RFC 9728) at
 *     /.well-known/oauth-protected-resource.
 * @param jwks How the signing keys are fetched and cached.
 */
@ConfigurationProperties("oauth-jwt")
public record OAuthJwtProperties(
        @Nullable String jwksUri,
        @Nullable String issuer,
        @DefaultValue List<Issuer> issuers,
        List<String> audience,
        @DefaultValue("/**") List<String> paths,
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

    /** Checks the settings that have no library default and those that contradict each other. */
    public OAuthJwtProperties {
        issuer = issuer == null || issuer.isBlank() ? null : issuer.trim();
        jwksUri = jwksUri == null || jwksUri.isBlank() ? null : jwksUri.trim();
        issuers = List.copyOf(issuers);
        if (!issuers.isEmpty() && (issuer != null || jwksUri != null)) {
            throw new IllegalArgumentException("oauth-jwt.issuers replaces oauth-jwt.issuer and oauth-jwt.jwks-uri;"
                    + " set issuer and jwks-uri of each oauth-jwt.issuers[N] instead");
        }
        if (jwksUri != null && issuer == null) {
            throw new IllegalArgumentException(
                    "oauth-jwt.issuer must be set with oauth-jwt.jwks-uri, to the exact iss your tokens carry");
        }
        if (audience == null || audience.isEmpty() || audience.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("oauth-jwt.audience must be set to the aud your tokens carry");
        }
        audience = List.copyOf(audience);
        paths = List.copyOf(paths);
        requiredScopes = List.copyOf(requiredScopes);
        additionalScopeClaims = List.copyOf(additionalScopeClaims);
        requiredClaims = Map.copyOf(requiredClaims);
        algorithms = List.copyOf(algorithms);
        tokenTypes = List.copyOf(tokenTypes);
        scopesSupported = List.copyOf(scopesSupported);
    }

    /** The settings, with the HMAC secret masked so it cannot reach a log. */
    @Override
    public String toString() {
        return "OAuthJwtProperties[jwksUri=" + jwksUri + ", issuer=" + issuer + ", issuers=" + issuers
                + ", audience=" + audience + ", paths=" + paths
                + ", requiredScopes=" + requiredScopes + ", additionalScopeClaims=" + additionalScopeClaims + ", requiredClaims=" + requiredClaims + ", clockSkew=" + clockSkew
                + ", algorithms=" + algorithms + ", tokenTypes=" + tokenTypes + ", tokenTypeRequired=" + tokenTypeRequired
                + ", maxTokenLength=" + maxTokenLength + ", maxHeaderBytes=" + maxHeaderBytes + ", maxClaimsBytes="
                + maxClaimsBytes + ", maxJsonDepth=" + maxJsonDepth + ", hmacSecret=" + (hmacSecret == null ? null : "****")
                + ", realm=" + realm + ", resource=" + resource + ", scopesSupported=" + scopesSupported
                + ", resourceMetadata=" + resourceMetadata + ", jwks=" + jwks + "]";
    }

    /**
     * The trusted authorization servers, in the order they are configured: the one of
     * {@code issuer} and {@code jwks-uri}, or each of {@code issuers}.
     */
    public List<Issuer> trustedIssuers() {
        if (!issuers.isEmpty()) {
            return issuers;
        }
        if (issuer == null) {
            throw new IllegalStateException("oauth-jwt.issuer (or oauth-jwt.issuers) must name the authorization"
                    + " server to trust");
        }
        return List.of(new Issuer(issuer, List.of(), jwksUri, List.of()));
    }

    /**
     * Options for the key source of one trusted issuer, with the {@code oauth-jwt.jwks.*} settings
     * applied: at its {@code jwks-uri}, or found through its metadata.
     *
     * @throws IllegalArgumentException naming the option whose URI is not one
     */
    public JwksKeySource.Builder keySourceBuilder(Issuer trusted) {
        JwksKeySource.Builder builder;
        try {
            builder = trusted.jwksUri() != null
                    ? JwksKeySource.builder(URI.create(trusted.jwksUri()))
                    : JwksKeySource.forIssuer(URI.create(trusted.issuer()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(optionOf(trusted) + (trusted.jwksUri() != null ? "jwks-uri" : "issuer")
                    + " must be an absolute http or https URI", e);
        }
        return jwks.applyTo(builder);
    }

    /**
     * Options for a filter that trusts {@link #trustedIssuers()}, each with its key source from
     * {@code keySources} (by issuer), and every other setting applied.
     */
    public OAuthJwtFilterBuilder filterBuilder(Map<String, JwksKeySource> keySources) {
        OAuthJwtFilterBuilder builder;
        if (issuers.isEmpty()) {
            String single = trustedIssuers().get(0).issuer();
            builder = OAuthJwtFilter.builder(keysOf(keySources, single)).issuer(single);
        } else {
            List<TrustedIssuer> trusted = new ArrayList<>();
            for (Issuer each : issuers) {
                trusted.add(each.trusted(keysOf(keySources, each.issuer())));
            }
            builder = OAuthJwtFilter.builder(TrustedIssuers.of(trusted));
        }
        return applyTo(builder);
    }

    /** Where in the settings a trusted issuer came from, for error messages. */
    String optionOf(Issuer trusted) {
        int index = issuers.indexOf(trusted);
        return index < 0 ? "oauth-jwt." : "oauth-jwt.issuers[" + index + "].";
    }

    private static JwksKeySource keysOf(Map<String, JwksKeySource> keySources, String issuer) {
        JwksKeySource keys = keySources.get(issuer);
        if (keys == null) {
            throw new IllegalStateException("No key source for the trusted issuer " + issuer);
        }
        return keys;
    }

    /**
     * Applies every setting but the trusted issuers to {@code builder}: for an application that
     * builds its filter itself, such as one whose issuer is known only once its server runs.
     */
    public OAuthJwtFilterBuilder applyTo(OAuthJwtFilterBuilder builder) {
        builder.paths(paths.toArray(String[]::new));
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
     * @param issuer Issuer identifier: the exact "iss" of its tokens.
     * @param audience Audiences its tokens may hold. When empty, those of oauth-jwt.audience.
     * @param jwksUri JWKS endpoint. When unset, it is found through the issuer's metadata.
     * @param requiredScopes Scopes its tokens must grant besides oauth-jwt.required-scopes.
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
     * @param enabled Whether /.well-known/oauth-protected-resource is served and challenges point
     *     at it (RFC 9728).
     */
    public record ResourceMetadataSwitch(@DefaultValue("false") boolean enabled) {
    }

    /**
     * The {@code oauth-jwt.jwks.*} settings: how the signing keys are fetched and cached. Each one
     * left unset keeps the {@link JwksKeySource.Builder} default of the same name.
     *
     * @param timeout Longest a JWKS fetch may take. Default 5s.
     * @param defaultTtl Key lifetime when the JWKS response has no max-age. Default 5m.
     * @param minTtl Shortest key lifetime taken from max-age. Default 30s.
     * @param maxTtl Longest key lifetime taken from max-age. Default 24h.
     * @param maxStaleness How long past their lifetime keys keep serving while fetches fail. Default 1h.
     * @param refetchInterval Shortest time between two fetches for unknown "kid"s. Default 2s.
     * @param maxWaitingLookups How many lookups may wait for such a fetch at once. Default 1000.
     * @param initialBackoff First wait after a failed fetch, doubling per failure. Default 1s.
     * @param maxBackoff Longest wait between failed fetches. Default 30s.
     * @param maxBodyBytes Largest JWKS body accepted, in bytes. Default 524288.
     * @param maxKeys Most keys a JWKS may list. Default 100.
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

        /** Applies these settings to {@code builder}; each one left unset keeps the builder's default. */
        public JwksKeySource.Builder applyTo(JwksKeySource.Builder builder) {
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
            return builder;
        }

        private static <T> T or(@Nullable T value, T fallback) {
            return Objects.requireNonNullElse(value, fallback);
        }
    }
}
