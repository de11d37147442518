package io.github.oauthjwt.webflux.mtls;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;

/**
 * Where a filter finds the client certificate that a certificate-bound token ({@code cnf.x5t#S256},
 * RFC 8705 §3.1) must match: the TLS handshake of the request itself (reactor-netty's
 * {@link ServerHttpRequest#getSslInfo()}, the first peer certificate), or, behind a TLS-terminating
 * proxy, one request header that proxy sets. The header is trusted as it is: use it only when
 * nothing but the proxy can reach the API and the proxy overwrites the header on every request.
 * It may hold the certificate as URL-encoded PEM (nginx's {@code $ssl_client_escaped_cert}), PEM,
 * or base64 DER. Immutable and thread-safe.
 *
 * <p>Only the binding is checked here: the chain of the certificate is the TLS layer's (or the
 * proxy's) business, as RFC 8705 §3 leaves it.
 */
public final class CertificateBinding {

    private static final int MAX_HEADER_LENGTH = 16 * 1024;

    private final @Nullable String trustedHeader;

    private CertificateBinding(@Nullable String trustedHeader) {
        this.trustedHeader = trustedHeader;
    }

    /** The certificate the client presented in this request's own TLS handshake. */
    public static CertificateBinding fromTlsHandshake() {
        return new CertificateBinding(null);
    }

    /**
     * The certificate in {@code headerName}, set by a TLS-terminating proxy the API trusts (and
     * only it can reach), instead of the handshake's.
     *
     * @throws IllegalArgumentException if the header name is blank
     */
    public static CertificateBinding fromTrustedHeader(String headerName) {
        if (Objects.requireNonNull(headerName, "headerName").isBlank()) {
            throw new IllegalArgumentException("certificate binding header name must not be blank");
        }
        return new CertificateBinding(headerName.strip());
    }

    /** The trusted header, or {@code null} when the handshake's certificate is used. */
    public @Nullable String trustedHeader() {
        return trustedHeader;
    }

    /**
     * The RFC 8705 §3.1 thumbprint (base64url SHA-256 of the DER encoding) of the request's client
     * certificate, or {@code null} when it presented none (or the header holds no single certificate).
     */
    public @Nullable String thumbprint(ServerHttpRequest request) {
        byte[] der = trustedHeader != null ? fromHeader(request.getHeaders().get(trustedHeader)) : fromHandshake(request);
        if (der == null) {
            return null;
        }
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte @Nullable [] fromHandshake(ServerHttpRequest request) {
        SslInfo ssl = request.getSslInfo();
        X509Certificate[] peers = ssl == null ? null : ssl.getPeerCertificates();
        if (peers == null || peers.length == 0) {
            return null;
        }
        try {
            return peers[0].getEncoded();
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private static byte @Nullable [] fromHeader(@Nullable List<String> values) {
        if (values == null || values.size() != 1 || values.get(0).length() > MAX_HEADER_LENGTH) {
            return null;
        }
        String value = values.get(0).strip();
        try {
            if (value.contains("%")) {
                value = URLDecoder.decode(value, StandardCharsets.UTF_8);
            }
            byte[] encoded = value.startsWith("-----BEGIN") ? value.getBytes(StandardCharsets.US_ASCII)
                    : Base64.getMimeDecoder().decode(value);
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(encoded));
            return certificate.getEncoded();
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }
}
