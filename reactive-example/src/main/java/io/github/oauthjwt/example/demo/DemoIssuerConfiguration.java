package io.github.oauthjwt.example.demo;

import java.time.Clock;

import io.github.oauthjwt.example.CertificateBindingProperties;
import io.github.oauthjwt.example.JwksUriConfigured;
import io.github.oauthjwt.example.OAuthJwtProperties;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Demo mode, on only while {@code oauth-jwt.jwks-uri} is unset: an embedded authorization server
 * ({@code GET /demo/jwks}, {@code POST /demo/token}) that signs tokens for the configured issuer
 * and first audience, and the filter bean, which trusts it over real HTTP like any other server.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(JwksUriConfigured.Absent.class)
public class DemoIssuerConfiguration {

    /** The demo key pair and token minting. */
    @Bean
    DemoTokenIssuer demoTokenIssuer(OAuthJwtProperties properties) {
        return new DemoTokenIssuer(properties.issuer(), properties.audience().get(0), Clock.systemUTC());
    }

    /** {@code GET /demo/jwks} and {@code POST /demo/token}. */
    @Bean
    RouterFunction<ServerResponse> demoIssuerRoutes(DemoTokenIssuer issuer) {
        DemoIssuerHandlers handlers = new DemoIssuerHandlers(issuer, Clock.systemUTC());
        return RouterFunctions.route()
                .GET(DemoIssuerHandlers.JWKS_PATH, handlers::jwks)
                .POST(DemoIssuerHandlers.TOKEN_PATH, handlers::token)
                .build();
    }

    /** The filter on {@code /api/**}, built once the server's port, and so the JWKS URL, is known. */
    @Bean
    PortBoundOAuthJwtFilter oauthJwtFilter(OAuthJwtProperties properties, DpopOptions dpop,
            CertificateBindingProperties certificates) {
        return new PortBoundOAuthJwtFilter(properties, dpop, certificates.binding());
    }

    /** The startup notice with the ready-to-paste curl lines. */
    @Bean
    DemoIssuerAnnouncement demoIssuerAnnouncement(DemoTokenIssuer issuer, PortBoundOAuthJwtFilter filter) {
        return new DemoIssuerAnnouncement(issuer, filter);
    }
}
