/**
 * Certificate-bound access tokens (RFC 8705 §3): where the client certificate of a request comes
 * from, {@link io.github.oauthjwt.webflux.mtls.CertificateBinding}. Depends on nothing of ours.
 */
@NullMarked
package io.github.oauthjwt.webflux.mtls;

import org.jspecify.annotations.NullMarked;
