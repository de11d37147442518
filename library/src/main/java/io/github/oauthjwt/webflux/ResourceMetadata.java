package io.github.oauthjwt.webflux;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a filter publishes about its API as OAuth 2.0 Protected Resource Metadata (RFC 9728): the
 * resource identifier, the authorization servers that issue its tokens, the scopes it knows, and
 * that tokens go in the {@code Authorization} header. With it, the filter answers
 * {@code GET /.well-known/oauth-protected-resource} (with the resource identifier's path appended,
 * RFC 9728 §3.1), and every {@code WWW-Authenticate} challenge it sends carries
 * {@code resource_metadata="…"} pointing there (§5.1), so a client that only knows the API's URL
 * can find where to get a token. The MCP authorization specification requires both of every
 * protected MCP server.
 *
 * <p>Without a {@link Builder#resource resource}, the identifier is each request's own origin as the
 * application sees it: behind a reverse proxy, let Spring rewrite the request from forwarded headers
 * you trust ({@code server.forward-headers-strategy=framework} in Boot, or a
 * {@code ForwardedHeaderTransformer}). Without {@link Builder#authorizationServers authorization
 * servers}, they are the issuers the filter trusts when it names them. Immutable.
 *
 * <pre>{@code
 * OAuthJwtFilter.builder(keys)
 *         .issuer("https://login.example.com")
 *         .resourceMetadata(ResourceMetadata.builder()
 *                 .resource("https://api.example.com")
 *                 .scopesSupported("read", "write")
 *                 .build())
 *         .build();
 * }</pre>
 */
public final class ResourceMetadata {

    /** The well-known path of the metadata (RFC 9728 §3), to which the resource's path is appended. */
    public static final String WELL_KNOWN_PATH = "/.well-known/oauth-protected-resource";

    private final @Nullable URI resource;
    private final List<String> authorizationServers;
    private final List<String> scopesSupported;

    private ResourceMetadata(Builder builder) {
        this.resource = builder.resource;
        this.authorizationServers = List.copyOf(builder.authorizationServers);
        this.scopesSupported = List.copyOf(builder.scopesSupported);
    }

    /** Options of the metadata; every one may be left unset. */
    public static Builder builder() {
        return new Builder();
    }

    /** The resource identifier, or {@code null} to take each request's origin. */
    public @Nullable URI resource() {
        return resource;
    }

    /** The authorization servers' issuer identifiers; empty to name the filter's own issuers. */
    public List<String> authorizationServers() {
        return authorizationServers;
    }

    /** The scopes the API knows, published as {@code scopes_supported}; empty to leave it out. */
    public List<String> scopesSupported() {
        return scopesSupported;
    }

    /** Options of {@link ResourceMetadata}. */
    public static final class Builder {

        private @Nullable URI resource;
        private final List<String> authorizationServers = new ArrayList<>();
        private final List<String> scopesSupported = new ArrayList<>();

        private Builder() {
        }

        /**
         * The resource identifier (RFC 9728 §1.2): the API's https URL, such as
         * {@code https://api.example.com}, with no query and no fragment.
         */
        public Builder resource(String resource) {
            Objects.requireNonNull(resource, "resource");
            try {
                this.resource = new URI(resource);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("resource must be an absolute http or https URL, not '" + resource + "'");
            }
            return this;
        }

        /** The issuer identifiers of the authorization servers that issue tokens for this API. */
        public Builder authorizationServers(String... issuers) {
            this.authorizationServers.addAll(Arrays.asList(issuers));
            return this;
        }

        /** The scopes this API knows, for clients to ask for. */
        public Builder scopesSupported(String... scopes) {
            this.scopesSupported.addAll(Arrays.asList(scopes));
            return this;
        }

        /**
         * The metadata.
         *
         * @throws IllegalArgumentException if the resource is not an absolute http(s) URL without
         *     query and fragment, or a scope is not a valid scope token
         */
        public ResourceMetadata build() {
            if (resource != null) {
                String scheme = resource.getScheme();
                if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || resource.getRawAuthority() == null
                        || resource.getRawQuery() != null || resource.getRawFragment() != null) {
                    throw new IllegalArgumentException("resource must be an absolute http or https URL without query"
                            + " and fragment (RFC 9728 §1.2), not '" + resource + "'");
                }
            }
            for (String issuer : authorizationServers) {
                if (Objects.requireNonNull(issuer, "authorization server").isBlank()) {
                    throw new IllegalArgumentException("authorization servers must not be blank");
                }
            }
            for (String scope : scopesSupported) {
                ScopeClaims.requireScopeToken(scope, "supported scope");
            }
            return new ResourceMetadata(this);
        }
    }
}
