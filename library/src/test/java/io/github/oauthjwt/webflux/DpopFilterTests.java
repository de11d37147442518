package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.jwk.Curve;
import io.github.oauthjwt.testing.DpopProofs;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.MovableClock;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.webflux.dpop.ReplayStore;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * DPoP through the real filter behind a real reactor-netty server on a random port, over HTTP:
 * the schemes and their challenges (RFC 9449 §7), the downgrade of a bound token to Bearer, the
 * proof checks as a client meets them, forwarded headers, nonces, and a thousand concurrent
 * requests. The JDK's HTTP client sends the requests, so headers arrive exactly as written.
 */
class DpopFilterTests {

    private static final TestKey ISSUER_KEY = TestKey.rsa("issuer-rsa");
    private static final TestKey CLIENT = TestKey.ec("client", Curve.P_256);
    private static final String ALGS = "ES256 ES384 ES512 PS256 RS256 EdDSA";

    private static JwksServer jwks;
    private final MovableClock clock = MovableClock.atNow();
    private final HttpClient http = HttpClient.newHttpClient();
    private DisposableServer server;
    private String base;

    @BeforeAll
    static void startJwks() {
        jwks = JwksServer.serving(ISSUER_KEY);
    }

    @AfterAll
    static void stopJwks() {
        jwks.close();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.disposeNow();
        }
    }

    private void serve(DpopOptions dpop) {
        serve(dpop, builder -> builder);
    }

    private void serve(DpopOptions dpop, UnaryOperator<WebHttpHandlerBuilder> customizer) {
        OAuthJwtFilter filter = OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri())).issuer(TestTokens.ISSUER)
                .audience(TestTokens.AUDIENCE).paths("/api/**").dpop(dpop).clock(clock).build();
        RouterFunction<ServerResponse> routes = route(GET("/api/data"),
                request -> ServerResponse.ok().bodyValue("sub=" + JwtClaims.from(request).subject()));
        HttpHandler handler = customizer.apply(
                WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(routes)).filter(filter)).build();
        server = HttpServer.create().host("127.0.0.1").port(0).handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
        base = "http://127.0.0.1:" + server.port();
    }

    private static String boundToken() {
        return TestTokens.signedBy(ISSUER_KEY).claim("cnf", DpopProofs.cnf(CLIENT)).build();
    }

    private String proof(String token) {
        return DpopProofs.signedBy(CLIENT).forRequest("GET", base + "/api/data").accessToken(token)
                .claim("iat", clock.instant().getEpochSecond()).build();
    }

    private HttpResponse<String> get(String... headers) throws Exception {
        return getPath("/api/data", headers);
    }

    private HttpResponse<String> getPath(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> challenges(HttpResponse<String> response) {
        return response.headers().allValues(HttpHeaders.WWW_AUTHENTICATE);
    }

    @Test
    void acceptsADpopBoundTokenWithItsProof() throws Exception {
        serve(DpopOptions.builder().build());
        String token = boundToken();

        HttpResponse<String> response = get("Authorization", "DPoP " + token, "DPoP", proof(token));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("sub=alice");
    }

    @Test
    void acceptsTheSchemeInAnyCase() throws Exception {
        serve(DpopOptions.builder().build());
        String token = boundToken();
        assertThat(get("Authorization", "dpop " + token, "DPoP", proof(token)).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesTheSameProofTheSecondTime() throws Exception {
        serve(DpopOptions.builder().build());
        String token = boundToken();
        String proof = proof(token);
        assertThat(get("Authorization", "DPoP " + token, "DPoP", proof).statusCode()).isEqualTo(200);

        HttpResponse<String> replay = get("Authorization", "DPoP " + token, "DPoP", proof);

        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(challenges(replay)).containsExactly("DPoP error=\"invalid_dpop_proof\", error_description=\"The DPoP"
                + " proof was already used; make a new proof, with a new jti, for every request.\", algs=\"" + ALGS + "\"");
        assertThat(replay.body()).isEqualTo("{\"error\":\"invalid_dpop_proof\",\"error_description\":\"The DPoP proof"
                + " was already used; make a new proof, with a new jti, for every request.\"}");
    }

    @Test
    void neverAcceptsADpopBoundTokenAsABearerToken() throws Exception {
        serve(DpopOptions.builder().build());

        HttpResponse<String> response = get("Authorization", "Bearer " + boundToken());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenges(response)).containsExactly("Bearer error=\"invalid_token\", error_description=\"The access"
                + " token is bound to a DPoP key (cnf.jkt), so it is never accepted as a bearer token; send it as"
                + " 'Authorization: DPoP <token>' with a DPoP proof.\"");
    }

    @Test
    void neverAcceptsADpopBoundTokenAsABearerTokenWithDpopOff() throws Exception {
        serve(DpopOptions.disabled());

        HttpResponse<String> response = get("Authorization", "Bearer " + boundToken());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenges(response)).containsExactly("Bearer error=\"invalid_token\", error_description=\"The access"
                + " token is bound to a DPoP key (cnf.jkt), so it is never accepted as a bearer token.\"");
    }

    @Test
    void treatsTheDpopSchemeAsAnotherSchemeWithDpopOff() throws Exception {
        serve(DpopOptions.disabled());
        String token = boundToken();

        HttpResponse<String> response = get("Authorization", "DPoP " + token, "DPoP", proof(token));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenges(response)).containsExactly("Bearer");
    }

    @Test
    void acceptsAnUnboundBearerTokenWhenDpopIsAllowed() throws Exception {
        serve(DpopOptions.builder().build());
        assertThat(get("Authorization", "Bearer " + TestTokens.signedBy(ISSUER_KEY).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesAnUnboundTokenSentWithTheDpopScheme() throws Exception {
        serve(DpopOptions.builder().build());
        String token = TestTokens.signedBy(ISSUER_KEY).build();

        HttpResponse<String> response = get("Authorization", "DPoP " + token, "DPoP", proof(token));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenges(response).get(0)).isEqualTo("DPoP error=\"invalid_token\", error_description=\"The access"
                + " token is not bound to a DPoP key (it has no cnf.jkt claim), so it cannot be sent with the DPoP scheme;"
                + " send it with the Bearer scheme.\", algs=\"" + ALGS + "\"");
    }

    @Test
    void challengesInBearerAloneWhenDpopIsAllowedAndNoCredentialsCame() throws Exception {
        serve(DpopOptions.builder().build());

        HttpResponse<String> response = get();

        // One challenge per refusal (see Challenges): clients that read one WWW-Authenticate header keep working.
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenges(response)).containsExactly("Bearer");
    }

    @Test
    void challengesOnlyInDpopWhenDpopIsRequired() throws Exception {
        serve(DpopOptions.builder().mode(DpopOptions.Mode.REQUIRED).algorithms("ES256").build());

        assertThat(challenges(get())).containsExactly("DPoP algs=\"ES256\"");
        HttpResponse<String> bearer = get("Authorization", "Bearer " + TestTokens.signedBy(ISSUER_KEY).build());
        assertThat(bearer.statusCode()).isEqualTo(401);
        assertThat(challenges(bearer)).containsExactly("DPoP error=\"invalid_token\", error_description=\"This API"
                + " accepts only DPoP-bound access tokens; send 'Authorization: DPoP <token>' with a DPoP proof header.\","
                + " algs=\"ES256\"");
        String token = boundToken();
        assertThat(get("Authorization", "DPoP " + token, "DPoP", proof(token)).statusCode()).isEqualTo(200);
    }

    @Test
    void answersSeveralDpopHeadersWith400() throws Exception {
        serve(DpopOptions.builder().build());
        String token = boundToken();

        HttpResponse<String> response = get("Authorization", "DPoP " + token, "DPoP", proof(token), "DPoP", proof(token));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(challenges(response).get(0)).isEqualTo("DPoP error=\"invalid_request\", error_description=\"The request"
                + " has 2 DPoP headers; send exactly one.\", algs=\"" + ALGS + "\"");
    }

    @Test
    void answersBothSchemesAtOnceWith400() throws Exception {
        serve(DpopOptions.builder().build());
        String token = boundToken();

        HttpResponse<String> twoHeaders = get("Authorization", "DPoP " + token, "Authorization", "Bearer " + token,
                "DPoP", proof(token));
        HttpResponse<String> oneHeader = get("Authorization", "DPoP " + token + ", Bearer " + token, "DPoP", proof(token));

        assertThat(twoHeaders.statusCode()).isEqualTo(400);
        assertThat(challenges(twoHeaders).get(0)).contains("The request has 2 Authorization headers; send exactly one.");
        assertThat(oneHeader.statusCode()).isEqualTo(400);
    }

    @Test
    void answersAProofSentWithTheBearerSchemeWith400() throws Exception {
        serve(DpopOptions.builder().build());
        String token = boundToken();

        HttpResponse<String> response = get("Authorization", "Bearer " + token, "DPoP", proof(token));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(challenges(response).get(0)).isEqualTo("Bearer error=\"invalid_request\", error_description=\"The"
                + " request sends a DPoP proof with the Bearer scheme; send a DPoP-bound token as 'Authorization: DPoP"
                + " <token>', or an unbound one without a DPoP header.\"");
    }

    @Test
    void refusesAProofMadeForAnotherPath() throws Exception {
        serve(DpopOptions.builder().build());
        String token = boundToken();
        String proof = DpopProofs.signedBy(CLIENT).forRequest("GET", base + "/api/other").accessToken(token).build();

        HttpResponse<String> response = get("Authorization", "DPoP " + token, "DPoP", proof);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"invalid_dpop_proof\",\"error_description\":\"The DPoP proof is"
                + " made for another URI: its htu must be " + base + "/api/data, without query and fragment.\"}");
    }

    @Test
    void ignoresTheQueryOfTheRequest() throws Exception {
        serve(DpopOptions.builder().build());
        String token = boundToken();
        assertThat(getPath("/api/data?page=2", "Authorization", "DPoP " + token, "DPoP", proof(token)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void neverLetsAnUntrustedForwardedHostChangeTheUriTheProofMustName() throws Exception {
        serve(DpopOptions.builder().build());
        String token = boundToken();
        String forPublicHost = DpopProofs.signedBy(CLIENT).forRequest("GET", "https://api.example.com/api/data")
                .accessToken(token).build();

        HttpResponse<String> response = get("Authorization", "DPoP " + token, "DPoP", forPublicHost,
                "X-Forwarded-Host", "api.example.com", "X-Forwarded-Proto", "https", "Forwarded",
                "host=api.example.com;proto=https");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("its htu must be " + base + "/api/data");
    }

    @Test
    void takesTheUriFromForwardedHeadersOnlyWhenTheAppTrustsThem() throws Exception {
        serve(DpopOptions.builder().build(), builder -> builder.forwardedHeaderTransformer(new ForwardedHeaderTransformer()));
        String token = boundToken();
        String forPublicHost = DpopProofs.signedBy(CLIENT).forRequest("GET", "https://api.example.com/api/data")
                .accessToken(token).build();
        String forInternalHost = proof(token);

        HttpResponse<String> publicProof = get("Authorization", "DPoP " + token, "DPoP", forPublicHost,
                "X-Forwarded-Host", "api.example.com", "X-Forwarded-Proto", "https");
        HttpResponse<String> internalProof = get("Authorization", "DPoP " + token, "DPoP", forInternalHost,
                "X-Forwarded-Host", "api.example.com", "X-Forwarded-Proto", "https");

        assertThat(publicProof.statusCode()).isEqualTo(200);
        assertThat(internalProof.statusCode()).isEqualTo(401);
    }

    @Test
    void asksForANonceThenAcceptsAProofThatCarriesIt() throws Exception {
        serve(DpopOptions.builder().nonces(new byte[32], Duration.ofMinutes(5)).build());
        String token = boundToken();

        HttpResponse<String> first = get("Authorization", "DPoP " + token, "DPoP", proof(token));

        assertThat(first.statusCode()).isEqualTo(401);
        String nonce = first.headers().firstValue("DPoP-Nonce").orElseThrow();
        assertThat(challenges(first).get(0)).isEqualTo("DPoP error=\"use_dpop_nonce\", error_description=\"This API"
                + " requires a server nonce in DPoP proofs; make a new proof with the nonce of this response's DPoP-Nonce"
                + " header.\", algs=\"" + ALGS + "\"");
        String withNonce = DpopProofs.signedBy(CLIENT).forRequest("GET", base + "/api/data").accessToken(token)
                .claim("nonce", nonce).build();
        HttpResponse<String> second = get("Authorization", "DPoP " + token, "DPoP", withNonce);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("DPoP-Nonce")).isEmpty();
    }

    @Test
    void acceptsTheNonceOfThePreviousPeriodAndHandsTheCurrentOneWithTheAnswer() throws Exception {
        serve(DpopOptions.builder().nonces(new byte[32], Duration.ofMinutes(5)).build());
        String token = boundToken();
        String oldNonce = get("Authorization", "DPoP " + token, "DPoP", proof(token)).headers()
                .firstValue("DPoP-Nonce").orElseThrow();

        clock.advance(Duration.ofMinutes(5));
        String currentNonce = get("Authorization", "DPoP " + token, "DPoP", proof(token)).headers()
                .firstValue("DPoP-Nonce").orElseThrow();
        String withOldNonce = DpopProofs.signedBy(CLIENT).forRequest("GET", base + "/api/data").accessToken(token)
                .claim("iat", clock.instant().getEpochSecond()).claim("nonce", oldNonce).build();
        HttpResponse<String> response = get("Authorization", "DPoP " + token, "DPoP", withOldNonce);

        assertThat(currentNonce).isNotEqualTo(oldNonce);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("DPoP-Nonce")).containsExactly(currentNonce);
    }

    @Test
    void answers503WithRetryAfterWhenTheReplayStoreCannotAnswerAndFailsClosed() throws Exception {
        ReplayStore down = (key, ttl) -> Mono.error(new IllegalStateException("replay store down"));
        serve(DpopOptions.builder().replayStore(down, DpopOptions.OnStoreFailure.FAIL_CLOSED).build());
        String token = boundToken();

        HttpResponse<String> response = get("Authorization", "DPoP " + token, "DPoP", proof(token));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().allValues("Retry-After")).containsExactly("1");
        assertThat(challenges(response)).isEmpty();
        assertThat(response.body()).isEqualTo("{\"error\":\"temporarily_unavailable\",\"error_description\":\"The API"
                + " cannot check DPoP proofs for replay right now; retry in 1 second with a new proof.\"}");
    }

    @Test
    void acceptsOneThousandConcurrentRequestsWithFreshProofs() throws Exception {
        serve(DpopOptions.builder().build());
        String token = boundToken();
        List<CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/data")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "DPoP " + token).header("DPoP", proof(token)).build();
            responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(responses).allSatisfy(response -> assertThat(response.get().statusCode()).isEqualTo(200));
    }

    @Test
    void acceptsExactlyOneOfManyConcurrentRequestsWithTheSameProof() throws Exception {
        serve(DpopOptions.builder().build());
        String token = boundToken();
        String proof = proof(token);
        List<CompletableFuture<HttpResponse<String>>> responses = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/data")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "DPoP " + token).header("DPoP", proof).build();
            responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
        long accepted = responses.stream().filter(response -> response.join().statusCode() == 200).count();
        assertThat(accepted).isEqualTo(1);
    }
}
