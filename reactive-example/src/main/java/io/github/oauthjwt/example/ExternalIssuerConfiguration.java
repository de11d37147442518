package io.github.oauthjwt.example;

import java.util.List;

import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * The security of the API when a real authorization server is configured: one {@link JwksKeySource}
 * per trusted issuer (at its {@code jwks-uri}, or found through its metadata) and one
 * {@link OAuthJwtFilter} on {@code /api/**}, plain beans. This is all an application needs; the rest
 * of the example is the routes.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(AuthorizationServerConfigured.class)
public class ExternalIssuerConfiguration {

    private static final Log log = LogFactory.getLog(ExternalIssuerConfiguration.class);

    /** Key sources known from the start. */
    record ConfiguredKeys(List<JwksKeySource> list) implements TrustedKeys {

        @Override
        public Mono<List<JwksKeySource>> keySources() {
            return Mono.just(list);
        }
    }

    /** The key caches of the configured authorization servers, in the order they are configured. */
    @Bean
    ConfiguredKeys trustedKeys(OAuthJwtProperties properties) {
        return new ConfiguredKeys(properties.issuers().isEmpty()
                ? List.of(properties.newKeySource())
                : properties.newKeySources());
    }

    /** The filter that verifies the token of every request to {@code /api/**}. */
    @Bean
    OAuthJwtFilter oauthJwtFilter(ConfiguredKeys trustedKeys, OAuthJwtProperties properties) {
        List<JwksKeySource> keySources = trustedKeys.list();
        if (properties.issuers().isEmpty()) {
            JwksKeySource keys = keySources.get(0);
            OAuthJwtFilter filter = properties.newFilter(keys, properties.singleIssuer());
            log.info("Securing " + OAuthJwtProperties.SECURED_PATHS + ": tokens issued by " + properties.singleIssuer()
                    + " for " + String.join(" or ", properties.audience()) + ", keys from "
                    + (properties.jwksUri() != null ? keys.uri() : "the JWKS endpoint its metadata names"));
            return filter;
        }
        OAuthJwtFilter filter = properties.newFilter(keySources);
        log.info("Securing " + OAuthJwtProperties.SECURED_PATHS + ": tokens issued by any of "
                + properties.issuers().stream().map(OAuthJwtProperties.Issuer::issuer).toList());
        return filter;
    }
}
