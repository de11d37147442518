package io.github.oauthjwt.autoconfigure;

import io.github.oauthjwt.webflux.jwks.JwksMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Observes the filter and its key sources when the application has an {@link ObservationRegistry}
 * (Actuator brings one): {@code oauth.jwt.validation} per secured request and
 * {@code oauth.jwks.fetch} per JWKS request, as timers, and traces when a tracer is present; and
 * with a {@link MeterRegistry}, the {@code oauth.jwks.keys} and
 * {@code oauth.jwks.last.success.age} gauges of each key source. It works through the starter's
 * own extension points, the customizers, so a filter an application builds with them (the
 * example's demo issuer does) is observed too.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"},
        before = {OAuthJwtAutoConfiguration.class, OAuthJwtKeysAutoConfiguration.class})
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public class OAuthJwtObservationAutoConfiguration {

    /** Observes every filter the customizers reach. */
    @Bean
    OAuthJwtFilterCustomizer oauthJwtObservation(ObservationRegistry registry) {
        return builder -> builder.observationRegistry(registry);
    }

    /** Observes every key source the customizers reach. */
    @Bean
    JwksKeySourceCustomizer oauthJwksObservation(ObservationRegistry registry) {
        return (issuer, builder) -> builder.observationRegistry(registry);
    }

    /** The gauges, bound once the application is ready, when every key source is known. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class Gauges {

        @Bean
        ApplicationListener<ApplicationReadyEvent> oauthJwksGauges(MeterRegistry meters,
                ObjectProvider<TrustedKeySources> keySources) {
            return event -> keySources.orderedStream()
                    .flatMap(sources -> sources.byIssuer().values().stream())
                    .distinct()
                    .forEach(source -> new JwksMetrics(source).bindTo(meters));
        }
    }
}
