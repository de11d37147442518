package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.jwk.Curve;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The filter end to end: a real JWKS endpoint, real keys and signatures, the real filter in front
 * of functional routes, and exact statuses and {@code WWW-Authenticate} headers.
 */
class OAuthJwtFilterTests {

    private static final TestKey RSA = TestKey.rsa("rsa-1");
    private static final TestKey EC256 = TestKey.ec("ec-256", Curve.P_256);
    private static final TestKey EC384 = TestKey.ec("ec-384", Curve.P_384);
    private static final TestKey ED = TestKey.ed25519("ed-1");
    private static final TestKey ATTACKER = TestKey.rsa("attacker");

    private JwksServer jwks;
    private WebTestClient client;

    @BeforeEach
    void startJwks() {
        jwks = JwksServer.serving(RSA, EC256, EC384, ED);
        client = clientFor(OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri()))
                .issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).paths("/api/**").build());
    }

    @AfterEach
    void stopJwks() {
        jwks.close();
    }

    private static WebTestClient clientFor(OAuthJwtFilter filter) {
        RouterFunction<ServerResponse> routes = route(GET("/api/data"),
                request -> ServerResponse.ok().bodyValue("sub=" + JwtClaims.from(request).subject()
                        + " scopes=" + JwtClaims.from(request).scopes()))
                .andRoute(GET("/api/context"), request -> JwtClaims.current()
                        .flatMap(claims -> ServerResponse.ok().bodyValue("context sub=" + claims.subject())))
                .andRoute(GET("/api/admin"), request -> ServerResponse.ok().bodyValue("admin"))
                .andRoute(GET("/public"), request -> ServerResponse.ok().bodyValue("public"));
        return WebTestClient.bindToRouterFunction(routes).webFilter(filter).build();
    }

    private WebTestClient.ResponseSpec get(String token) {
        return client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private void assertInvalidToken(String token, String description) {
        get(token).expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer error=\"invalid_token\", error_description=\"" + description + "\"")
                .expectBody(String.class).isEqualTo(
                        "{\"error\":\"invalid_token\",\"error_description\":\"" + description + "\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
    void acceptsRsaTokensOfEveryRsaAlgorithm(String alg) {
        get(TestTokens.signedBy(RSA).alg(alg).build()).expectStatus().isOk()
                .expectBody(String.class).isEqualTo("sub=alice scopes=[read]");
    }

    @Test
    void acceptsEs256Es384AndEdDsaTokens() {
        get(TestTokens.signedBy(EC256).build()).expectStatus().isOk();
        get(TestTokens.signedBy(EC384).build()).expectStatus().isOk();
        get(TestTokens.signedBy(ED).build()).expectStatus().isOk();
        get(TestTokens.signedBy(ED).alg("Ed25519").build()).expectStatus().isOk();
    }

    @Test
    void putsTheVerifiedClaimsInTheReactorContext() {
        client.get().uri("/api/context").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(RSA).build())
                .exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("context sub=alice");
    }

    @Test
    void letsPathsOutsideTheFilterThroughWithoutAToken() {
        client.get().uri("/public").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("public");
        assertThat(jwks.requestCount()).isZero();
    }

    // RFC 6750 §2.1 and §3.1: reading the credentials

    @Test
    void answersABareChallengeWhenThereIsNoAuthorizationHeader() {
        client.get().uri("/api/data").exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectBody().isEmpty();
    }

    @Test
    void answersABareChallengeToAnotherScheme() {
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Basic YWxpY2U6c2VjcmV0").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    @Test
    void acceptsTheSchemeInAnyCase() {
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "bEARER " + TestTokens.signedBy(RSA).build())
                .exchange().expectStatus().isOk();
    }

    @Test
    void rejectsBearerWithoutAToken() {
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_request\", "
                        + "error_description=\"The Authorization header uses the Bearer scheme but carries no token.\"");
    }

    @Test
    void rejectsMoreThanOneToken() {
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer abc def").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_request\", "
                        + "error_description=\"The Authorization header carries more than one value; send exactly one bearer token.\"");
    }

    @Test
    void rejectsCharactersOutsideB64Token() {
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer abc\"def").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_request\", "
                        + "error_description=\"The bearer token contains characters that RFC 6750 does not allow; a token is"
                        + " made of letters, digits and - . _ ~ + / followed by optional = padding.\"");
    }

    @Test
    void rejectsSeveralAuthorizationHeaders() {
        String token = TestTokens.signedBy(RSA).build();
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token, "Bearer " + token).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_request\", "
                        + "error_description=\"The request has 2 Authorization headers; send exactly one.\"");
    }

    @Test
    void rejectsATokenSentBothInTheHeaderAndTheQuery() {
        String token = TestTokens.signedBy(RSA).build();
        client.get().uri("/api/data?access_token=" + token).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isBadRequest();
    }

    @Test
    void neverReadsATokenFromTheQuery() {
        client.get().uri("/api/data?access_token=" + TestTokens.signedBy(RSA).build()).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    @Test
    void namesTheRealmWhenOneIsConfigured() {
        WebTestClient withRealm = clientFor(OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri()))
                .issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).realm("orders").build());
        withRealm.get().uri("/api/data").exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"orders\"");
        withRealm.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer x.y.z").exchange()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"orders\", error=\"invalid_token\", "
                        + "error_description=\"The access token's header or payload is not valid base64url.\"");
    }

    // RFC 8725: what a token may be

    @Test
    void rejectsAnUnsignedToken() {
        String token = TestTokens.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                + TestTokens.encode("{\"sub\":\"alice\",\"exp\":" + (Instant.now().getEpochSecond() + 300) + "}") + ".";
        assertInvalidToken(token, "The access token is unsigned (alg 'none'); this API accepts only signed JWTs.");
    }

    @Test
    void rejectsAnUnsignedTokenCarryingAFakeSignature() {
        String token = TestTokens.signedBy(RSA).header("alg", "none").buildWithSignature(new byte[] {1, 2, 3});
        assertInvalidToken(token, "The access token is unsigned (alg 'none'); this API accepts only signed JWTs.");
    }

    @Test
    void rejectsTokenSignedWithHs256UsingTheRsaPublicKey() throws Exception {
        TestTokens forged = TestTokens.signedBy(RSA).header("alg", "HS256");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(RSA.keyPair().getPublic().getEncoded(), "HmacSHA256"));
        String token = forged.buildWithSignature(mac.doFinal(forged.signingInput().getBytes(StandardCharsets.US_ASCII)));
        assertInvalidToken(token, "The access token is signed with HS256, which this API does not accept; it accepts"
                + " ES256, ES384, ES512, Ed25519, EdDSA, PS256, PS384, PS512, RS256, RS384, RS512.");
    }

    @Test
    void acceptsHmacTokensOnlyWithAConfiguredSecret() throws Exception {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        WebTestClient withSecret = clientFor(OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri()))
                .issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).hmacSecret(secret).build());
        TestTokens token = TestTokens.signedBy(RSA).header("alg", "HS256").header("kid", null);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        String signed = token.buildWithSignature(mac.doFinal(token.signingInput().getBytes(StandardCharsets.US_ASCII)));
        withSecret.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + signed).exchange()
                .expectStatus().isOk();
        String wrongSecret = token.buildWithSignature(new byte[32]);
        withSecret.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + wrongSecret).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void rejectsAnEncryptedToken() {
        String jwe = TestTokens.encode("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"kid\":\"rsa-1\"}")
                + ".AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA";
        assertInvalidToken(jwe, "The access token is encrypted (JWE); this API accepts only signed JWTs (JWS).");
    }

    @Test
    void rejectsAThreePartTokenWithAJweHeader() {
        String token = TestTokens.encode("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}") + "." + TestTokens.encode("{}") + ".AAAA";
        assertInvalidToken(token, "The access token is encrypted (JWE); this API accepts only signed JWTs (JWS).");
    }

    @Test
    void neverFetchesOrUsesAKeyNamedByJkuOrEmbeddedAsJwk() {
        try (JwksServer attackerJwks = JwksServer.serving(ATTACKER)) {
            String token = TestTokens.signedBy(ATTACKER)
                    .header("jku", attackerJwks.uri().toString())
                    .header("x5u", attackerJwks.uri().toString())
                    .header("jwk", ATTACKER.publicJwk())
                    .build();
            assertInvalidToken(token,
                    "No signing key with kid 'attacker' is published by the authorization server this API trusts.");
            assertThat(attackerJwks.requestCount()).isZero();
        }
    }

    @Test
    void rejectsATokenWhoseEmbeddedJwkClaimsATrustedKid() {
        String token = TestTokens.signedBy(RSA).signWith(ATTACKER).header("jwk", ATTACKER.publicJwk()).build();
        assertInvalidToken(token, "The access token's signature is not valid.");
    }

    @Test
    void rejectsAnUnknownCriticalHeader() {
        String token = TestTokens.signedBy(RSA).header("crit", List.of("exp-policy")).header("exp-policy", "strict").build();
        assertInvalidToken(token,
                "The access token marks header parameters as critical (crit) that this API does not understand.");
    }

    @Test
    void rejectsAnEs256SignatureWhoseRAndSAreZero() {
        String token = TestTokens.signedBy(EC256).buildWithSignature(new byte[64]);
        assertInvalidToken(token, "The access token's signature is not valid.");
    }

    @Test
    void rejectsAnAlgorithmThatDoesNotFitTheKey() {
        String token = TestTokens.signedBy(RSA).alg("ES256").header("kid", "rsa-1").signWith(EC256).build();
        assertInvalidToken(token, "The signing key with kid 'rsa-1' cannot verify ES256 signatures.");
    }

    @Test
    void rejectsATamperedPayload() {
        String token = TestTokens.signedBy(RSA).build();
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + TestTokens.encode("{\"sub\":\"mallory\",\"iss\":\"" + TestTokens.ISSUER
                + "\",\"aud\":\"" + TestTokens.AUDIENCE + "\",\"exp\":4102444800}") + "." + parts[2];
        assertInvalidToken(tampered, "The access token's signature is not valid.");
    }

    @Test
    void acceptsTypesJwtAndAtJwtAndNoTypeButNotOthers() {
        get(TestTokens.signedBy(RSA).header("typ", "JWT").build()).expectStatus().isOk();
        get(TestTokens.signedBy(RSA).header("typ", "application/at+jwt").build()).expectStatus().isOk();
        get(TestTokens.signedBy(RSA).header("typ", null).build()).expectStatus().isOk();
        assertInvalidToken(TestTokens.signedBy(RSA).header("typ", "dpop+jwt").build(),
                "The access token's type (typ header) 'dpop+jwt' is not one this API accepts: at+jwt, jwt.");
    }

    @Test
    void refusesIdTokensAndUntypedTokensWhenAtJwtIsRequired() {
        WebTestClient strict = clientFor(OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri()))
                .issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).tokenTypes(true, "at+jwt").build());
        strict.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(RSA).build())
                .exchange().expectStatus().isOk();
        strict.get().uri("/api/data")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(RSA).header("typ", "JWT").build())
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", "
                        + "error_description=\"The access token's type (typ header) 'JWT' is not one this API accepts: at+jwt.\"");
        strict.get().uri("/api/data")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(RSA).header("typ", null).build())
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", "
                        + "error_description=\"The access token has no type (typ header); this API requires at+jwt.\"");
    }

    @Test
    void readsClaimsAsUtf8() {
        get(TestTokens.signedBy(RSA).claim("sub", "J\u00fcrgen \u5c71\u7530").build()).expectStatus().isOk()
                .expectBody(String.class).isEqualTo("sub=J\u00fcrgen \u5c71\u7530 scopes=[read]");
    }

    @Test
    void usesTheOnlyFittingKeyForATokenWithoutKid() {
        get(TestTokens.signedBy(RSA).header("kid", null).build()).expectStatus().isOk();
        get(TestTokens.signedBy(ED).header("kid", null).build()).expectStatus().isOk();
    }

    @Test
    void rejectsATokenWithoutKidWhenSeveralKeysFit() {
        jwks.publish(RSA, TestKey.rsa("rsa-2"));
        assertInvalidToken(TestTokens.signedBy(RSA).header("kid", null).build(), "The access token has no kid header, and"
                + " the authorization server does not publish exactly one key for RS256; send a token with a kid.");
    }

    @Test
    void refusesATokenLongerThanTheLimitBeforeDecodingIt() {
        String huge = "a".repeat(OAuthJwtFilterBuilder.DEFAULT_MAX_TOKEN_LENGTH + 1);
        assertInvalidToken(huge, "The access token is too large: 8193 characters, and this API accepts at most 8192.");
        assertThat(jwks.requestCount()).isZero();
    }

    @Test
    void rejectsTokensThatAreNotJwts() {
        assertInvalidToken("opaque-token", "The access token is not a JWT: a signed JWT has three base64url parts"
                + " separated by dots.");
        assertInvalidToken("e30.e30", "The access token is not a JWT: a signed JWT has three base64url parts"
                + " separated by dots.");
        assertInvalidToken("e30.e30.AAAA", "The access token's header is not a valid JWS header: a JSON object with"
                + " a signature alg.");
        assertInvalidToken(".e30.AAAA", "The access token's header or payload is not valid base64url.");
        assertInvalidToken(TestTokens.encode("{\"alg\":\"RS256\"}") + "." + TestTokens.encode("[1,2]") + ".AAAA",
                "The access token's payload is not a JSON object of claims.");
    }

    // RFC 7519 and RFC 9068: the claims

    @Test
    void rejectsATokenWithoutExpiry() {
        assertInvalidToken(TestTokens.signedBy(RSA).claim("exp", null).build(),
                "The access token has no expiry (exp claim); this API accepts only tokens that expire.");
    }

    @Test
    void rejectsAnExpiredTokenNamingWhenItExpired() {
        Instant expiry = Instant.parse("2026-01-01T12:00:00Z");
        assertInvalidToken(TestTokens.signedBy(RSA).expiresAt(expiry).build(),
                "The access token expired at 2026-01-01T12:00:00Z.");
    }

    @Test
    void toleratesClockSkewOnExpiry() {
        get(TestTokens.signedBy(RSA).expiresAt(Instant.now().minusSeconds(30)).build()).expectStatus().isOk();
    }

    @Test
    void rejectsATokenNotYetValid() {
        Instant notBefore = Instant.now().plusSeconds(3600);
        assertInvalidToken(TestTokens.signedBy(RSA).claim("nbf", notBefore.getEpochSecond()).build(),
                "The access token is not valid before " + Instant.ofEpochSecond(notBefore.getEpochSecond()) + ".");
    }

    @Test
    void rejectsATokenIssuedInTheFuture() {
        long issuedAt = Instant.now().plusSeconds(3600).getEpochSecond();
        assertInvalidToken(TestTokens.signedBy(RSA).claim("iat", issuedAt).build(), "The access token was issued in the"
                + " future (iat " + Instant.ofEpochSecond(issuedAt) + "); check the authorization server's clock.");
    }

    @Test
    void rejectsAnExpiryThatIsNotANumber() {
        assertInvalidToken(TestTokens.signedBy(RSA).claim("exp", "tomorrow").build(),
                "The access token's exp claim is not a number of seconds since the epoch.");
    }

    @Test
    void rejectsAnotherIssuer() {
        assertInvalidToken(TestTokens.signedBy(RSA).claim("iss", "https://evil.example").build(),
                "The access token was issued by 'https://evil.example'; this API accepts tokens issued by "
                        + TestTokens.ISSUER + ".");
    }

    @Test
    void acceptsAnAudienceArrayHoldingTheAudience() {
        get(TestTokens.signedBy(RSA).claim("aud", List.of("other.example.com", TestTokens.AUDIENCE)).build())
                .expectStatus().isOk();
    }

    @Test
    void rejectsAnAudienceArrayWithoutTheAudience() {
        assertInvalidToken(TestTokens.signedBy(RSA).claim("aud", List.of("other.example.com")).build(),
                "The access token's audience does not include api.example.com.");
    }

    @Test
    void rejectsATokenWithoutAudience() {
        assertInvalidToken(TestTokens.signedBy(RSA).claim("aud", null).build(),
                "The access token has no audience (aud claim); this API requires api.example.com.");
    }

    @Test
    void answersInsufficientScopeNamingTheRequiredScopes() {
        WebTestClient scoped = clientFor(OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri()))
                .issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).requiredScopes("read", "write").build());
        scoped.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(RSA).build())
                .exchange().expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", "
                        + "error_description=\"The access token lacks the scope 'write'; this resource requires the"
                        + " scopes: read write.\", scope=\"read write\"");
        scoped.get().uri("/api/data")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(RSA).scope("write read").build())
                .exchange().expectStatus().isOk();
        scoped.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION,
                        "Bearer " + TestTokens.signedBy(RSA).scope(null).claim("scp", List.of("read", "write")).build())
                .exchange().expectStatus().isOk();
    }

    @Test
    void requiresClaimsByNameAndByValue() {
        WebTestClient withClaims = clientFor(OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri()))
                .issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE)
                .requiredClaim("tenant").requiredClaim("role", "developer").build());
        withClaims.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION,
                        "Bearer " + TestTokens.signedBy(RSA).claim("role", "developer").build())
                .exchange().expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", "
                        + "error_description=\"The access token lacks the claim 'tenant' that this resource requires.\"");
        withClaims.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION,
                        "Bearer " + TestTokens.signedBy(RSA).claim("tenant", "t1").claim("role", "tester").build())
                .exchange().expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", "
                        + "error_description=\"The access token's claim 'role' does not have the value 'developer' that"
                        + " this resource requires.\"");
        withClaims.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer "
                        + TestTokens.signedBy(RSA).claim("tenant", "t1").claim("role", List.of("tester", "developer")).build())
                .exchange().expectStatus().isOk();
    }

    @Test
    void neverEchoesAHostileKidOrIssuer() {
        assertInvalidToken(TestTokens.signedBy(RSA).header("kid", "x\"\r\nSet-Cookie: a=b").build(),
                "No signing key with the token's kid is published by the authorization server this API trusts.");
        assertInvalidToken(TestTokens.signedBy(RSA).claim("iss", "evil\" error=\"none").build(),
                "The access token was issued by another issuer; this API accepts tokens issued by "
                        + TestTokens.ISSUER + ".");
    }

    // The key cache behind the filter

    @Test
    void fetchesTheJwksOnceForOneHundredConcurrentRequestsWithTheSameUnknownKid() throws Exception {
        OAuthJwtFilter filter = OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri()))
                .issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).build();
        TestKey rotated = TestKey.rsa("rotated");
        assertThat(statusOf(filter, TestTokens.signedBy(RSA).build())).isEqualTo(200);
        assertThat(jwks.requestCount()).isEqualTo(1);
        jwks.publish(RSA, rotated).holdResponses();
        String token = TestTokens.signedBy(rotated).build();

        Mono<List<Integer>> concurrent = Flux.range(0, 100)
                .flatMap(i -> exchangeStatus(filter, token), 100)
                .collectList();

        StepVerifier.create(concurrent)
                .then(() -> {
                    // All 100 are subscribed and waiting on the held fetch before it is answered.
                    assertThat(awaitFirstRequest()).isTrue();
                    jwks.release();
                })
                .assertNext(statuses -> assertThat(statuses).hasSize(100).containsOnly(200))
                .verifyComplete();
        assertThat(jwks.requestCount()).isEqualTo(2);
    }

    private boolean awaitFirstRequest() {
        try {
            return jwks.awaitFirstRequest();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Mono<Integer> exchangeStatus(OAuthJwtFilter filter, String token) {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
        WebFilterChain ok = ex -> {
            ex.getResponse().setStatusCode(HttpStatus.OK);
            return Mono.empty();
        };
        return filter.filter(exchange, ok).then(Mono.fromSupplier(() -> exchange.getResponse().getStatusCode().value()));
    }

    private static int statusOf(OAuthJwtFilter filter, String token) {
        return exchangeStatus(filter, token).block(java.time.Duration.ofSeconds(10));
    }

    @Test
    void answers503WithRetryAfterWhenTheKeysCannotBeFetched() {
        jwks.failWith(500);
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(RSA).build())
                .exchange().expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE)
                .expectHeader().contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .expectBody(String.class).isEqualTo("{\"error\":\"temporarily_unavailable\",\"error_description\":"
                        + "\"The API cannot verify access tokens right now because the authorization server's signing keys"
                        + " are unavailable; retry the same token in 1 second.\"}");
    }

    @Test
    void keepsErrorResponsesOutOfCaches() {
        client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer nope").exchange()
                .expectHeader().cacheControl(org.springframework.http.CacheControl.noStore());
    }

    @Test
    void answers401AndNever500WhenValidationFailsUnexpectedly() {
        java.time.Clock broken = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                throw new IllegalStateException("clock failure");
            }
        };
        WebTestClient withBrokenClock = clientFor(OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri()))
                .issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).clock(broken).build());
        withBrokenClock.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(RSA).build())
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer error=\"invalid_token\", error_description=\"The access token could not be validated.\"");
    }

    @Test
    void refusesContradictoryOptionsAtBuild() {
        JwksKeySource keys = JwksKeySource.fromUri(jwks.uri());
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> OAuthJwtFilter.builder(keys).algorithms("HS256").build())
                .withMessage("algorithm HS256 needs an hmacSecret");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> OAuthJwtFilter.builder(keys).algorithms("none").build())
                .withMessage("algorithm 'none' is not a supported JWS signature algorithm");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> OAuthJwtFilter.builder(keys).hmacSecret("short").build())
                .withMessage("hmacSecret must be at least 32 bytes");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> OAuthJwtFilter.builder(keys).requiredScopes("a b").build())
                .withMessage("required scope 'a b' is not a valid scope token");
        assertThat(Map.of()).isEmpty();
    }
}
