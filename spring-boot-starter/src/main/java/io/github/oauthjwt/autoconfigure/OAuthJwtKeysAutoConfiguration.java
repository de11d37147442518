package io.github.oauthjwt.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Warms the key caches of whatever {@link TrustedKeySources} bean the application has, the
 * starter's or its own: the first JWKS fetches start once the application is ready, without
 * delaying or failing startup.
 */
@AutoConfiguration(after = OAuthJwtAutoConfiguration.class)
@ConditionalOnBean(TrustedKeySources.class)
public class OAuthJwtKeysAutoConfiguration {

    /** Starts the first fetches once the application is ready. */
    @Bean
    @ConditionalOnMissingBean
    KeyWarmUp oauthJwtKeyWarmUp(TrustedKeySources keySources) {
        return new KeyWarmUp(keySources);
    }
}
