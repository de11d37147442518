package io.github.oauthjwt.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.Rejection;
import io.github.oauthjwt.webflux.jwks.JwksEvent;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.test.StepVerifier;

/**
 * The starter's conditions, each proven both ways with {@link ReactiveWebApplicationContextRunner}:
 * on only with an authorization server in a reactive web app, the application's beans win,
 * customizers reach the builders, the health component can be turned off, bad settings stop
 * startup naming the option.
 */
class OAuthJwtAutoConfigurationTests {

    private static final TestKey KEY = TestKey.rsa("k1");

    private JwksServer jwks;
    private ReactiveWebApplicationContextRunner runner;

    @BeforeEach
    void start() {
        jwks = JwksServer.serving(KEY);
        runner = new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(OAuthJwtAutoConfiguration.class,
                        OAuthJwtKeysAutoConfiguration.class, OAuthJwtHealthAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class));
    }

    @AfterEach
    void stop() {
        jwks.close();
    }

    private String[] configured(String... more) {
        List<String> all = new java.util.ArrayList<>(List.of("oauth-jwt.issuer=" + TestTokens.ISSUER,
                "oauth-jwt.jwks-uri=" + jwks.uri(), "oauth-jwt.audience=" + TestTokens.AUDIENCE));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void whenIssuerJwksUriAndAudienceSetThenKeySourceFilterWarmUpAndHealthAreConfigured() {
        runner.withPropertyValues(configured()).run(context -> {
            assertThat(context).hasNotFailed()
                    .hasSingleBean(OAuthJwtFilter.class)
                    .hasSingleBean(TrustedKeySources.class)
                    .hasSingleBean(KeyWarmUp.class)
                    .hasBean("jwksHealthIndicator");
            Map<String, JwksKeySource> keys = context.getBean(TrustedKeySources.class).byIssuer();
            assertThat(keys).containsOnlyKeys(TestTokens.ISSUER);
            assertThat(keys.get(TestTokens.ISSUER).uri()).isEqualTo(jwks.uri());
            StepVerifier.create(context.getBean(OAuthJwtFilter.class).validate(TestTokens.signedBy(KEY).build()))
                    .assertNext(outcome -> assertThat(outcome).isInstanceOf(io.github.oauthjwt.webflux.Verified.class))
                    .verifyComplete();
        });
    }

    @Test
    void whenOnlyIssuerSetThenTheKeySourceDiscoversTheEndpoint() {
        runner.withPropertyValues("oauth-jwt.issuer=https://login.example.com", "oauth-jwt.audience=api").run(context ->
                assertThat(context.getBean(TrustedKeySources.class).byIssuer().get("https://login.example.com").uri())
                        .hasToString("https://login.example.com"));
    }

    @Test
    void whenSeveralIssuersSetThenOneKeySourceEach() {
        runner.withPropertyValues("oauth-jwt.audience=api", "oauth-jwt.issuers[0].issuer=https://a.example",
                "oauth-jwt.issuers[1].issuer=https://b.example", "oauth-jwt.issuers[1].jwks-uri=" + jwks.uri())
                .run(context -> {
                    assertThat(context).hasSingleBean(OAuthJwtFilter.class);
                    assertThat(context.getBean(TrustedKeySources.class).byIssuer())
                            .containsOnlyKeys("https://a.example", "https://b.example");
                });
    }

    @Test
    void whenNoAuthorizationServerConfiguredThenNothingIsConfigured() {
        runner.withPropertyValues("oauth-jwt.audience=api").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(OAuthJwtFilter.class)
                .doesNotHaveBean(TrustedKeySources.class)
                .doesNotHaveBean(KeyWarmUp.class)
                .doesNotHaveBean("jwksHealthIndicator"));
    }

    @Test
    void whenServletWebApplicationThenNothingIsConfigured() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(OAuthJwtAutoConfiguration.class, OAuthJwtKeysAutoConfiguration.class))
                .withPropertyValues(configured())
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(OAuthJwtFilter.class)
                        .doesNotHaveBean(TrustedKeySources.class));
    }

    @Test
    void whenTheApplicationHasItsOwnFilterThenItWins() {
        runner.withPropertyValues(configured()).withUserConfiguration(OwnFilter.class).run(context -> {
            assertThat(context).hasSingleBean(OAuthJwtFilter.class);
            assertThat(context.getBean(OAuthJwtFilter.class)).isSameAs(context.getBean("ownFilter"));
        });
    }

    @Test
    void whenTheApplicationHasItsOwnKeySourcesThenTheFilterWarmUpAndHealthUseThem() {
        runner.withPropertyValues("oauth-jwt.issuer=" + TestTokens.ISSUER, "oauth-jwt.audience=" + TestTokens.AUDIENCE,
                        "test.jwks-uri=" + jwks.uri())
                .withUserConfiguration(OwnKeySources.class).run(context -> {
                    assertThat(context).hasSingleBean(TrustedKeySources.class).hasSingleBean(OAuthJwtFilter.class)
                            .hasBean("jwksHealthIndicator");
                    assertThat(context.getBean(TrustedKeySources.class).byIssuer().get(TestTokens.ISSUER).uri())
                            .isEqualTo(jwks.uri());
                });
    }

    @Test
    void whenCustomizersPresentThenTheyAdjustTheBuildersInOrder() {
        runner.withPropertyValues(configured("oauth-jwt.realm=from-properties"))
                .withUserConfiguration(Customizers.class).run(context -> {
                    MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/x"));
                    context.getBean(OAuthJwtFilter.class).reject(exchange, Rejection.missingCredentials()).block();
                    assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
                            .isEqualTo("Bearer realm=\"second\"");

                    JwksKeySource keys = context.getBean(TrustedKeySources.class).byIssuer().get(TestTokens.ISSUER);
                    keys.keys().block();
                    Customizers customizers = context.getBean(Customizers.class);
                    assertThat(customizers.issuers).containsExactly(TestTokens.ISSUER);
                    assertThat(customizers.events).anyMatch(JwksEvent.FetchSucceeded.class::isInstance);
                });
    }

    @Test
    void whenHealthIndicatorDisabledThenNoJwksComponent() {
        runner.withPropertyValues(configured("management.health.jwks.enabled=false")).run(context ->
                assertThat(context).hasSingleBean(OAuthJwtFilter.class).doesNotHaveBean("jwksHealthIndicator"));
    }

    @Test
    void whenTheApplicationHasItsOwnJwksHealthIndicatorThenItWins() {
        runner.withPropertyValues(configured()).withUserConfiguration(OwnHealth.class).run(context ->
                assertThat(context.getBean("jwksHealthIndicator")).isSameAs(OwnHealth.INDICATOR));
    }

    @Test
    void whenAFilterOptionIsOutOfRangeThenStartupFailsNamingIt() {
        runner.withPropertyValues(configured("oauth-jwt.clock-skew=11m")).run(context ->
                assertThat(context).getFailure()
                        .hasStackTraceContaining("Invalid oauth-jwt settings: clockSkew must be between 0 and 10 minutes"));
    }

    @Test
    void whenAKeySourceOptionIsOutOfRangeThenStartupFailsNamingIt() {
        runner.withPropertyValues(configured("oauth-jwt.jwks.timeout=0s")).run(context ->
                assertThat(context).getFailure().hasStackTraceContaining(
                        "Invalid oauth-jwt.jwks settings for " + TestTokens.ISSUER + ": timeout must be positive"));
    }

    @Test
    void whenJwksUriWithoutIssuerThenStartupFailsNamingTheIssuerOption() {
        runner.withPropertyValues("oauth-jwt.jwks-uri=" + jwks.uri(), "oauth-jwt.audience=api").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessage("oauth-jwt.issuer must be set with oauth-jwt.jwks-uri, to the exact iss your tokens carry"));
    }

    @Test
    void whenNoAudienceThenStartupFailsNamingIt() {
        runner.withPropertyValues("oauth-jwt.issuer=" + TestTokens.ISSUER).run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessage("oauth-jwt.audience must be set to the aud your tokens carry"));
    }

    @Test
    void whenADurationIsNoDurationThenStartupFailsNamingTheProperty() {
        runner.withPropertyValues(configured("oauth-jwt.clock-skew=soon")).run(context ->
                assertThat(context).getFailure().hasStackTraceContaining(
                        "Failed to bind properties under 'oauth-jwt.clock-skew' to java.time.Duration"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFilter {

        @Bean
        OAuthJwtFilter ownFilter() {
            return OAuthJwtFilter.builder(JwksKeySource.fromUri("https://own.example/jwks"))
                    .issuer("https://own.example").audience("own").build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnKeySources {

        @Bean
        TrustedKeySources ownKeySources(org.springframework.core.env.Environment environment) {
            return TrustedKeySources.of(Map.of(TestTokens.ISSUER,
                    JwksKeySource.fromUri(environment.getRequiredProperty("test.jwks-uri"))));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHealth {

        static final ReactiveHealthIndicator INDICATOR = () -> reactor.core.publisher.Mono.empty();

        @Bean
        ReactiveHealthIndicator jwksHealthIndicator() {
            return INDICATOR;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {

        final Queue<String> issuers = new ConcurrentLinkedQueue<>();
        final Queue<JwksEvent> events = new ConcurrentLinkedQueue<>();

        @Bean
        @Order(2)
        OAuthJwtFilterCustomizer secondRealm() {
            return builder -> builder.realm("second");
        }

        @Bean
        @Order(1)
        OAuthJwtFilterCustomizer firstRealm() {
            return builder -> builder.realm("first");
        }

        @Bean
        JwksKeySourceCustomizer recordingListener() {
            return (issuer, builder) -> {
                issuers.add(issuer);
                builder.listener(events::add);
            };
        }
    }
}
