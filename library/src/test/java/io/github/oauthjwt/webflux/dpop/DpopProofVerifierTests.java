package io.github.oauthjwt.webflux.dpop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.jwk.Curve;
import io.github.oauthjwt.testing.DpopProofs;
import io.github.oauthjwt.testing.MovableClock;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.webflux.jose.SignatureVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/**
 * Every check of RFC 9449 §4.3 on its own, in the spec's order: a valid proof passes, and each
 * broken one is refused with the description of the check it fails. Real keys and signatures; the
 * clock is moved by hand.
 */
class DpopProofVerifierTests {

    private static final TestKey CLIENT = TestKey.ec("client", Curve.P_256);
    private static final TestKey OTHER = TestKey.ec("other", Curve.P_256);
    private static final String URI_ = "https://api.example.com/orders/1";
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    private static final String JKT = DpopProofs.thumbprint(CLIENT);

    private final MovableClock clock = MovableClock.atNow();
    private DpopProofVerifier verifier = new DpopProofVerifier(DpopOptions.builder().build(), clock, new SignatureVerifier());

    private DpopProofs proof() {
        return DpopProofs.signedBy(CLIENT).forRequest("GET", URI_).accessToken(TOKEN)
                .claim("iat", clock.instant().getEpochSecond());
    }

    private ProofResult verify(String... proofs) {
        return verify(HttpMethod.GET, URI_ + "?page=2", JKT, proofs);
    }

    private ProofResult verify(HttpMethod method, String uri, String jkt, String... proofs) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.method(method, URI.create(uri));
        if (proofs.length > 0) {
            request.header("DPoP", proofs);
        }
        return verifier.verify(request.build(), TOKEN, jkt).block();
    }

    private static void assertRefused(ProofResult result, String description) {
        assertThat(result).isEqualTo(new ProofResult.Invalid(ProofResult.Problem.PROOF, description, null));
    }

    @Test
    void acceptsAValidProofAndNamesItsKeysThumbprint() {
        assertThat(verify(proof().build())).isEqualTo(new ProofResult.Valid(JKT, null));
    }

    @Test
    void acceptsProofsOfEveryDefaultAlgorithm() {
        for (TestKey key : new TestKey[] {TestKey.ec("p384", Curve.P_384), TestKey.ec("p521", Curve.P_521),
                TestKey.rsa("rsa").signingWith("PS256"), TestKey.rsa("rsa2"), TestKey.ed25519("ed")}) {
            String proof = DpopProofs.signedBy(key).forRequest("GET", URI_).accessToken(TOKEN)
                    .claim("iat", clock.instant().getEpochSecond()).build();
            assertThat(verify(HttpMethod.GET, URI_, DpopProofs.thumbprint(key), proof)).as(key.defaultAlg())
                    .isInstanceOf(ProofResult.Valid.class);
        }
    }

    // 1. Exactly one DPoP header.

    @Test
    void refusesARequestWithoutADpopHeader() {
        assertRefused(verify(), "The request uses the DPoP scheme but has no DPoP header; send a DPoP proof made for"
                + " this request.");
    }

    @Test
    void answersSeveralDpopHeadersAsAMalformedRequest() {
        assertThat(verify(proof().build(), proof().build()))
                .isEqualTo(new ProofResult.Malformed("The request has 2 DPoP headers; send exactly one."));
    }

    // 2. One well-formed JWT.

    @ParameterizedTest
    @CsvSource({"abc", "a.b", "a.b.c.d", ".eyJ9.c2ln", "eyJ9..c2ln", "bm90IGpzb24.eyJqdGkiOiJ4In0.c2ln",
            "eyJ0eXAiOiJkcG9wK2p3dCJ9.bm90IGpzb24.c2ln", "eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJqdGkiOiJ4In0.c2!n",
            "eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJqdGkiOiJ4In0."})
    void refusesWhatIsNotACompactJws(String proof) {
        assertRefused(verify(proof), "The DPoP proof is not a signed JWT: three base64url parts separated by dots,"
                + " a JSON header and JSON claims.");
    }

    @Test
    void refusesAProofLongerThanTheLimitBeforeDecodingIt() {
        verifier = new DpopProofVerifier(DpopOptions.builder().maxProofLength(300).build(), clock, new SignatureVerifier());
        String proof = proof().claim("padding", "x".repeat(300)).build();
        assertRefused(verify(proof), "The DPoP proof is too large: " + proof.length()
                + " characters, and this API accepts at most 300.");
    }

    @Test
    void acceptsAProofOfExactlyTheMaximumLength() {
        String proof = proof().build();
        verifier = new DpopProofVerifier(DpopOptions.builder().maxProofLength(proof.length()).build(), clock,
                new SignatureVerifier());
        assertThat(verify(proof)).isEqualTo(new ProofResult.Valid(JKT, null));
    }

    @Test
    void refusesAProofWithAnEmptyHeaderOrClaimsSegmentAsNotAJwt() {
        String[] parts = proof().build().split("\\.");
        String description = "The DPoP proof is not a signed JWT: three base64url parts separated by dots, a JSON"
                + " header and JSON claims.";
        assertRefused(verify("." + parts[1] + "." + parts[2]), description);
        assertRefused(verify(parts[0] + ".." + parts[2]), description);
    }

    // 3. Required claims.

    @ParameterizedTest
    @CsvSource({"jti,a string", "htm,a string", "htu,a string", "iat,a number"})
    void refusesAProofWithoutARequiredClaim(String claim, String type) {
        assertRefused(verify(proof().claim(claim, null).build()), "The DPoP proof's " + claim + " claim is missing or not "
                + type + "; a proof carries jti, htm, htu and iat (RFC 9449 §4.2).");
    }

    @Test
    void refusesAnIatThatIsNotANumber() {
        assertRefused(verify(proof().claim("iat", "now").build()), "The DPoP proof's iat claim is missing or not a"
                + " number; a proof carries jti, htm, htu and iat (RFC 9449 §4.2).");
    }

    // 4. typ.

    @ParameterizedTest
    @CsvSource({"at+jwt", "jwt", "dpop"})
    void refusesAnotherType(String typ) {
        assertRefused(verify(proof().header("typ", typ).build()), "The DPoP proof's type (typ header) is not dpop+jwt.");
    }

    @Test
    void refusesAProofWithoutType() {
        assertRefused(verify(proof().header("typ", null).build()), "The DPoP proof's type (typ header) is not dpop+jwt.");
    }

    @Test
    void acceptsTheTypeInAnyCaseAndWithApplicationPrefix() {
        assertThat(verify(proof().header("typ", "application/DPoP+JWT").build())).isInstanceOf(ProofResult.Valid.class);
    }

    // 5. alg.

    @Test
    void refusesAlgNone() {
        assertRefused(verify(proof().header("alg", "none").build()), "The DPoP proof is unsigned (alg 'none'); sign it"
                + " with one of: ES256, ES384, ES512, PS256, RS256, EdDSA.");
    }

    @Test
    void refusesAnHmacSignedProof() throws Exception {
        String signingInput = proof().header("alg", "HS256").build();
        assertRefused(verify(signingInput), "The DPoP proof is signed with HS256, a shared-secret algorithm; sign it"
                + " with a private key, with one of: ES256, ES384, ES512, PS256, RS256, EdDSA.");
    }

    @Test
    void refusesAnAlgorithmOffTheAllowList() {
        verifier = new DpopProofVerifier(DpopOptions.builder().algorithms("ES256").build(), clock, new SignatureVerifier());
        TestKey rsa = TestKey.rsa("rsa");
        String proof = DpopProofs.signedBy(rsa).forRequest("GET", URI_).accessToken(TOKEN).build();
        assertRefused(verify(HttpMethod.GET, URI_, DpopProofs.thumbprint(rsa), proof),
                "The DPoP proof is signed with RS256, which this API does not accept; it accepts ES256.");
    }

    @Test
    void refusesAnUnknownAlgorithmWithoutEchoingIt() {
        assertRefused(verify(proof().header("alg", "ES256\"x").build()), "The DPoP proof is signed with an unknown"
                + " algorithm, which this API does not accept; it accepts ES256, ES384, ES512, PS256, RS256, EdDSA.");
    }

    @Test
    void refusesCriticalHeaderParameters() {
        assertRefused(verify(proof().header("crit", java.util.List.of("exp")).header("exp", 1).build()),
                "The DPoP proof marks header parameters as critical (crit) that this API does not understand.");
    }

    // 6. and 7. The jwk and the signature.

    @Test
    void refusesAProofWithoutJwk() {
        assertRefused(verify(proof().header("jwk", null).build()),
                "The DPoP proof has no jwk header holding the public key that signed it.");
    }

    @Test
    void refusesAJwkWithPrivateKeyMaterial() {
        Map<String, Object> jwk = new LinkedHashMap<>(CLIENT.publicJwk());
        jwk.put("d", TestKey.base64Url(new byte[32]));
        assertRefused(verify(proof().header("jwk", jwk).build()), "The DPoP proof's jwk header holds private key"
                + " material; send only the public key, and make a new key pair, since this one is no longer secret.");
    }

    @Test
    void refusesASymmetricJwk() {
        assertRefused(verify(proof().header("jwk", Map.of("kty", "oct", "k", "c2VjcmV0")).build()),
                "The DPoP proof's jwk header holds private key material; send only the public key, and make a new key"
                        + " pair, since this one is no longer secret.");
    }

    @Test
    void refusesAnRsaKeyShorterThan2048Bits() {
        TestKey weak = TestKey.rsa("weak", 1024);
        assertRefused(verify(DpopProofs.signedBy(weak).forRequest("GET", URI_).accessToken(TOKEN).build()),
                "The DPoP proof's jwk header is not a public key this API accepts: RSA of at least 2048 bits, EC on"
                        + " P-256, P-384 or P-521, or Ed25519.");
    }

    @Test
    void refusesAKeyThatDoesNotFitTheAlgorithm() {
        assertRefused(verify(proof().alg("ES384").build()),
                "The DPoP proof's jwk header holds a key that cannot make ES384 signatures.");
    }

    @Test
    void refusesASignatureByAnotherKeyThanTheJwk() {
        assertRefused(verify(proof().signWith(OTHER).build()),
                "The DPoP proof's signature does not verify with the key in its jwk header.");
    }

    @Test
    void refusesATamperedClaim() {
        String proof = proof().build();
        String[] parts = proof.split("\\.");
        String tampered = parts[0] + "." + DpopProofs.signedBy(CLIENT).forRequest("POST", URI_).accessToken(TOKEN)
                .build().split("\\.")[1] + "." + parts[2];
        assertRefused(verify(tampered), "The DPoP proof's signature does not verify with the key in its jwk header.");
    }

    // 8. htm.

    @Test
    void refusesAProofForAnotherMethod() {
        assertRefused(verify(HttpMethod.DELETE, URI_, JKT, proof().build()),
                "The DPoP proof is made for another HTTP method: its htm must be DELETE.");
    }

    @Test
    void comparesTheMethodCaseSensitively() {
        assertRefused(verify(proof().claim("htm", "get").build()),
                "The DPoP proof is made for another HTTP method: its htm must be GET.");
    }

    // 9. htu.

    @Test
    void refusesAProofForAnotherUri() {
        assertRefused(verify(proof().claim("htu", "https://api.example.com/orders/2").build()),
                "The DPoP proof is made for another URI: its htu must be https://api.example.com/orders/1, without"
                        + " query and fragment.");
    }

    @Test
    void refusesAProofForAnotherHostOrScheme() {
        assertThat(verify(proof().claim("htu", "https://evil.example.com/orders/1").build()))
                .isInstanceOf(ProofResult.Invalid.class);
        assertThat(verify(proof().claim("htu", "http://api.example.com/orders/1").build()))
                .isInstanceOf(ProofResult.Invalid.class);
        assertThat(verify(proof().claim("htu", "https://api.example.com:8443/orders/1").build()))
                .isInstanceOf(ProofResult.Invalid.class);
    }

    @ParameterizedTest
    @CsvSource({"HTTPS://API.EXAMPLE.COM/orders/1", "https://api.example.com:443/orders/1",
            "https://api.example.com/orders/./1", "https://api.example.com/x/../orders/1",
            "https://api.example.com/%6Frders/1", "https://api.example.com/orders/1?page=3",
            "https://api.example.com/orders/1#top"})
    void matchesTheUriAfterNormalisationIgnoringQueryAndFragment(String htu) {
        assertThat(verify(proof().claim("htu", htu).build())).isInstanceOf(ProofResult.Valid.class);
    }

    @Test
    void doesNotDecodeReservedPercentEncodings() {
        assertThat(verify(HttpMethod.GET, "https://api.example.com/a%2Fb", JKT,
                proof().claim("htu", "https://api.example.com/a/b").build())).isInstanceOf(ProofResult.Invalid.class);
        assertThat(verify(HttpMethod.GET, "https://api.example.com/a%2fb", JKT,
                proof().claim("htu", "https://api.example.com/a%2Fb").build())).isInstanceOf(ProofResult.Valid.class);
    }

    @Test
    void refusesAnHtuWithUserInformation() {
        assertThat(verify(proof().claim("htu", "https://alice@api.example.com/orders/1").build()))
                .isInstanceOf(ProofResult.Invalid.class);
    }

    // 10. Nonces: see DpopNonceTests.

    // 11. iat.

    @Test
    void acceptsAProofExactlyAsOldAsTheMaximumAgeAndRefusesOneSecondOlder() {
        String atLimit = proof().claim("iat", clock.instant().getEpochSecond() - 60).build();
        String tooOld = proof().claim("iat", clock.instant().getEpochSecond() - 61).build();
        assertThat(verify(atLimit)).isInstanceOf(ProofResult.Valid.class);
        assertRefused(verify(tooOld), "The DPoP proof is too old: it was issued 61 seconds ago, and this API accepts"
                + " proofs at most 60 seconds old; make a new proof for every request.");
    }

    @Test
    void acceptsAProofIssuedExactlyAsFarAheadAsAllowedAndRefusesOneSecondMore() {
        String atLimit = proof().claim("iat", clock.instant().getEpochSecond() + 10).build();
        String tooNew = proof().claim("iat", clock.instant().getEpochSecond() + 11).build();
        assertThat(verify(atLimit)).isInstanceOf(ProofResult.Valid.class);
        assertRefused(verify(tooNew), "The DPoP proof is issued in the future: its iat is 11 seconds ahead of this"
                + " API's clock, and at most 10 are allowed; check the client's clock.");
    }

    @Test
    void usesTheConfiguredWindow() {
        verifier = new DpopProofVerifier(DpopOptions.builder().iatWindow(Duration.ofSeconds(5), Duration.ZERO).build(),
                clock, new SignatureVerifier());
        assertThat(verify(proof().claim("iat", clock.instant().getEpochSecond() - 6).build()))
                .isInstanceOf(ProofResult.Invalid.class);
        assertThat(verify(proof().claim("iat", clock.instant().getEpochSecond() + 1).build()))
                .isInstanceOf(ProofResult.Invalid.class);
        assertThat(verify(proof().claim("iat", clock.instant().getEpochSecond() - 5).build()))
                .isInstanceOf(ProofResult.Valid.class);
    }

    // 12. ath and cnf.jkt.

    @Test
    void refusesAProofWithoutAth() {
        assertRefused(verify(proof().claim("ath", null).build()), "The DPoP proof has no ath claim; a proof sent with an"
                + " access token must carry the token's SHA-256 hash (RFC 9449 §4.2).");
    }

    @Test
    void refusesAProofMadeForAnotherToken() {
        assertRefused(verify(proof().accessToken(TOKEN + "x").build()), "The DPoP proof's ath is not the hash of this"
                + " access token; make the proof for the token you send.");
    }

    @Test
    void refusesAProofByAnotherKeyThanTheTokenIsBoundTo() {
        assertRefused(verify(HttpMethod.GET, URI_, DpopProofs.thumbprint(OTHER), proof().build()),
                "The DPoP proof is signed with another key than the one the access token is bound to (cnf.jkt).");
    }

    @Test
    void refusesAnUnboundTokenAsAnInvalidToken() {
        MockServerHttpRequest request = MockServerHttpRequest.get(URI_).header("DPoP", proof().build()).build();
        assertThat(verifier.verify(request, TOKEN, null).block()).isEqualTo(new ProofResult.Invalid(
                ProofResult.Problem.TOKEN, "The access token is not bound to a DPoP key (it has no cnf.jkt claim), so"
                        + " it cannot be sent with the DPoP scheme; send it with the Bearer scheme.", null));
    }

    // After every check: jti replay (RFC 9449 §11.1).

    @Test
    void refusesAProofUsedBefore() {
        String proof = proof().build();
        assertThat(verify(proof)).isInstanceOf(ProofResult.Valid.class);
        assertRefused(verify(proof), "The DPoP proof was already used; make a new proof, with a new jti, for every request.");
    }

    @Test
    void acceptsTheSameJtiFromAnotherKey() {
        String jti = "shared-jti";
        assertThat(verify(proof().claim("jti", jti).build())).isInstanceOf(ProofResult.Valid.class);
        String otherKeysProof = DpopProofs.signedBy(OTHER).forRequest("GET", URI_).accessToken(TOKEN)
                .claim("iat", clock.instant().getEpochSecond()).claim("jti", jti).build();
        assertThat(verify(HttpMethod.GET, URI_, DpopProofs.thumbprint(OTHER), otherKeysProof))
                .isInstanceOf(ProofResult.Valid.class);
    }

    @Test
    void doesNotMarkARefusedProofAsUsed() {
        String jti = "first-refused";
        assertThat(verify(proof().claim("jti", jti).accessToken("other").build())).isInstanceOf(ProofResult.Invalid.class);
        assertThat(verify(proof().claim("jti", jti).build())).isInstanceOf(ProofResult.Valid.class);
    }

    @Test
    void answersUnavailableWhenTheReplayStoreFailsClosed() {
        ReplayStore down = (key, ttl) -> reactor.core.publisher.Mono.error(new IllegalStateException("down"));
        verifier = new DpopProofVerifier(DpopOptions.builder()
                .replayStore(down, DpopOptions.OnStoreFailure.FAIL_CLOSED).build(), clock, new SignatureVerifier());
        assertThat(verify(proof().build())).isEqualTo(new ProofResult.Unavailable(Duration.ofSeconds(1)));
    }

    @Test
    void fallsBackToMemoryWhenTheReplayStoreFailsOpen() {
        ReplayStore down = (key, ttl) -> reactor.core.publisher.Mono.error(new IllegalStateException("down"));
        verifier = new DpopProofVerifier(DpopOptions.builder()
                .replayStore(down, DpopOptions.OnStoreFailure.FALL_BACK_TO_MEMORY).build(), clock, new SignatureVerifier());
        String proof = proof().build();
        assertThat(verify(proof)).isInstanceOf(ProofResult.Valid.class);
        assertThat(verify(proof)).isInstanceOf(ProofResult.Invalid.class);
    }

    @Test
    void marksTheProofForTheWholeIatWindow() {
        java.util.List<Duration> ttls = new java.util.ArrayList<>();
        ReplayStore recording = (key, ttl) -> {
            ttls.add(ttl);
            return reactor.core.publisher.Mono.just(true);
        };
        verifier = new DpopProofVerifier(DpopOptions.builder().replayStore(recording,
                DpopOptions.OnStoreFailure.FAIL_CLOSED).build(), clock, new SignatureVerifier());
        verify(proof().build());
        assertThat(ttls).containsExactly(Duration.ofSeconds(70));
    }
}
