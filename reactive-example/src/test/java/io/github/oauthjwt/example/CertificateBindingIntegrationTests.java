package io.github.oauthjwt.example;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * The example with {@code oauth-jwt.certificate-binding.*}: a certificate-bound token
 * ({@code cnf.x5t#S256}) is accepted with the certificate a TLS-terminating proxy passes in the
 * configured header, refused with another; and refused outright while certificate binding is off.
 * (The TLS handshake itself is exercised by the library's {@code CertificateBoundTokenTests}.)
 */
class CertificateBindingIntegrationTests {

    private static final TestKey KEY = TestKey.rsa("rsa-1");

    private static X509Certificate certificate(String name) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), subject, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    }

    private static String tokenBoundTo(X509Certificate certificate) throws Exception {
        String thumbprint = TestKey.base64Url(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        return TestTokens.signedBy(KEY).claim("cnf", Map.of("x5t#S256", thumbprint)).build();
    }

    @Test
    void trustedHeaderWhenTheProxyPassesTheBoundCertificateThenOkAndAnotherThenUnauthorized() throws Exception {
        X509Certificate client = certificate("client");
        X509Certificate other = certificate("other");
        try (JwksServer jwks = JwksServer.serving(KEY);
                RunningExample app = RunningExample.start("--oauth-jwt.jwks-uri=" + jwks.uri(),
                        "--oauth-jwt.issuer=" + TestTokens.ISSUER, "--oauth-jwt.audience=" + TestTokens.AUDIENCE,
                        "--oauth-jwt.certificate-binding.trusted-header=X-SSL-Client-Cert")) {
            String token = tokenBoundTo(client);
            app.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .header("X-SSL-Client-Cert", Base64.getEncoder().encodeToString(client.getEncoded()))
                    .exchange().expectStatus().isOk();
            app.client().get().uri("/api/data").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .header("X-SSL-Client-Cert", Base64.getEncoder().encodeToString(other.getEncoded()))
                    .exchange().expectStatus().isUnauthorized()
                    .expectBody(String.class).isEqualTo("{\"error\":\"invalid_token\",\"error_description\":\"The access"
                            + " token is bound to another client certificate than the one this request presented"
                            + " (cnf.x5t#S256).\"}");
        }
    }

    @Test
    void certificateBindingOffWhenCertificateBoundTokenThenUnauthorized() throws Exception {
        try (JwksServer jwks = JwksServer.serving(KEY);
                RunningExample app = RunningExample.start("--oauth-jwt.jwks-uri=" + jwks.uri(),
                        "--oauth-jwt.issuer=" + TestTokens.ISSUER, "--oauth-jwt.audience=" + TestTokens.AUDIENCE)) {
            app.client().get().uri("/api/data")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokenBoundTo(certificate("client")))
                    .exchange().expectStatus().isUnauthorized()
                    .expectBody(String.class).isEqualTo("{\"error\":\"invalid_token\",\"error_description\":\"The access"
                            + " token is bound to a client certificate (cnf.x5t#S256), which this API does not check, so it"
                            + " is never accepted as a bearer token.\"}");
        }
    }
}
