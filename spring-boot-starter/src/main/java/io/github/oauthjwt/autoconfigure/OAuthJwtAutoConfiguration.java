package io.github.oauthjwt.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.OAuthJwtFilterBuilder;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Secures a reactive web application from {@code oauth-jwt.*} settings: one {@link JwksKeySource}
 * per trusted issuer (held by the {@link TrustedKeySources} bean) and the {@link OAuthJwtFilter}.
 * On only when an authorization server is configured ({@link AuthorizationServerConfigured}).
 *
 * <p>Every bean steps aside for one of the application's own. {@link JwksKeySourceCustomizer} and
 * {@link OAuthJwtFilterCustomizer} beans adjust the builders. The filter also steps aside when the
 * Spring Security bridge ({@code webflux-oauth-jwt-spring-security}) takes over token checks, so
 * tokens are not checked twice.
 *
 * <p>Bad settings stop the application at startup with a message that names the option.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(OAuthJwtFilter.class)
@Conditional(AuthorizationServerConfigured.class)
@EnableConfigurationProperties(OAuthJwtProperties.class)
public class OAuthJwtAutoConfiguration {

    /** The bean type of the Spring Security bridge, named so this module does not depend on it. */
    static final String SECURITY_BRIDGE = "io.github.oauthjwt.security.OAuthJwtSecurity";

    private static final Log log = LogFactory.getLog(OAuthJwtAutoConfiguration.class);

    /** The key caches of the configured authorization servers, in the order they are configured. */
    @Bean
    @ConditionalOnMissingBean
    TrustedKeySources oauthJwtKeySources(OAuthJwtProperties properties,
            ObjectProvider<JwksKeySourceCustomizer> customizers) {
        Map<String, JwksKeySource> byIssuer = new LinkedHashMap<>();
        for (OAuthJwtProperties.Issuer trusted : properties.trustedIssuers()) {
            JwksKeySource.Builder builder = properties.keySourceBuilder(trusted);
            customizers.orderedStream().forEach(customizer -> customizer.customize(trusted.issuer(), builder));
            try {
                byIssuer.put(trusted.issuer(), builder.build());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid " + properties.optionOf(trusted) + "jwks settings for "
                        + trusted.issuer() + ": " + e.getMessage(), e);
            }
        }
        return TrustedKeySources.of(byIssuer);
    }

    /** The filter that verifies the token of every request to {@code oauth-jwt.paths}. */
    @Bean
    @ConditionalOnMissingBean(value = OAuthJwtFilter.class, type = SECURITY_BRIDGE)
    OAuthJwtFilter oauthJwtFilter(OAuthJwtProperties properties, TrustedKeySources keySources,
            ObjectProvider<OAuthJwtFilterCustomizer> customizers) {
        OAuthJwtFilter filter = newFilter(properties, keySources, customizers.orderedStream().toList());
        log.info("Securing " + properties.paths() + ": tokens issued by "
                + String.join(" or ", keySources.byIssuer().keySet()) + " for "
                + String.join(" or ", properties.audience()));
        return filter;
    }

    /**
     * A filter from the settings, the key sources and the customizers; for the Spring Security
     * bridge, which uses it to check tokens without registering it as a {@code WebFilter}.
     *
     * @throws IllegalArgumentException naming the option the library refuses
     */
    public static OAuthJwtFilter newFilter(OAuthJwtProperties properties, TrustedKeySources keySources,
            List<OAuthJwtFilterCustomizer> customizers) {
        OAuthJwtFilterBuilder builder = properties.filterBuilder(keySources.byIssuer());
        customizers.forEach(customizer -> customizer.customize(builder));
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid oauth-jwt settings: " + e.getMessage(), e);
        }
    }
}
