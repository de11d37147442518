package io.github.oauthjwt.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code jwks} health component ({@link JwksHealthIndicator}), when the application has
 * Actuator's health support and a {@link TrustedKeySources} bean (the starter's or its own). Off
 * with {@code management.health.jwks.enabled=false}.
 */
@AutoConfiguration(after = OAuthJwtAutoConfiguration.class)
@ConditionalOnClass(ReactiveHealthIndicator.class)
@ConditionalOnBean(TrustedKeySources.class)
@ConditionalOnEnabledHealthIndicator("jwks")
public class OAuthJwtHealthAutoConfiguration {

    /** The {@code jwks} component: Boot names it after the bean, without {@code HealthIndicator}. */
    @Bean
    @ConditionalOnMissingBean(name = "jwksHealthIndicator")
    ReactiveHealthIndicator jwksHealthIndicator(TrustedKeySources keySources) {
        return new JwksHealthIndicator(keySources);
    }
}
