package io.github.oauthjwt.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
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
    void bindWhenJwksUriBlankThenTheKeysAreFoundThroughTheIssuersMetadata() {
        OAuthJwtProperties properties = bind(Map.of("oauth-jwt.jwks-uri", " "));

        assertThat(properties.jwksEndpoint()).isEmpty();
        assertThat(properties.demo()).isFalse();
        assertThat(properties.newKeySource().uri()).isEqualTo(URI.create("https://issuer.test"));
    }

    @Test
    void bindWhenNoAuthorizationServerThenTheDemoIssuerStandsIn() {
        OAuthJwtProperties properties = new Binder(new MapConfigurationPropertySource(Map.of("oauth-jwt.audience", "api.test")))
                .bindOrCreate("oauth-jwt", OAuthJwtProperties.class);

        assertThat(properties.demo()).isTrue();
    }

    @Test
    void bindWhenOnlyJwksUriThenTokensMustCarryTheLegacyDemoIssuer() {
        OAuthJwtProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "oauth-jwt.audience", "api.test", "oauth-jwt.jwks-uri", "https://login.test/jwks")))
                .bindOrCreate("oauth-jwt", OAuthJwtProperties.class);

        assertThat(properties.singleIssuer()).isEqualTo("https://demo-issuer.example");
        assertThat(properties.newKeySource().uri()).isEqualTo(URI.create("https://login.test/jwks"));
    }

    @Test
    void bindWhenSeveralIssuersThenEachHasItsOwnSettingsAndKeySource() {
        OAuthJwtProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "oauth-jwt.audience", "api.test",
                "oauth-jwt.issuers[0].issuer", "https://a.test",
                "oauth-jwt.issuers[1].issuer", "https://b.test",
                "oauth-jwt.issuers[1].audience", "b-api",
                "oauth-jwt.issuers[1].jwks-uri", "https://b.test/keys",
                "oauth-jwt.issuers[1].required-scopes", "partner")))
                .bindOrCreate("oauth-jwt", OAuthJwtProperties.class);

        assertThat(properties.issuers()).containsExactly(
                new OAuthJwtProperties.Issuer("https://a.test", List.of(), null, List.of()),
                new OAuthJwtProperties.Issuer("https://b.test", List.of("b-api"), "https://b.test/keys", List.of("partner")));
        assertThat(properties.newKeySources()).extracting(keys -> keys.uri())
                .containsExactly(URI.create("https://a.test"), URI.create("https://b.test/keys"));
        assertThat(properties.newFilter(properties.newKeySources())).isNotNull();
    }

    @Test
    void bindWhenSeveralIssuersAndAnIssuerThenRefusedNamingBoth() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("oauth-jwt.audience", "api.test",
                "oauth-jwt.issuer", "https://a.test", "oauth-jwt.issuers[0].issuer", "https://b.test")));

        assertThatThrownBy(() -> binder.bindOrCreate("oauth-jwt", OAuthJwtProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessage("oauth-jwt.issuers replaces oauth-jwt.issuer and oauth-jwt.jwks-uri;"
                        + " set issuer and jwks-uri of each oauth-jwt.issuers[N] instead");
    }

    @Test
    void newFilterWhenOptionOutOfRangeThenRefusedWithTheLibraryMessage() {
        OAuthJwtProperties properties = bind(Map.of("oauth-jwt.clock-skew", "11m"));
        var keys = properties.jwks().newKeySource(URI.create("https://login.test/jwks"));

        assertThatThrownBy(() -> properties.newFilter(keys, properties.singleIssuer()))
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
