package io.github.oauthjwt.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** How {@code oauth-jwt.*} settings bind and reach the library's builders. */
class OAuthJwtPropertiesTests {

    private static final Map<String, String> REQUIRED = Map.of(
            "oauth-jwt.issuer", "https://issuer.test",
            "oauth-jwt.audience", "api.test");

    @Test
    void bindWhenOnlyIssuerAndAudienceThenEverythingElseKeepsTheLibraryDefault() {
        OAuthJwtProperties properties = bind(Map.of());

        assertThat(properties.jwksEndpoint()).isEmpty();
        assertThat(properties.clockSkew()).isNull();
        assertThat(properties.requiredScopes()).isEmpty();
        assertThat(properties.jwks().timeout()).isNull();
    }

    @Test
    void bindWhenKebabCaseOptionsThenTheyReachTheRecord() {
        OAuthJwtProperties properties = bind(Map.of(
                "oauth-jwt.jwks-uri", "https://login.test/jwks",
                "oauth-jwt.audience", "a,b",
                "oauth-jwt.required-scopes", "read,write",
                "oauth-jwt.required-claims.role", "developer",
                "oauth-jwt.clock-skew", "30s",
                "oauth-jwt.jwks.timeout", "2s",
                "oauth-jwt.additional-scope-claims", "permissions",
                "oauth-jwt.jwks.refetch-interval", "4s"));

        assertThat(properties.jwksEndpoint()).contains(URI.create("https://login.test/jwks"));
        assertThat(properties.audience()).containsExactly("a", "b");
        assertThat(properties.requiredScopes()).containsExactly("read", "write");
        assertThat(properties.requiredClaims()).containsEntry("role", "developer");
        assertThat(properties.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.jwks().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.additionalScopeClaims()).containsExactly("permissions");
        assertThat(properties.jwks().refetchInterval()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void bindWhenJwksUriBlankThenTheDemoIssuerStandsIn() {
        assertThat(bind(Map.of("oauth-jwt.jwks-uri", " ")).jwksEndpoint()).isEmpty();
    }

    @Test
    void bindWhenIssuerMissingThenRefusedNamingTheProperty() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("oauth-jwt.audience", "api.test")));

        assertThatThrownBy(() -> binder.bindOrCreate("oauth-jwt", OAuthJwtProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessage("oauth-jwt.issuer must be set to the iss your tokens carry");
    }

    @Test
    void newFilterWhenOptionOutOfRangeThenRefusedWithTheLibraryMessage() {
        OAuthJwtProperties properties = bind(Map.of("oauth-jwt.clock-skew", "11m"));
        var keys = properties.jwks().newKeySource(URI.create("https://login.test/jwks"));

        assertThatThrownBy(() -> properties.newFilter(keys, io.github.oauthjwt.webflux.dpop.DpopOptions.disabled(), java.util.Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clockSkew");
    }

    @Test
    void newKeySourceWhenOnlyOneTtlBoundSetThenBuilds() {
        OAuthJwtProperties properties = bind(Map.of("oauth-jwt.jwks.min-ttl", "1m"));

        assertThat(properties.jwks().newKeySource(URI.create("https://login.test/jwks")).uri())
                .isEqualTo(URI.create("https://login.test/jwks"));
    }

    @Test
    void toStringWhenHmacSecretSetThenMasksIt() {
        OAuthJwtProperties properties = bind(Map.of("oauth-jwt.hmac-secret", "a-shared-secret-of-at-least-32-bytes!"));

        assertThat(properties.toString()).contains("hmacSecret=****").doesNotContain("a-shared-secret");
    }

    private static OAuthJwtProperties bind(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(REQUIRED);
        all.putAll(settings);
        return new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("oauth-jwt", OAuthJwtProperties.class);
    }
}
