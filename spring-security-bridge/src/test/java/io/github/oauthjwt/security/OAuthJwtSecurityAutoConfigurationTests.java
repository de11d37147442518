package io.github.oauthjwt.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.oauthjwt.autoconfigure.OAuthJwtAutoConfiguration;
import io.github.oauthjwt.autoconfigure.TrustedKeySources;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bridge's auto-configuration with the starter's, both ways: the bridge takes over token checks
 * (and the starter's filter steps aside) only with an authorization server configured, the
 * application's own bridge wins, and without Spring Security's web configuration the starter's
 * filter stays.
 */
class OAuthJwtSecurityAutoConfigurationTests {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OAuthJwtSecurityAutoConfiguration.class,
                    OAuthJwtAutoConfiguration.class));

    private static final String[] CONFIGURED = {"oauth-jwt.issuer=" + TestTokens.ISSUER,
            "oauth-jwt.jwks-uri=https://issuer.example/jwks", "oauth-jwt.audience=" + TestTokens.AUDIENCE};

    @Test
    void whenAuthorizationServerConfiguredThenTheBridgeReplacesTheStartersFilter() {
        runner.withPropertyValues(CONFIGURED).run(context -> assertThat(context).hasNotFailed()
                .hasSingleBean(OAuthJwtSecurity.class)
                .hasSingleBean(TrustedKeySources.class)
                .doesNotHaveBean(OAuthJwtFilter.class));
    }

    @Test
    void whenNoAuthorizationServerConfiguredThenNoBridge() {
        runner.withPropertyValues("oauth-jwt.audience=api").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(OAuthJwtSecurity.class));
    }

    @Test
    void whenTheApplicationHasItsOwnBridgeThenItWinsAndTheStartersFilterStillStepsAside() {
        runner.withPropertyValues(CONFIGURED).withUserConfiguration(OwnBridge.class).run(context -> {
            assertThat(context).hasSingleBean(OAuthJwtSecurity.class).doesNotHaveBean(OAuthJwtFilter.class);
            assertThat(context.getBean(OAuthJwtSecurity.class)).isSameAs(context.getBean("ownBridge"));
        });
    }

    @Test
    void whenSpringSecurityConfigIsAbsentThenTheStartersFilterStays() {
        runner.withPropertyValues(CONFIGURED)
                .withClassLoader(new FilteredClassLoader("org.springframework.security.config.web.server"))
                .run(context -> assertThat(context).hasNotFailed()
                        .hasSingleBean(OAuthJwtFilter.class)
                        .doesNotHaveBean(OAuthJwtSecurity.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBridge {

        @Bean
        OAuthJwtSecurity ownBridge() {
            return OAuthJwtSecurity.of(OAuthJwtFilter.builder(JwksKeySource.fromUri("https://own.example/jwks"))
                    .issuer("https://own.example").audience("own").build());
        }
    }
}
