package io.github.oauthjwt.autoconfigure;

import io.github.oauthjwt.webflux.OAuthJwtFilterBuilder;

/**
 * Adjusts the options of the filter the starter builds, after the {@code oauth-jwt.*} settings are
 * applied and before {@link OAuthJwtFilterBuilder#build()} checks them: for what properties cannot
 * say, such as a {@link io.github.oauthjwt.webflux.TokenRule} or a {@link java.time.Clock}. Every
 * customizer bean is applied, in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface OAuthJwtFilterCustomizer {

    /** Adjusts the builder in place. */
    void customize(OAuthJwtFilterBuilder builder);
}
