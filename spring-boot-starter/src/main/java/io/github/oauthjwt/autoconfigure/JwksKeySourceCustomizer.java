package io.github.oauthjwt.autoconfigure;

import io.github.oauthjwt.webflux.jwks.JwksKeySource;

/**
 * Adjusts the options of each key source the starter builds, after the {@code oauth-jwt.jwks.*}
 * settings are applied and before {@link JwksKeySource.Builder#build()} checks them: for what
 * properties cannot say, such as a {@link io.github.oauthjwt.webflux.jwks.JwksListener} or a
 * {@code WebClient} with a proxy. Every customizer bean is applied to every key source, in
 * {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface JwksKeySourceCustomizer {

    /**
     * Adjusts the builder in place.
     *
     * @param issuer the identifier of the authorization server whose keys these are
     */
    void customize(String issuer, JwksKeySource.Builder builder);
}
