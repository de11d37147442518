package io.github.oauthjwt.example;

import java.time.Duration;
import java.util.List;

import io.github.oauthjwt.webflux.OAuthJwtFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * CORS for browser apps on other origins, on only when {@code cors.allowed-origins} names some.
 * The {@link CorsWebFilter} runs before the {@link OAuthJwtFilter} (a lower order), so it answers
 * preflights itself and adds CORS headers to every answer, refusals included: a browser app can
 * then read a 401's {@code WWW-Authenticate} or a 503's {@code Retry-After}. Bearer tokens travel
 * in a header, not a cookie, so credentials are not allowed.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "cors.allowed-origins")
@EnableConfigurationProperties(CorsConfiguration.CorsProperties.class)
public class CorsConfiguration {

    /** The CORS filter's order: just before the OAuth JWT filter. */
    public static final int ORDER = OAuthJwtFilter.DEFAULT_ORDER - 10;

    /**
     * The {@code cors.*} settings.
     *
     * @param allowedOrigins the origins allowed to call the API, such as {@code https://app.example.com}
     * @param maxAge how long a browser may cache a preflight's answer
     */
    @ConfigurationProperties("cors")
    public record CorsProperties(List<String> allowedOrigins, @DefaultValue("1h") Duration maxAge) {
    }

    /** CORS on every path, for the configured origins. */
    @Bean
    @Order(ORDER)
    CorsWebFilter corsWebFilter(CorsProperties properties) {
        org.springframework.web.cors.CorsConfiguration cors = new org.springframework.web.cors.CorsConfiguration();
        cors.setAllowedOrigins(properties.allowedOrigins());
        cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));
        cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "DPoP"));
        cors.setExposedHeaders(List.of(HttpHeaders.WWW_AUTHENTICATE, HttpHeaders.RETRY_AFTER));
        cors.setAllowCredentials(false);
        cors.setMaxAge(properties.maxAge());
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return new CorsWebFilter(source);
    }
}
