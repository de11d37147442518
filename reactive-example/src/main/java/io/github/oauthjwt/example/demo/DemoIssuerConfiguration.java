package io.github.oauthjwt.example.demo;

import java.time.Clock;

import io.github.oauthjwt.autoconfigure.AuthorizationServerConfigured;
import io.github.oauthjwt.autoconfigure.JwksKeySourceCustomizer;
import io.github.oauthjwt.autoconfigure.OAuthJwtFilterCustomizer;
import io.github.oauthjwt.autoconfigure.OAuthJwtProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Demo mode, on only while no authorization server is configured ({@code oauth-jwt.issuer},
 * {@code oauth-jwt.jwks-uri} and {@code oauth-jwt.issuers} unset): an embedded authorization server
 * whose issuer identifier is this app's origin ({@code http://localhost:{port}}), with its metadata
 * at {@code /.well-known/openid-configuration} and {@code /.well-known/oauth-authorization-server},
 * {@code GET /demo/jwks} and {@code POST /demo/token}, signing tokens for the first audience; and the
 * filter bean, which trusts it over real HTTP like any other server. The starter configures nothing
 * here (no authorization server is named), but its warm-up and {@code jwks} health component pick
 * up the demo's key source, which {@link PortBoundOAuthJwtFilter} offers as its
 * {@code TrustedKeySources}. So a second copy of the
 * example started with {@code --oauth-jwt.issuer=http://localhost:{port}} alone trusts it too.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(AuthorizationServerConfigured.Absent.class)
public class DemoIssuerConfiguration {

    /** The demo key pair and token minting, for the issuer this app's origin names. */
    @Bean
    DemoTokenIssuer demoTokenIssuer(OAuthJwtProperties properties, PortBoundOAuthJwtFilter filter) {
        return new DemoTokenIssuer(filter::issuer, properties.audience().get(0), Clock.systemUTC());
    }

    /** {@code GET /demo/jwks}, {@code POST /demo/token} and the metadata at both well-known paths. */
    @Bean
    RouterFunction<ServerResponse> demoIssuerRoutes(DemoTokenIssuer issuer) {
        DemoIssuerHandlers handlers = new DemoIssuerHandlers(issuer);
        return RouterFunctions.route()
                .GET(DemoIssuerHandlers.JWKS_PATH, handlers::jwks)
                .POST(DemoIssuerHandlers.TOKEN_PATH, handlers::token)
                .GET(DemoIssuerHandlers.OPENID_CONFIGURATION_PATH, handlers::metadata)
                .GET(DemoIssuerHandlers.OAUTH_METADATA_PATH, handlers::metadata)
                .build();
    }

    /**
     * The filter on {@code oauth-jwt.paths}, built once the server's port, and so the JWKS URL, is
     * known; the application's customizers adjust it as they would the starter's.
     */
    @Bean
    PortBoundOAuthJwtFilter oauthJwtFilter(OAuthJwtProperties properties,
            ObjectProvider<OAuthJwtFilterCustomizer> filterCustomizers,
            ObjectProvider<JwksKeySourceCustomizer> keySourceCustomizers) {
        return new PortBoundOAuthJwtFilter(properties, filterCustomizers.orderedStream().toList(),
                keySourceCustomizers.orderedStream().toList());
    }

    /** The startup notice with the ready-to-paste curl lines. */
    @Bean
    DemoIssuerAnnouncement demoIssuerAnnouncement(DemoTokenIssuer issuer, PortBoundOAuthJwtFilter filter) {
        return new DemoIssuerAnnouncement(issuer, filter);
    }
}
