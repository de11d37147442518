package io.github.oauthjwt.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.oauthjwt.webflux.jwks.JwksKeySource;
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

        assertThat(properties.jwksUri()).isNull();
        assertThat(properties.paths()).containsExactly("/**");
        assertThat(properties.clockSkew()).isNull();
        assertThat(properties.requiredScopes()).isEmpty();
        assertThat(properties.jwks().timeout()).isNull();
    }

    @Test
    void bindWhenKebabCaseOptionsThenTheyReachTheRecord() {
        OAuthJwtProperties properties = bind(Map.of(
                "oauth-jwt.jwks-uri", "https://login.test/jwks",
                "oauth-jwt.audience", "a,b",
                "oauth-jwt.paths", "/api/**,/admin/**",
                "oauth-jwt.required-scopes", "read,write",
                "oauth-jwt.required-claims.role", "developer",
                "oauth-jwt.clock-skew", "30s",
                "oauth-jwt.jwks.timeout", "2s",
                "oauth-jwt.additional-scope-claims", "permissions",
                "oauth-jwt.jwks.refetch-interval", "4s"));

        assertThat(properties.jwksUri()).isEqualTo("https://login.test/jwks");
        assertThat(properties.audience()).containsExactly("a", "b");
        assertThat(properties.paths()).containsExactly("/api/**", "/admin/**");
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

        assertThat(properties.jwksUri()).isNull();
        OAuthJwtProperties.Issuer only = properties.trustedIssuers().get(0);
        assertThat(properties.keySourceBuilder(only).build().uri()).isEqualTo(URI.create("https://issuer.test"));
    }

    @Test
    void bindWhenNoAuthorizationServerThenBindsButNamesNoIssuer() {
        OAuthJwtProperties properties = new Binder(new MapConfigurationPropertySource(Map.of("oauth-jwt.audience", "api.test")))
                .bindOrCreate("oauth-jwt", OAuthJwtProperties.class);

        assertThatThrownBy(properties::trustedIssuers).isInstanceOf(IllegalStateException.class)
                .hasMessage("oauth-jwt.issuer (or oauth-jwt.issuers) must name the authorization server to trust");
    }

    @Test
    void bindWhenOnlyJwksUriThenRefusedNamingTheIssuerOption() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "oauth-jwt.audience", "api.test", "oauth-jwt.jwks-uri", "https://login.test/jwks")));

        assertThatThrownBy(() -> binder.bindOrCreate("oauth-jwt", OAuthJwtProperties.class))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessage("oauth-jwt.issuer must be set with oauth-jwt.jwks-uri, to the exact iss your"
                        + " tokens carry");
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

        assertThat(properties.trustedIssuers()).containsExactly(
                new OAuthJwtProperties.Issuer("https://a.test", List.of(), null, List.of()),
                new OAuthJwtProperties.Issuer("https://b.test", List.of("b-api"), "https://b.test/keys", List.of("partner")));
        Map<String, JwksKeySource> keys = new HashMap<>();
        properties.trustedIssuers().forEach(each -> keys.put(each.issuer(), properties.keySourceBuilder(each).build()));
        assertThat(keys.get("https://a.test").uri()).isEqualTo(URI.create("https://a.test"));
        assertThat(keys.get("https://b.test").uri()).isEqualTo(URI.create("https://b.test/keys"));
        assertThat(properties.filterBuilder(keys).build()).isNotNull();
        assertThat(properties.optionOf(properties.trustedIssuers().get(1))).isEqualTo("oauth-jwt.issuers[1].");
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
    void keySourceBuilderWhenJwksUriIsNoUriThenRefusedNamingTheOption() {
        OAuthJwtProperties properties = bind(Map.of("oauth-jwt.jwks-uri", "https://login.test/a b"));

        assertThatThrownBy(() -> properties.keySourceBuilder(properties.trustedIssuers().get(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("oauth-jwt.jwks-uri must be an absolute http or https URI");
    }

    @Test
    void keySourceBuilderWhenOnlyOneTtlBoundSetThenBuilds() {
        OAuthJwtProperties properties = bind(Map.of("oauth-jwt.jwks.min-ttl", "1m"));

        assertThat(properties.keySourceBuilder(properties.trustedIssuers().get(0)).build().uri())
                .isEqualTo(URI.create("https://issuer.test"));
    }

    @Test
    void toStringWhenHmacSecretSetThenMasksIt() {
        OAuthJwtProperties properties = bind(Map.of("oauth-jwt.hmac-secret", "a-shared-secret-of-at-least-32-bytes!"));

        assertThat(properties.toString()).contains("hmacSecret=****").doesNotContain("a-shared-secret");
    }

    private static OAuthJwtProperties bind(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(REQUIRED);
        all.putAll(settings);
        return new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("oauth-jwt", OAuthJwtProperties.class);
    }
}
