package io.github.oauthjwt.example;

import java.util.List;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a real authorization server is configured: {@code oauth-jwt.issuer},
 * {@code oauth-jwt.jwks-uri} or {@code oauth-jwt.issuers[0].issuer} is set to a non-blank value,
 * from whichever source (command line, environment, {@code application.yml}). {@link Absent} is the
 * opposite, when the embedded demo issuer stands in.
 */
public final class AuthorizationServerConfigured implements Condition {

    /** The properties of which any one, set, names a real authorization server. */
    public static final List<String> PROPERTIES = List.of("oauth-jwt.issuer", "oauth-jwt.jwks-uri",
            "oauth-jwt.issuers[0].issuer");

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return isSet(context.getEnvironment());
    }

    /** Whether the environment names an authorization server. */
    static boolean isSet(Environment environment) {
        // The Binder applies Boot's relaxed names, so OAUTH_JWT_ISSUER counts as well.
        Binder binder = Binder.get(environment);
        return PROPERTIES.stream().anyMatch(name -> binder.bind(name, String.class).map(value -> !value.isBlank())
                .orElse(false));
    }

    /** Matches when no authorization server is configured. */
    public static final class Absent implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !isSet(context.getEnvironment());
        }
    }
}
