package io.github.oauthjwt.example;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code oauth-jwt.jwks-uri} is set to a non-blank value, from whichever source
 * (command line, {@code OAUTH_JWT_JWKS_URI}, {@code application.yml}): the app then trusts that
 * authorization server. {@link Absent} is the opposite, when the embedded demo issuer stands in.
 */
public final class JwksUriConfigured implements Condition {

    /** The property that decides between a real authorization server and the demo issuer. */
    public static final String PROPERTY = "oauth-jwt.jwks-uri";

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return isSet(context.getEnvironment());
    }

    /** Whether the environment names a JWKS endpoint. */
    static boolean isSet(Environment environment) {
        // The Binder applies Boot's relaxed names, so OAUTH_JWT_JWKS_URI counts as well.
        return Binder.get(environment).bind(PROPERTY, String.class).map(uri -> !uri.isBlank()).orElse(false);
    }

    /** Matches when {@code oauth-jwt.jwks-uri} is unset or blank. */
    public static final class Absent implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !isSet(context.getEnvironment());
        }
    }
}
