package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.OPTIONS;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code oauth.jwt.validation}: one observation per secured request over the real filter, a real
 * JWKS endpoint and real signatures, with exactly the keys {@code outcome}, {@code reason},
 * {@code alg} and {@code cache}; none for paths the filter leaves alone or CORS preflights.
 */
class ValidationObservationTests {

    private static final String NAME = "oauth.jwt.validation";
    private static final TestKey RSA = TestKey.rsa("rsa-observed");
    private static final TestKey OTHER = TestKey.rsa("not-published");

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final List<Observation.Context> started = new CopyOnWriteArrayList<>();
    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    private JwksServer jwks;

    @BeforeEach
    void startJwks() {
        jwks = JwksServer.serving(RSA);
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                started.add(context);
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return NAME.equals(context.getName());
            }
        });
    }

    @AfterEach
    void stopJwks() {
        jwks.close();
    }

    private WebTestClient client(UnaryOperator<OAuthJwtFilterBuilder> options) {
        JwksKeySource keys = JwksKeySource.builder(jwks.uri()).refetchInterval(Duration.ofMillis(20)).build();
        OAuthJwtFilter filter = options.apply(OAuthJwtFilter.builder(keys).issuer(TestTokens.ISSUER)
                .audience(TestTokens.AUDIENCE).paths("/api/**").observationRegistry(registry)).build();
        return WebTestClient.bindToRouterFunction(route(GET("/api/data"), request -> ServerResponse.ok().bodyValue("ok"))
                        .andRoute(GET("/public"), request -> ServerResponse.ok().bodyValue("public"))
                        .andRoute(OPTIONS("/api/data"), request -> ServerResponse.ok().build()))
                .webFilter(filter).build();
    }

    private WebTestClient client() {
        return client(options -> options);
    }

    private static WebTestClient.ResponseSpec call(WebTestClient client, String authorization) {
        return client.get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, authorization).exchange();
    }

    private static WebTestClient.ResponseSpec bearer(WebTestClient client, String token) {
        return call(client, "Bearer " + token);
    }

    /** The low-cardinality keys of every observation made so far, in order; each was started and stopped. */
    private List<Map<String, String>> observed() {
        List<Map<String, String>> all = new ArrayList<>();
        assertThat(registry).hasHandledContextsThatSatisfy(contexts -> {
            for (Observation.Context context : contexts) {
                assertThat(context.getName()).isEqualTo(NAME);
                Map<String, String> keys = new TreeMap<>();
                for (KeyValue keyValue : context.getLowCardinalityKeyValues()) {
                    keys.put(keyValue.getKey(), keyValue.getValue());
                }
                all.add(keys);
            }
        });
        assertThat(stopped).hasSize(all.size()).hasSameElementsAs(started);
        return all;
    }

    /** The keys of the one observation made so far. */
    private Map<String, String> only() {
        List<Map<String, String>> all = observed();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static Map<String, String> keys(String outcome, String reason, String alg, String cache) {
        return Map.of("outcome", outcome, "reason", reason, "alg", alg, "cache", cache);
    }

    @Test
    void verifiedTokenIsObservedAsAMissThenAsAHitOfTheVerifiedTokenCache() {
        WebTestClient client = client();
        String token = TestTokens.signedBy(RSA).build();
        bearer(client, token).expectStatus().isOk();
        bearer(client, token).expectStatus().isOk();

        assertThat(observed()).containsExactly(keys("verified", "none", "RS256", "miss"),
                keys("verified", "none", "RS256", "hit"));
    }

    @Test
    void requestWithoutATokenIsMissingToken() {
        client().get().uri("/api/data").exchange().expectStatus().isUnauthorized();

        assertThat(only()).isEqualTo(keys("missing_token", "missing_token", "unknown", "miss"));
    }

    @Test
    void malformedAuthorizationHeaderIsAnInvalidRequest() {
        call(client(), "Bearer a b").expectStatus().isBadRequest();

        assertThat(only()).isEqualTo(keys("invalid_request", "malformed_request", "unknown", "miss"));
    }

    @Test
    void tokenThatIsNotAJwtIsMalformed() {
        bearer(client(), "not-a-jwt").expectStatus().isUnauthorized();

        assertThat(only()).isEqualTo(keys("invalid_token", "malformed", "unknown", "miss"));
    }

    @Test
    void tokenLongerThanTheLimitIsTooLarge() {
        bearer(client(options -> options.maxTokenLength(256)), TestTokens.signedBy(RSA).claim("padding", "x".repeat(256)).build())
                .expectStatus().isUnauthorized();

        assertThat(only()).isEqualTo(keys("invalid_token", "too_large", "unknown", "miss"));
    }

    @Test
    void refusedAlgorithmIsNotReportedAsTheTokensAlg() {
        String unsigned = TestTokens.encode("{\"alg\":\"none\"}") + "." + TestTokens.signedBy(RSA).signingInput().split("\\.")[1] + ".";
        bearer(client(), unsigned).expectStatus().isUnauthorized();
        bearer(client(options -> options.algorithms("RS384")), TestTokens.signedBy(RSA).build()).expectStatus().isUnauthorized();

        assertThat(observed()).containsExactly(keys("invalid_token", "algorithm_refused", "unknown", "miss"),
                keys("invalid_token", "algorithm_refused", "unknown", "miss"));
    }

    @Test
    void refusedTypeIsTypeRefused() {
        bearer(client(), TestTokens.signedBy(RSA).header("typ", "dpop+jwt").build()).expectStatus().isUnauthorized();

        assertThat(only()).isEqualTo(keys("invalid_token", "type_refused", "RS256", "miss"));
    }

    @Test
    void tokenSignedByAnotherKeyIsABadSignature() {
        bearer(client(), TestTokens.signedBy(RSA).signWith(OTHER).build()).expectStatus().isUnauthorized();

        assertThat(only()).isEqualTo(keys("invalid_token", "bad_signature", "RS256", "miss"));
    }

    @Test
    void kidNoPublishedKeyHasIsUnknownKid() {
        bearer(client(), TestTokens.signedBy(OTHER).build()).expectStatus().isUnauthorized();

        assertThat(only()).isEqualTo(keys("invalid_token", "unknown_kid", "RS256", "miss"));
    }

    @Test
    void eachClaimCheckHasItsOwnReason() {
        WebTestClient client = client(options -> options.requiredScopes("read").requiredClaim("tenant"));
        TestTokens valid = TestTokens.signedBy(RSA).scope("read").claim("tenant", "t1");
        bearer(client, TestTokens.signedBy(RSA).scope("read").claim("tenant", "t1")
                .expiresAt(Instant.now().minusSeconds(3600)).build()).expectStatus().isUnauthorized();
        bearer(client, TestTokens.signedBy(RSA).scope("read").claim("tenant", "t1")
                .claim("nbf", Instant.now().plusSeconds(3600).getEpochSecond()).build()).expectStatus().isUnauthorized();
        bearer(client, TestTokens.signedBy(RSA).scope("read").claim("tenant", "t1")
                .claim("iss", "https://elsewhere.example").build()).expectStatus().isUnauthorized();
        bearer(client, TestTokens.signedBy(RSA).scope("read").claim("tenant", "t1")
                .claim("aud", "another-api").build()).expectStatus().isUnauthorized();
        bearer(client, TestTokens.signedBy(RSA).scope("write").claim("tenant", "t1").build()).expectStatus().isForbidden();
        bearer(client, TestTokens.signedBy(RSA).scope("read").build()).expectStatus().isForbidden();
        bearer(client, valid.build()).expectStatus().isOk();

        assertThat(observed()).extracting(keys -> keys.get("outcome") + "/" + keys.get("reason")).containsExactly(
                "invalid_token/expired", "invalid_token/not_yet_valid", "invalid_token/wrong_issuer",
                "invalid_token/wrong_audience", "insufficient_scope/scope", "insufficient_scope/claim", "verified/none");
    }

    @Test
    void applicationRuleIsRuleWhateverRejectionItMakes() {
        WebTestClient client = client(options -> options.rule(
                claims -> Optional.of(Rejection.invalidRequest("This API wants a client_id claim."))));
        bearer(client, TestTokens.signedBy(RSA).build()).expectStatus().isBadRequest();

        assertThat(only()).isEqualTo(keys("invalid_request", "rule", "RS256", "miss"));
    }

    @Test
    void ruleThatThrowsIsAnInvalidTokenWithTheInternalErrorReason() {
        WebTestClient client = client(options -> options.rule(claims -> {
            throw new IllegalStateException("a bug in an application's rule");
        }));
        bearer(client, TestTokens.signedBy(RSA).build()).expectStatus().isUnauthorized();

        assertThat(only()).isEqualTo(keys("invalid_token", "internal_error", "RS256", "miss"));
    }

    @Test
    void validationCancelledWhileKeysAreFetchedIsCancelled() throws InterruptedException {
        jwks.holdResponses();
        OAuthJwtFilter filter = OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri())).issuer(TestTokens.ISSUER)
                .observationRegistry(registry).build();

        reactor.core.Disposable pending = filter.validate(TestTokens.signedBy(RSA).build()).subscribe();
        assertThat(jwks.awaitFirstRequest()).isTrue();
        pending.dispose();
        jwks.release();

        assertThat(only()).isEqualTo(keys("cancelled", "none", "RS256", "miss"));
    }

    @Test
    void rejectionOfARememberedTokenIsACacheHit() {
        WebTestClient client = client(options -> options.requiredScopes("read"));
        String token = TestTokens.signedBy(RSA).scope("write").build();
        bearer(client, token).expectStatus().isForbidden();
        bearer(client, token).expectStatus().isForbidden();

        assertThat(observed()).containsExactly(keys("insufficient_scope", "scope", "RS256", "miss"),
                keys("insufficient_scope", "scope", "RS256", "hit"));
    }

    @Test
    void keysThatCannotBeHadAreUnavailable() {
        jwks.failWith(503);
        bearer(client(), TestTokens.signedBy(RSA).build()).expectStatus().isEqualTo(503);

        assertThat(only()).isEqualTo(keys("unavailable", "keys_unavailable", "RS256", "miss"));
    }

    @Test
    void countsOneObservationPerSecuredRequestAndNoneForOtherPathsOrPreflights() {
        WebTestClient client = client();
        String token = TestTokens.signedBy(RSA).build();
        for (int i = 0; i < 3; i++) {
            bearer(client, token).expectStatus().isOk();
        }
        bearer(client, "not-a-jwt").expectStatus().isUnauthorized();
        client.get().uri("/api/data").exchange().expectStatus().isUnauthorized();
        client.get().uri("/public").exchange().expectStatus().isOk();
        client.options().uri("/api/data").header(HttpHeaders.ORIGIN, "https://app.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET").exchange().expectStatus().isOk();

        assertThat(registry).hasNumberOfObservationsWithNameEqualTo(NAME, 5);
        assertThat(observed()).extracting(keys -> keys.get("outcome"))
                .containsExactly("verified", "verified", "verified", "invalid_token", "missing_token");
    }

    @Test
    void validatingATokenOutsideTheFilterIsObservedToo() {
        OAuthJwtFilter filter = OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri())).issuer(TestTokens.ISSUER)
                .observationRegistry(registry).build();

        assertThat(filter.validate(TestTokens.signedBy(RSA).build()).block(Duration.ofSeconds(10)))
                .isInstanceOf(Verified.class);
        assertThat(filter.validate(TestTokens.signedBy(RSA).claim("iss", "https://elsewhere.example").build())
                .block(Duration.ofSeconds(10))).isInstanceOf(Rejection.class);

        assertThat(observed()).containsExactly(keys("verified", "none", "RS256", "miss"),
                keys("invalid_token", "wrong_issuer", "RS256", "miss"));
    }

    @Test
    void isAChildOfTheRequestsObservationInTheReactorContext() {
        JwksKeySource keys = JwksKeySource.fromUri(jwks.uri());
        OAuthJwtFilter filter = OAuthJwtFilter.builder(keys).observationRegistry(registry).build();
        Observation request = Observation.start("http.server.requests", registry);
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/data")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.signedBy(RSA).build()));

        filter.filter(exchange, passed -> Mono.empty())
                .contextWrite(context -> context.put(ObservationThreadLocalAccessor.KEY, request))
                .block(Duration.ofSeconds(10));
        request.stop();

        assertThat(registry).hasObservationWithNameEqualTo(NAME).that()
                .hasParentObservationEqualTo(request)
                .hasLowCardinalityKeyValue("outcome", "verified");
    }

    @Test
    void makesTheTimerOauthJwtValidationWithTheKeysAsTags() {
        MeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        OAuthJwtFilter filter = OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri())).paths("/api/**")
                .observationRegistry(observations).build();
        WebTestClient client = WebTestClient.bindToRouterFunction(
                route(GET("/api/data"), request -> ServerResponse.ok().bodyValue("ok"))).webFilter(filter).build();
        String token = TestTokens.signedBy(RSA).build();
        bearer(client, token).expectStatus().isOk();
        bearer(client, token).expectStatus().isOk();
        client.get().uri("/api/data").exchange().expectStatus().isUnauthorized();

        assertThat(meters.get(NAME).tags("outcome", "verified", "reason", "none", "alg", "RS256", "cache", "miss")
                .timer().count()).isEqualTo(1);
        assertThat(meters.get(NAME).tags("outcome", "verified", "cache", "hit").timer().count()).isEqualTo(1);
        assertThat(meters.get(NAME).tags("outcome", "missing_token", "reason", "missing_token", "alg", "unknown")
                .timer().count()).isEqualTo(1);
        assertThat(meters.get(NAME).timers()).hasSize(3);
    }

    @Test
    void registryWithoutHandlersObservesNothingAndTheFilterWorksAsWithout() {
        ObservationRegistry empty = ObservationRegistry.create();
        OAuthJwtFilter filter = OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri())).observationRegistry(empty).build();
        WebTestClient client = WebTestClient.bindToRouterFunction(
                route(GET("/api/data"), request -> ServerResponse.ok().bodyValue("ok"))).webFilter(filter).build();

        bearer(client, TestTokens.signedBy(RSA).build()).expectStatus().isOk();
        client.get().uri("/api/data").exchange().expectStatus().isUnauthorized();
        assertThat(empty.isNoop()).isTrue();
    }
}
