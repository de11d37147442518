package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import io.github.oauthjwt.testing.IssuerServer;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A filter that trusts several issuers, each with its own audience, scopes and key source, picked by
 * each token's {@code iss} before anything is fetched; and issuers decided at run time by a resolver,
 * held up to a cap and dropped when idle.
 */
class SeveralIssuersTests {

    private static final TestKey CORPORATE_KEY = TestKey.rsa("corporate");
    private static final TestKey PARTNER_KEY = TestKey.ec("partner", com.nimbusds.jose.jwk.Curve.P_256);
    private static final String CORPORATE = "https://login.corporate.example";
    private static final String UNTRUSTED = "Bearer error=\"invalid_token\", error_description=\"The access token was"
            + " issued by an issuer this API does not trust.\"";

    private JwksServer corporateJwks;
    private IssuerServer partner;
    private IssuerServer stranger;

    @BeforeEach
    void start() {
        corporateJwks = JwksServer.serving(CORPORATE_KEY);
        partner = IssuerServer.serving(PARTNER_KEY);
        stranger = IssuerServer.serving(PARTNER_KEY);
    }

    @AfterEach
    void stop() {
        corporateJwks.close();
        partner.close();
        stranger.close();
    }

    private static WebTestClient client(OAuthJwtFilter filter) {
        return WebTestClient.bindToRouterFunction(route(GET("/api"),
                        request -> ServerResponse.ok().bodyValue("issued by " + JwtClaims.from(request).issuer())))
                .webFilter(filter).build();
    }

    private WebTestClient twoIssuers() {
        return client(OAuthJwtFilter.builder(TrustedIssuers.of(
                        TrustedIssuer.builder(CORPORATE).keys(JwksKeySource.fromUri(corporateJwks.uri()))
                                .audience("corporate-api").build(),
                        TrustedIssuer.builder(partner.issuer()).audience("partner-api").requiredScopes("partner")
                                .algorithms("ES256").build()))
                .verifiedTokenCacheSize(0)
                .build());
    }

    private static WebTestClient.ResponseSpec call(WebTestClient client, String token) {
        return client.get().uri("/api").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private String corporateToken(String audience) {
        return TestTokens.signedBy(CORPORATE_KEY).claim("iss", CORPORATE).claim("aud", audience).build();
    }

    private String partnerToken(String audience, String scope) {
        return TestTokens.signedBy(PARTNER_KEY).claim("iss", partner.issuer()).claim("aud", audience).scope(scope)
                .build();
    }

    @Test
    void acceptsEachIssuersTokensForItsOwnAudienceAndTellsTheHandlerWhichIssuerVouched() {
        WebTestClient client = twoIssuers();

        call(client, corporateToken("corporate-api")).expectStatus().isOk()
                .expectBody(String.class).isEqualTo("issued by " + CORPORATE);
        call(client, partnerToken("partner-api", "partner")).expectStatus().isOk()
                .expectBody(String.class).isEqualTo("issued by " + partner.issuer());
    }

    @Test
    void refusesOneIssuersTokenForTheOtherIssuersAudience() {
        WebTestClient client = twoIssuers();

        call(client, corporateToken("partner-api")).expectStatus().isUnauthorized();
        call(client, partnerToken("corporate-api", "partner")).expectStatus().isUnauthorized();
    }

    @Test
    void appliesEachIssuersRequiredScopesAndAlgorithms() {
        WebTestClient client = twoIssuers();

        call(client, partnerToken("partner-api", "read")).expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", "
                        + "error_description=\"The access token lacks the scope 'partner'; this resource requires the scopes: partner.\", "
                        + "scope=\"partner\"");
        String rsaSignedPartnerToken = TestTokens.signedBy(CORPORATE_KEY).claim("iss", partner.issuer())
                .claim("aud", "partner-api").scope("partner").build();
        call(client, rsaSignedPartnerToken).expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", "
                        + "error_description=\"The access token is signed with RS256, which this API does not accept;"
                        + " it accepts ES256.\"");
    }

    @Test
    void refusesATokenFromAnUntrustedIssuerWithoutFetchingAnything() {
        WebTestClient client = twoIssuers();
        String fromStranger = TestTokens.signedBy(PARTNER_KEY).claim("iss", stranger.issuer()).claim("aud", "partner-api")
                .header("kid", "unknown-kid").build();

        call(client, fromStranger).expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, UNTRUSTED);

        assertThat(stranger.requestedPaths()).isEmpty();
        assertThat(partner.requestedPaths()).isEmpty();
        assertThat(corporateJwks.requestCount()).isZero();
    }

    @Test
    void refusesATokenWithoutIssuerOrWithAnIssuerThatIsNotAString() {
        WebTestClient client = twoIssuers();

        call(client, TestTokens.signedBy(CORPORATE_KEY).claim("iss", null).claim("aud", "corporate-api").build())
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", "
                        + "error_description=\"The access token has no issuer (iss claim); this API accepts tokens only"
                        + " from the issuers it trusts.\"");
        call(client, TestTokens.signedBy(CORPORATE_KEY).claim("iss", List.of(CORPORATE)).build())
                .expectStatus().isUnauthorized().expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, UNTRUSTED);
        assertThat(corporateJwks.requestCount()).isZero();
    }

    @Test
    void refusesAnIssuerOnTheFilterItselfOrTheSameIssuerTwice() {
        TrustedIssuer corporate = TrustedIssuer.builder(CORPORATE).keys(JwksKeySource.fromUri(corporateJwks.uri())).build();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> OAuthJwtFilter.builder(TrustedIssuers.of(corporate)).issuer(CORPORATE).build())
                .withMessage("issuer is set per TrustedIssuer when the filter trusts several");
        assertThatIllegalArgumentException().isThrownBy(() -> TrustedIssuers.of(corporate, corporate))
                .withMessage("trusted issuers name " + CORPORATE + " twice");
    }

    // Issuers decided at run time

    /** A mutable clock for the resolver's idle timeout. */
    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    private final List<String> asked = new CopyOnWriteArrayList<>();

    /** Trusts {@code {origin}/tenants/{name}} of the stranger's server for lower-case names, discovered from it. */
    private Optional<TrustedIssuer> tenants(String iss) {
        asked.add(iss);
        String prefix = stranger.issuer() + "/tenants/";
        return iss.startsWith(prefix) && Pattern.matches("[a-z]{1,20}", iss.substring(prefix.length()))
                ? Optional.of(TrustedIssuer.builder(iss).keys(JwksKeySource.fromUri(stranger.jwksUri())).build())
                : Optional.empty();
    }

    private String tenantToken(String tenant, Instant now) {
        return TestTokens.signedBy(PARTNER_KEY).claim("iss", stranger.issuer() + "/tenants/" + tenant)
                .claim("iat", now.getEpochSecond()).claim("exp", now.getEpochSecond() + 3600).build();
    }

    @Test
    void trustsTheIssuersTheResolverVouchesForAndAsksOnlyOnceWhileTheyAreHeld() {
        WebTestClient client = client(OAuthJwtFilter.builder(TrustedIssuers.resolvedBy(this::tenants))
                .audience(TestTokens.AUDIENCE).verifiedTokenCacheSize(0).build());

        call(client, tenantToken("acme", Instant.now())).expectStatus().isOk();
        call(client, tenantToken("acme", Instant.now())).expectStatus().isOk();
        call(client, tenantToken("Evil", Instant.now())).expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, UNTRUSTED);

        assertThat(asked).containsExactly(stranger.issuer() + "/tenants/acme", stranger.issuer() + "/tenants/Evil");
        assertThat(stranger.requests("/jwks")).isEqualTo(1);
    }

    @Test
    void dropsAnIssuerLeftIdleAndAsksAboutItAgainWithAFreshKeyCache() {
        MovableClock clock = new MovableClock();
        WebTestClient client = client(OAuthJwtFilter.builder(TrustedIssuers.resolvedBy(this::tenants, 10,
                        Duration.ofMinutes(10)))
                .audience(TestTokens.AUDIENCE).clock(clock).verifiedTokenCacheSize(0).build());
        call(client, tenantToken("acme", clock.instant())).expectStatus().isOk();
        clock.advance(Duration.ofMinutes(9));
        call(client, tenantToken("acme", clock.instant())).expectStatus().isOk();
        assertThat(asked).hasSize(1);

        clock.advance(Duration.ofMinutes(10));
        call(client, tenantToken("acme", clock.instant())).expectStatus().isOk();

        assertThat(asked).hasSize(2);
        assertThat(stranger.requests("/jwks")).isEqualTo(2);
    }

    @Test
    void holdsNoMoreIssuersThanTheCapSoThatMostAreAskedAboutAgain() {
        WebTestClient client = client(OAuthJwtFilter.builder(TrustedIssuers.resolvedBy(this::tenants, 2, Duration.ofHours(1)))
                .audience(TestTokens.AUDIENCE).verifiedTokenCacheSize(0).build());
        List<String> fourTenants = List.of("alpha", "beta", "gamma", "delta");
        fourTenants.forEach(tenant -> call(client, tenantToken(tenant, Instant.now())).expectStatus().isOk());
        assertThat(asked).hasSize(4);

        fourTenants.forEach(tenant -> call(client, tenantToken(tenant, Instant.now())).expectStatus().isOk());

        // At most two issuers were held when the second round began, so at least two were asked about again.
        assertThat(asked.size()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void refusesATokenWithoutIssuerOrWithANonStringIssuerWithoutAskingTheResolver() {
        WebTestClient client = client(OAuthJwtFilter.builder(TrustedIssuers.resolvedBy(this::tenants))
                .audience(TestTokens.AUDIENCE).build());

        call(client, TestTokens.signedBy(PARTNER_KEY).claim("iss", null).build()).expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", "
                        + "error_description=\"The access token has no issuer (iss claim); this API accepts tokens only"
                        + " from the issuers it trusts.\"");
        call(client, TestTokens.signedBy(PARTNER_KEY).claim("iss", List.of(stranger.issuer() + "/tenants/acme")).build())
                .expectStatus().isUnauthorized().expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, UNTRUSTED);

        assertThat(asked).isEmpty();
        assertThat(stranger.requests("/jwks")).isZero();
    }

    @Test
    void refusesWhatTheResolverAnswersForAnotherIssuer() {
        WebTestClient client = client(OAuthJwtFilter.builder(TrustedIssuers.resolvedBy(iss -> Optional.of(
                        TrustedIssuer.builder(CORPORATE).keys(JwksKeySource.fromUri(corporateJwks.uri())).build())))
                .build());

        call(client, tenantToken("acme", Instant.now())).expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, UNTRUSTED);
        assertThat(corporateJwks.requestCount()).isZero();
    }

    @Test
    void refusesAResolverWithoutRoomOrIdleTime() {
        assertThatIllegalArgumentException().isThrownBy(() -> TrustedIssuers.resolvedBy(this::tenants, 0, Duration.ofHours(1)))
                .withMessage("maxIssuers must be at least 1");
        assertThatIllegalArgumentException().isThrownBy(() -> TrustedIssuers.resolvedBy(this::tenants, 1, Duration.ZERO))
                .withMessage("idleTimeout must be positive");
    }
}
