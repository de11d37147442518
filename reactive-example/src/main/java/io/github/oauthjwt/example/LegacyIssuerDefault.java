package io.github.oauthjwt.example;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Keeps what {@code oauth-jwt.jwks-uri} set alone meant before discovery: the example then trusts
 * tokens of {@value #LEGACY_ISSUER}, the identifier its demo issuer had, as its
 * {@code application.yml} used to say. So commands and scripts written for earlier versions of the
 * example keep working. The starter itself asks for {@code oauth-jwt.issuer} with
 * {@code oauth-jwt.jwks-uri}; this default is the example's alone, and any {@code oauth-jwt.issuer}
 * given anywhere wins over it.
 */
public final class LegacyIssuerDefault implements EnvironmentPostProcessor, Ordered {

    /** The issuer assumed when only a JWKS endpoint is named. */
    public static final String LEGACY_ISSUER = "https://demo-issuer.example";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        boolean jwksUriAlone = binder.bind("oauth-jwt.jwks-uri", String.class).map(uri -> !uri.isBlank()).orElse(false)
                && binder.bind("oauth-jwt.issuer", String.class).map(String::isBlank).orElse(true)
                && !binder.bind("oauth-jwt.issuers[0].issuer", String.class).isBound();
        if (jwksUriAlone) {
            environment.getPropertySources().addLast(new MapPropertySource("legacyIssuerDefault",
                    Map.of("oauth-jwt.issuer", LEGACY_ISSUER)));
        }
    }

    /** After the configuration files and the command line are read. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
