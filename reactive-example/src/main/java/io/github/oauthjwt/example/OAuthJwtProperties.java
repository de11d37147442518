package io.github.oauthjwt.example;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.webflux.mtls.CertificateBinding;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code oauth-jwt.*} settings of the example, bound from {@code application.yml}, the command
 * line ({@code --oauth-jwt.issuer=...}) or the environment ({@code OAUTH_JWT_ISSUER=...}), and how
 * they map onto the library's two builders.
 *
 * <p>Only {@link #issuer} and {@link #audience} must be set ({@code application.yml} sets them to
 * the demo issuer's values). Every other option left unset keeps the library's own default, so the
 * defaults live in one place: the constants of {@link OAuthJwtFilter.Builder} and
 * {@link JwksKeySource.Builder}. Bad values are refused when the application starts.
 *
 * @param jwksUri the authorization server's JWKS endpoint; when blank, the embedded demo issuer
 *     stands in and its keys are fetched from this app's own {@code /demo/jwks}
 * @param issuer the exact {@code iss} tokens must carry
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
 * @param jwks the key cache's options
 */
@ConfigurationProperties("oauth-jwt")
public record OAuthJwtProperties(
        @Nullable String jwksUri,
        String issuer,
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
        @DefaultValue Jwks jwks) {

    /** The paths the filter secures; the routes under them are the API. */
    public static final String SECURED_PATHS = "/api/**";

    /** Checks the settings that have no library default. */
    public OAuthJwtProperties {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("oauth-jwt.issuer must be set to the iss your tokens carry");
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
    }

    /** The settings, with the HMAC secret masked so it cannot reach a log. */
    @Override
    public String toString() {
        return "OAuthJwtProperties[jwksUri=" + jwksUri + ", issuer=" + issuer + ", audience=" + audience
                + ", requiredScopes=" + requiredScopes + ", additionalScopeClaims=" + additionalScopeClaims + ", requiredClaims=" + requiredClaims + ", clockSkew=" + clockSkew
                + ", algorithms=" + algorithms + ", tokenTypes=" + tokenTypes + ", tokenTypeRequired=" + tokenTypeRequired
                + ", maxTokenLength=" + maxTokenLength + ", maxHeaderBytes=" + maxHeaderBytes + ", maxClaimsBytes="
                + maxClaimsBytes + ", maxJsonDepth=" + maxJsonDepth + ", hmacSecret=" + (hmacSecret == null ? null : "****")
                + ", realm=" + realm + ", jwks=" + jwks + "]";
    }

    /** The configured JWKS endpoint, or empty when the demo issuer should stand in. */
    public Optional<URI> jwksEndpoint() {
        return jwksUri == null || jwksUri.isBlank() ? Optional.empty() : Optional.of(URI.create(jwksUri.trim()));
    }

    /**
     * A filter on {@value #SECURED_PATHS} with these settings, keys from {@code keys}, DPoP as
     * {@code dpop} says, and certificate-bound tokens checked when {@code certificates} is present.
     *
     * @throws IllegalArgumentException naming the option that the library refuses
     */
    public OAuthJwtFilter newFilter(JwksKeySource keys, DpopOptions dpop, Optional<CertificateBinding> certificates) {
        OAuthJwtFilter.Builder builder = OAuthJwtFilter.builder(keys).issuer(issuer).paths(SECURED_PATHS).dpop(dpop);
        certificates.ifPresent(builder::certificateBinding);
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
                .as(types -> types.isEmpty() ? OAuthJwtFilter.Builder.DEFAULT_TOKEN_TYPES : types)
                .to(types -> builder.tokenTypes(tokenTypeRequired, types.toArray(String[]::new)));
        map.from(maxTokenLength).to(builder::maxTokenLength);
        map.from(maxHeaderBytes).to(builder::maxHeaderBytes);
        map.from(maxClaimsBytes).to(builder::maxClaimsBytes);
        map.from(maxJsonDepth).to(builder::maxJsonDepth);
        map.from(hmacSecret).whenHasText().to(builder::hmacSecret);
        map.from(realm).whenHasText().to(builder::realm);
        return builder.build();
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
            JwksKeySource.Builder builder = JwksKeySource.builder(uri)
                    .ttlBounds(or(minTtl, JwksKeySource.Builder.DEFAULT_MIN_TTL),
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
