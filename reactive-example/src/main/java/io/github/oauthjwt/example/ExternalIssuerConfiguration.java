package io.github.oauthjwt.example;

import java.net.URI;

import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * The security of the API when {@code oauth-jwt.jwks-uri} names a real authorization server: one
 * {@link JwksKeySource} for its JWKS endpoint and one {@link OAuthJwtFilter} on {@code /api/**},
 * both plain beans. This is all an application needs; the rest of the example is the routes.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(JwksUriConfigured.class)
public class ExternalIssuerConfiguration {

    private static final Log log = LogFactory.getLog(ExternalIssuerConfiguration.class);

    /** The key cache of the configured authorization server. */
    @Bean
    JwksKeySource jwksKeySource(OAuthJwtProperties properties) {
        URI jwksUri = properties.jwksEndpoint().orElseThrow();
        return properties.jwks().newKeySource(jwksUri);
    }

    /** The filter that verifies the token of every request to {@code /api/**}. */
    @Bean
    OAuthJwtFilter oauthJwtFilter(JwksKeySource keys, OAuthJwtProperties properties, DpopOptions dpop,
            CertificateBindingProperties certificates) {
        OAuthJwtFilter filter = properties.newFilter(keys, dpop, certificates.binding());
        log.info("Securing " + OAuthJwtProperties.SECURED_PATHS + ": tokens issued by " + properties.issuer()
                + " for " + String.join(" or ", properties.audience()) + ", keys from " + keys.uri());
        return filter;
    }

    /** The key source for the warm-up and {@code /health}. */
    @Bean
    TrustedKeys trustedKeys(JwksKeySource keys) {
        Mono<JwksKeySource> known = Mono.just(keys);
        return () -> known;
    }
}
