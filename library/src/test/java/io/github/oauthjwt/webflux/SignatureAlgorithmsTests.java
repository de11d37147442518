package io.github.oauthjwt.webflux;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.nio.charset.StandardCharsets;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.jwk.Curve;
import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Every algorithm end to end, each with the key it fits and with the one it does not: HS256/384/512
 * with a shared secret, ES256/384/512 on their own curves only.
 */
class SignatureAlgorithmsTests {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            .getBytes(StandardCharsets.US_ASCII);
    private static final TestKey EC256 = TestKey.ec("ec-256", Curve.P_256);
    private static final TestKey EC384 = TestKey.ec("ec-384", Curve.P_384);
    private static final TestKey EC521 = TestKey.ec("ec-521", Curve.P_521);

    private JwksServer jwks;
    private WebTestClient client;

    @BeforeEach
    void start() {
        jwks = JwksServer.serving(EC256, EC384, EC521);
        client = WebTestClient.bindToRouterFunction(route(GET("/api"), request -> ServerResponse.ok().bodyValue("ok")))
                .webFilter(OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri())).issuer(TestTokens.ISSUER)
                        .audience(TestTokens.AUDIENCE).hmacSecret(SECRET).build())
                .build();
    }

    @AfterEach
    void stop() {
        jwks.close();
    }

    private WebTestClient.ResponseSpec call(String token) {
        return client.get().uri("/api").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private static String hmac(String alg, byte[] secret) throws Exception {
        TestTokens token = TestTokens.signedBy(EC256).header("alg", alg).header("kid", null);
        String javaName = "Hmac" + alg.replace("HS", "SHA");
        Mac mac = Mac.getInstance(javaName);
        mac.init(new SecretKeySpec(secret, javaName));
        return token.buildWithSignature(mac.doFinal(token.signingInput().getBytes(StandardCharsets.US_ASCII)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512"})
    void acceptsEachHmacAlgorithmWithTheSecret(String alg) throws Exception {
        call(hmac(alg, SECRET)).expectStatus().isOk();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "HS384", "HS512"})
    void refusesEachHmacAlgorithmWithAnotherSecret(String alg) throws Exception {
        byte[] other = SECRET.clone();
        other[0] ^= 1;
        call(hmac(alg, other)).expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer error=\"invalid_token\", error_description=\"The access token's signature is not valid.\"");
    }

    @ParameterizedTest
    @CsvSource({"ec-256, ES256", "ec-384, ES384", "ec-521, ES512"})
    void acceptsEachEcAlgorithmOnItsOwnCurve(String kid, String alg) {
        TestKey key = kid.equals("ec-256") ? EC256 : kid.equals("ec-384") ? EC384 : EC521;
        call(TestTokens.signedBy(key).alg(alg).build()).expectStatus().isOk();
    }

    @ParameterizedTest
    @CsvSource({"ec-256, ES384", "ec-384, ES256", "ec-384, ES512", "ec-521, ES384"})
    void refusesAnEcAlgorithmNamingAKeyOnAnotherCurve(String kid, String alg) {
        call(TestTokens.signedBy(EC256).alg(alg).header("kid", kid).buildWithSignature(new byte[64]))
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", "
                        + "error_description=\"The signing key with kid '" + kid + "' cannot verify " + alg
                        + " signatures.\"");
    }
}
