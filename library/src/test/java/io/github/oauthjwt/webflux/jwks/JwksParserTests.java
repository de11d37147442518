package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import io.github.oauthjwt.testing.LogCapture;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.junit.jupiter.api.Test;

/** Which JWKS entries become verification keys, and when a whole document is refused. */
class JwksParserTests {

    private static final TestKey RSA = TestKey.rsa("rsa");
    private static final TestKey EC = TestKey.ec("ec", Curve.P_256);
    private static final TestKey ED = TestKey.ed25519("ed");

    private final JwksParser parser = new JwksParser(100);

    private static Map<String, Object> with(TestKey key, String member, Object value) {
        Map<String, Object> jwk = key.publicJwk();
        jwk.put(member, value);
        return jwk;
    }

    private List<String> kidsOf(List<Map<String, Object>> entries) {
        return parser.parse(TestTokens.jwks(entries)).keys().stream().map(VerificationKey::kid).toList();
    }

    @Test
    void keepsRsaEcAndEd25519SigningKeys() {
        assertThat(kidsOf(List.of(RSA.publicJwk(), EC.publicJwk(), ED.publicJwk()))).containsExactly("rsa", "ec", "ed");
    }

    @Test
    void skipsKeysForEncryption() {
        assertThat(kidsOf(List.of(with(RSA, "use", "enc"), EC.publicJwk()))).containsExactly("ec");
    }

    @Test
    void skipsKeysWhoseOperationsDoNotIncludeVerify() {
        assertThat(kidsOf(List.of(with(RSA, "key_ops", List.of("encrypt")), with(EC, "key_ops", List.of("verify")))))
                .containsExactly("ec");
    }

    @Test
    void skipsSymmetricAndUnknownKeyTypes() {
        Map<String, Object> oct = Map.of("kty", "oct", "kid", "oct", "k", "c2VjcmV0c2VjcmV0c2VjcmV0");
        Map<String, Object> unknown = Map.of("kty", "PQC", "kid", "future");
        assertThat(kidsOf(List.of(oct, unknown, RSA.publicJwk()))).containsExactly("rsa");
    }

    @Test
    void skipsMalformedEntries() {
        Map<String, Object> noModulus = with(RSA, "n", null);
        noModulus.remove("n");
        assertThat(kidsOf(List.of(noModulus, with(EC, "x", "not-base64!"), ED.publicJwk()))).containsExactly("ed");
        assertThat(parser.parse("{\"keys\":[42,\"text\",null," + TestTokens.jwks(RSA).substring(9)).size()).isEqualTo(1);
    }

    @Test
    void skipsRsaKeysShorterThan2048Bits() {
        assertThat(kidsOf(List.of(TestKey.rsa("short", 1024).publicJwk(), RSA.publicJwk()))).containsExactly("rsa");
    }

    @Test
    void skipsEcKeysWhosePointIsNotOnTheCurve() {
        Map<String, Object> offCurve = EC.publicJwk();
        offCurve.put("y", TestKey.ec("other", Curve.P_256).publicJwk().get("y"));
        assertThat(kidsOf(List.of(offCurve, RSA.publicJwk()))).containsExactly("rsa");
    }

    @Test
    void skipsCurvesOutsideTheAllowList() {
        Map<String, Object> x25519 = Map.of("kty", "OKP", "crv", "X25519", "kid", "x", "x",
                "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo");
        assertThat(kidsOf(List.of(x25519, ED.publicJwk()))).containsExactly("ed");
    }

    @Test
    void skipsKeysWhoseAlgDoesNotFitTheKey() {
        assertThat(kidsOf(List.of(with(RSA, "alg", "ES256"), with(EC, "alg", "ES256")))).containsExactly("ec");
    }

    @Test
    void skipsKeysPinnedToAnAlgorithmNoPublicKeyCanVerify() {
        assertThat(kidsOf(List.of(with(RSA, "alg", "HS256"), with(EC, "alg", "HS256"), ED.publicJwk())))
                .containsExactly("ed");
    }

    @Test
    void pinsAKeyToItsAlg() {
        VerificationKey pinned = parser.parse(TestTokens.jwks(List.of(with(RSA, "alg", "PS256")))).keys().get(0);
        assertThat(pinned.fits(JWSAlgorithm.PS256)).isTrue();
        assertThat(pinned.fits(JWSAlgorithm.RS256)).isFalse();
        assertThat(pinned.algorithm()).isEqualTo(JWSAlgorithm.PS256);
        assertThat(pinned.curve()).isNull();
    }

    @Test
    void tellsEachKeysTypeAndCurve() {
        List<VerificationKey> keys = parser.parse(TestTokens.jwks(List.of(RSA.publicJwk(), EC.publicJwk(), ED.publicJwk())))
                .keys();
        assertThat(keys).extracting(VerificationKey::keyType).containsExactly(KeyType.RSA, KeyType.EC, KeyType.OKP);
        assertThat(keys).extracting(VerificationKey::curve).containsExactly(null, Curve.P_256, Curve.Ed25519);
        assertThat(keys).extracting(VerificationKey::algorithm).containsOnlyNulls();
    }

    @Test
    void tellsDuplicateKidsApartByKeyType() {
        Map<String, Object> rsa = with(RSA, "kid", "shared");
        Map<String, Object> ec = with(EC, "kid", "shared");
        KeySet keys = parser.parse(TestTokens.jwks(List.of(rsa, ec)));
        assertThat(keys.find("shared", JWSAlgorithm.RS256).publicKey()).isEqualTo(RSA.keyPair().getPublic());
        assertThat(keys.find("shared", JWSAlgorithm.ES256).publicKey()).isEqualTo(EC.keyPair().getPublic());
        assertThat(keys.find("shared", JWSAlgorithm.EdDSA)).isNull();
    }

    @Test
    void refusesADocumentWithoutUsableKeys() {
        assertThatThrownBy(() -> parser.parse(TestTokens.jwks(List.of(with(RSA, "use", "enc")))))
                .isInstanceOf(JwksFetchException.class)
                .hasMessage("none of the JWKS's 1 keys can verify signatures");
    }

    @Test
    void refusesDocumentsThatAreNotAJwks() {
        assertThatThrownBy(() -> parser.parse("<html/>")).hasMessage("the response is not a JSON object");
        assertThatThrownBy(() -> parser.parse("{\"keys\":{}}")).hasMessage("the response has no \"keys\" array");
        assertThatThrownBy(() -> parser.parse("")).hasMessage("the response is not a JSON object");
    }

    @Test
    void usesOnlyThePublicHalfOfKeysThatPublishPrivateKeyMaterial() throws Exception {
        java.security.KeyPair pair = RSA.keyPair();
        Map<String, Object> leaked = new java.util.LinkedHashMap<>(new com.nimbusds.jose.jwk.RSAKey.Builder(
                (java.security.interfaces.RSAPublicKey) pair.getPublic()).privateKey(pair.getPrivate()).keyID("leaked")
                .build().toJSONObject());
        KeySet keys = parser.parse(TestTokens.jwks(List.of(leaked)));
        assertThat(keys.find("leaked", JWSAlgorithm.RS256).publicKey()).isEqualTo(pair.getPublic());
    }

    @Test
    void refusesTheJsonNullAsADocument() {
        assertThatThrownBy(() -> parser.parse("null")).isInstanceOf(JwksFetchException.class)
                .hasMessage("the response is not a JSON object");
    }

    @Test
    void refusesMoreKeysThanTheLimit() {
        JwksParser small = new JwksParser(2);
        assertThatThrownBy(() -> small.parse(TestTokens.jwks(RSA, EC, ED)))
                .hasMessage("the JWKS lists 3 keys, more than the limit of 2");
    }

    @Test
    void acceptsExactlyMaxKeysAndRefusesOneMore() {
        JwksParser two = new JwksParser(2);
        TestKey third = TestKey.rsa("k3");

        assertThat(two.parse(TestTokens.jwks(RSA, third)).size()).isEqualTo(2);
        assertThatThrownBy(() -> two.parse(TestTokens.jwks(RSA, third, TestKey.ed25519("k4"))))
                .hasMessage("the JWKS lists 3 keys, more than the limit of 2");
    }

    @Test
    void skipsRsaKeysWhosePublicExponentIsOneOrEven() {
        assertThat(kidsOf(List.of(with(RSA, "e", "AQ"), with(RSA, "e", "AAE"), EC.publicJwk()))).containsExactly("ec");
        assertThat(kidsOf(List.of(with(RSA, "e", "Ag"), EC.publicJwk()))).containsExactly("ec");
        assertThat(kidsOf(List.of(with(RSA, "e", "Aw")))).containsExactly("rsa");
    }

    @Test
    void tellsWhyAnRsaKeyWithAPublicExponentOfOneOrTwoCannotVerify() throws Exception {
        assertThat(JwksParser.judge(JWK.parse(with(RSA, "e", "AQ"))))
                .isEqualTo("its RSA public exponent is not valid");
        assertThat(JwksParser.judge(JWK.parse(with(RSA, "e", "Ag"))))
                .isEqualTo("its RSA public exponent is not valid");
        assertThat(JwksParser.judge(JWK.parse(with(RSA, "e", "Aw"))))
                .isInstanceOf(VerificationKey.class);
    }

    @Test
    void warnsOnceAboutAKeyThatPublishesPrivateKeyMaterialAndNotAboutPublicKeys() throws Exception {
        java.security.KeyPair pair = RSA.keyPair();
        Map<String, Object> leaked = new java.util.LinkedHashMap<>(new com.nimbusds.jose.jwk.RSAKey.Builder(
                (java.security.interfaces.RSAPublicKey) pair.getPublic()).privateKey(pair.getPrivate()).keyID("leaked")
                .build().toJSONObject());
        try (LogCapture log = LogCapture.of(JwksParser.class)) {
            parser.parse(TestTokens.jwks(List.of(leaked, EC.publicJwk(), ED.publicJwk())));

            assertThat(log.messagesAt(Level.WARNING)).containsExactly("JWKS key 'leaked' publishes"
                    + " private key material: anyone who reads the JWKS can sign tokens with it;"
                    + " the authorization server should rotate it");
        }
    }

    @Test
    void skipsEcKeysOnCurvesOtherThanTheNistOnes() throws Exception {
        Map<String, Object> secp256k1 = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(Curve.SECP256K1)
                .provider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).keyID("k1-curve").generate()
                .toPublicJWK().toJSONObject();
        assertThat(kidsOf(List.of(secp256k1, EC.publicJwk()))).containsExactly("ec");
    }

    @Test
    void keepsEcKeysOnEveryNistCurve() {
        TestKey p384 = TestKey.ec("p384", Curve.P_384);
        TestKey p521 = TestKey.ec("p521", Curve.P_521);
        assertThat(kidsOf(List.of(EC.publicJwk(), p384.publicJwk(), p521.publicJwk())))
                .containsExactly("ec", "p384", "p521");
    }
}
