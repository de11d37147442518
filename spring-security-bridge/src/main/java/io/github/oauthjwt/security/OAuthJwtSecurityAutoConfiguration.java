package io.github.oauthjwt.security;

import io.github.oauthjwt.autoconfigure.AuthorizationServerConfigured;
import io.github.oauthjwt.autoconfigure.OAuthJwtAutoConfiguration;
import io.github.oauthjwt.autoconfigure.OAuthJwtFilterCustomizer;
import io.github.oauthjwt.autoconfigure.OAuthJwtProperties;
import io.github.oauthjwt.autoconfigure.TrustedKeySources;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.security.config.web.server.ServerHttpSecurity;

/**
 * With the starter, the bridge configures itself: an {@link OAuthJwtSecurity} bean from the same
 * {@code oauth-jwt.*} settings, key sources and customizers as the starter's filter. Running before
 * the starter, it makes the starter leave its {@code OAuthJwtFilter} out, so each token is checked
 * once, by Spring Security. The key sources, their warm-up and the {@code jwks} health component
 * stay the starter's.
 */
@AutoConfiguration(before = OAuthJwtAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({OAuthJwtAutoConfiguration.class, ServerHttpSecurity.class})
@Conditional(AuthorizationServerConfigured.class)
@EnableConfigurationProperties(OAuthJwtProperties.class)
public class OAuthJwtSecurityAutoConfiguration {

    /** The bridge, checking tokens as the starter's filter would. */
    @Bean
    @ConditionalOnMissingBean
    OAuthJwtSecurity oauthJwtSecurity(OAuthJwtProperties properties, TrustedKeySources keySources,
            ObjectProvider<OAuthJwtFilterCustomizer> customizers) {
        return OAuthJwtSecurity.of(OAuthJwtAutoConfiguration.newFilter(properties, keySources,
                customizers.orderedStream().toList()));
    }
}
