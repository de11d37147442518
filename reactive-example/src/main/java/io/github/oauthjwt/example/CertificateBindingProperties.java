package io.github.oauthjwt.example;

import java.util.Optional;

import io.github.oauthjwt.webflux.mtls.CertificateBinding;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code oauth-jwt.certificate-binding.*} settings: whether the API checks certificate-bound
 * tokens ({@code cnf.x5t#S256}, RFC 8705 §3), and where the client certificate comes from. Off by
 * default, and then a certificate-bound token is refused.
 *
 * @param enabled check certificate-bound tokens against the client certificate of the request's
 *     TLS handshake (configure {@code server.ssl.*} with {@code client-auth: want} or {@code need})
 * @param trustedHeader instead of the handshake's, the certificate a TLS-terminating proxy puts in
 *     this header (such as nginx's {@code $ssl_client_escaped_cert}); only when nothing but the
 *     proxy can reach the API
 */
@ConfigurationProperties("oauth-jwt.certificate-binding")
public record CertificateBindingProperties(@DefaultValue("false") boolean enabled, @Nullable String trustedHeader) {

    /** The library's option for these settings, or empty when certificate binding is off. */
    public Optional<CertificateBinding> binding() {
        if (trustedHeader != null && !trustedHeader.isBlank()) {
            return Optional.of(CertificateBinding.fromTrustedHeader(trustedHeader));
        }
        return enabled ? Optional.of(CertificateBinding.fromTlsHandshake()) : Optional.empty();
    }
}
