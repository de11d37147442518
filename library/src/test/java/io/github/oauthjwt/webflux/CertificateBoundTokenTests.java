package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.webflux.mtls.CertificateBinding;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Certificate-bound tokens (RFC 8705 §3) through the real filter behind a real reactor-netty TLS
 * server that asks for client certificates, with certificates made here: the matching certificate
 * passes, another one, none, or an unchecked binding is a 401 {@code invalid_token}; and the same
 * through a trusted header of a TLS-terminating proxy.
 */
class CertificateBoundTokenTests {

    private static final TestKey ISSUER_KEY = TestKey.rsa("issuer");
    private static Identity serverIdentity;
    private static Identity client;
    private static Identity otherClient;
    private static JwksServer jwks;

    private DisposableServer server;

    /** A key pair and its self-signed certificate. */
    private record Identity(KeyPair pair, X509Certificate certificate) {

        static Identity make(String name) throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + name);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(3600)), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new Identity(pair, certificate);
        }

        /** {@code x5t#S256}: base64url SHA-256 of the DER certificate (RFC 8705 §3.1). */
        String thumbprint() throws Exception {
            return TestKey.base64Url(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        }
    }

    @BeforeAll
    static void makeCertificates() throws Exception {
        serverIdentity = Identity.make("server");
        client = Identity.make("client");
        otherClient = Identity.make("other-client");
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

    private String serveTls(CertificateBinding binding) throws Exception {
        HttpHandler handler = handler(binding);
        SslContext ssl = SslContextBuilder.forServer(serverIdentity.pair().getPrivate(), serverIdentity.certificate())
                .clientAuth(ClientAuth.OPTIONAL).trustManager(client.certificate(), otherClient.certificate()).build();
        server = HttpServer.create().host("127.0.0.1").port(0).secure(spec -> spec.sslContext(ssl))
                .handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
        return "https://127.0.0.1:" + server.port();
    }

    private String servePlain(CertificateBinding binding) {
        server = HttpServer.create().host("127.0.0.1").port(0).handle(new ReactorHttpHandlerAdapter(handler(binding)))
                .bindNow();
        return "http://127.0.0.1:" + server.port();
    }

    private static HttpHandler handler(CertificateBinding binding) {
        OAuthJwtFilterBuilder builder = OAuthJwtFilter.builder(JwksKeySource.fromUri(jwks.uri()))
                .issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).paths("/api/**");
        if (binding != null) {
            builder.certificateBinding(binding);
        }
        return WebHttpHandlerBuilder.webHandler(RouterFunctions.toWebHandler(route(GET("/api/data"),
                request -> ServerResponse.ok().bodyValue("sub=" + JwtClaims.from(request).subject()))))
                .filter(builder.build()).build();
    }

    private static HttpClient clientWith(Identity identity) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", serverIdentity.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (identity != null) {
            keys.setKeyEntry("client", identity.pair().getPrivate(), new char[0], new X509Certificate[] {identity.certificate()});
        }
        keyManagers.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }

    private static HttpResponse<String> get(HttpClient http, String base, String token, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/data")).timeout(Duration.ofSeconds(10))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String tokenBoundTo(Identity identity) throws Exception {
        return TestTokens.signedBy(ISSUER_KEY).claim("cnf", Map.of("x5t#S256", identity.thumbprint())).build();
    }

    @Test
    void acceptsATokenBoundToTheCertificateOfTheTlsHandshake() throws Exception {
        String base = serveTls(CertificateBinding.fromTlsHandshake());

        HttpResponse<String> response = get(clientWith(client), base, tokenBoundTo(client));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("sub=alice");
    }

    @Test
    void refusesATokenBoundToAnotherCertificate() throws Exception {
        String base = serveTls(CertificateBinding.fromTlsHandshake());

        HttpResponse<String> response = get(clientWith(otherClient), base, tokenBoundTo(client));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues(HttpHeaders.WWW_AUTHENTICATE)).containsExactly("Bearer error=\"invalid_token\","
                + " error_description=\"The access token is bound to another client certificate than the one this request"
                + " presented (cnf.x5t#S256).\"");
    }

    @Test
    void refusesABoundTokenWhenTheClientPresentsNoCertificate() throws Exception {
        String base = serveTls(CertificateBinding.fromTlsHandshake());

        HttpResponse<String> response = get(clientWith(null), base, tokenBoundTo(client));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"invalid_token\",\"error_description\":\"The access token is bound"
                + " to a client certificate (cnf.x5t#S256), and the request presented none; call the API over mutual TLS"
                + " with that certificate.\"}");
    }

    @Test
    void acceptsUnboundTokensOverMutualTlsAsBefore() throws Exception {
        String base = serveTls(CertificateBinding.fromTlsHandshake());
        assertThat(get(clientWith(client), base, TestTokens.signedBy(ISSUER_KEY).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void neverAcceptsACertificateBoundTokenAsABearerTokenWithoutCertificateBinding() throws Exception {
        String base = servePlain(null);

        HttpResponse<String> response = get(HttpClient.newHttpClient(), base, tokenBoundTo(client));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("The access token is bound to a client certificate (cnf.x5t#S256), which"
                + " this API does not check, so it is never accepted as a bearer token.");
    }

    @Test
    void takesTheCertificateFromTheTrustedHeaderOfATlsTerminatingProxy() throws Exception {
        String base = servePlain(CertificateBinding.fromTrustedHeader("X-SSL-Client-Cert"));
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(client.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> escapedPem = get(http, base, tokenBoundTo(client), "X-SSL-Client-Cert",
                URLEncoder.encode(pem, StandardCharsets.UTF_8));
        HttpResponse<String> der = get(http, base, tokenBoundTo(client), "X-SSL-Client-Cert",
                Base64.getEncoder().encodeToString(client.certificate().getEncoded()));
        HttpResponse<String> other = get(http, base, tokenBoundTo(client), "X-SSL-Client-Cert",
                Base64.getEncoder().encodeToString(otherClient.certificate().getEncoded()));
        HttpResponse<String> none = get(http, base, tokenBoundTo(client));
        HttpResponse<String> garbage = get(http, base, tokenBoundTo(client), "X-SSL-Client-Cert", "not a certificate");

        assertThat(escapedPem.statusCode()).isEqualTo(200);
        assertThat(der.statusCode()).isEqualTo(200);
        assertThat(other.statusCode()).isEqualTo(401);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(garbage.statusCode()).isEqualTo(401);
    }

    @Test
    void readsATrustedHeaderOfExactlyTheMaximumLengthAndNoLongerOne() throws Exception {
        CertificateBinding binding = CertificateBinding.fromTrustedHeader(" X-SSL-Client-Cert ");
        String der = Base64.getEncoder().encodeToString(client.certificate().getEncoded());
        String atLimit = der + " ".repeat(16 * 1024 - der.length());

        assertThat(binding.trustedHeader()).isEqualTo("X-SSL-Client-Cert");
        assertThat(binding.thumbprint(MockServerHttpRequest.get("/").header("X-SSL-Client-Cert", atLimit).build()))
                .isEqualTo(client.thumbprint());
        assertThat(binding.thumbprint(MockServerHttpRequest.get("/").header("X-SSL-Client-Cert", atLimit + " ").build()))
                .isNull();
        assertThat(CertificateBinding.fromTlsHandshake().trustedHeader()).isNull();
    }

    @Test
    void refusesABlankHeaderName() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> CertificateBinding.fromTrustedHeader(" "))
                .withMessage("certificate binding header name must not be blank");
    }
}
