package io.github.oauthjwt.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when an authorization server to trust is configured: {@code oauth-jwt.issuer},
 * {@code oauth-jwt.jwks-uri} or {@code oauth-jwt.issuers[0].issuer} is set to a non-blank value,
 * from whichever source (command line, environment, {@code application.yml}). The starter
 * configures nothing without one. {@link Absent} is the opposite, for an application that stands in
 * an issuer of its own when none is configured (as the example's demo issuer does).
 */
public final class AuthorizationServerConfigured extends SpringBootCondition {

    /** The properties of which any one, set, names an authorization server. */
    public static final List<String> PROPERTIES = List.of("oauth-jwt.issuer", "oauth-jwt.jwks-uri",
            "oauth-jwt.issuers[0].issuer");

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return outcome(isSet(context.getEnvironment()), true);
    }

    /** Whether the environment names an authorization server. */
    public static boolean isSet(Environment environment) {
        // The Binder applies Boot's relaxed names, so OAUTH_JWT_ISSUER counts as well.
        Binder binder = Binder.get(environment);
        return PROPERTIES.stream().anyMatch(name -> binder.bind(name, String.class).map(value -> !value.isBlank())
                .orElse(false));
    }

    private static ConditionOutcome outcome(boolean set, boolean wanted) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("OAuth JWT authorization server");
        String found = set ? "one of " + PROPERTIES + " set" : "none of " + PROPERTIES + " set";
        return set == wanted ? ConditionOutcome.match(message.because(found)) : ConditionOutcome.noMatch(message.because(found));
    }

    /** Matches when no authorization server is configured. */
    public static final class Absent extends SpringBootCondition {

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return outcome(isSet(context.getEnvironment()), false);
        }
    }
}
