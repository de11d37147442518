package io.github.oauthjwt.webflux;

import java.time.Clock;
import java.util.Map;

import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.webflux.dpop.DpopProofVerifier;
import io.github.oauthjwt.webflux.dpop.ProofResult;
import io.github.oauthjwt.webflux.jose.SignatureVerifier;
import io.github.oauthjwt.webflux.mtls.CertificateBinding;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What binds a verified token to its sender: a certificate-bound token's certificate (RFC 8705 §3),
 * the scheme rules of RFC 9449 §7 (a DPoP-bound token is never accepted as a bearer token; with
 * DPoP required, only the DPoP scheme), and the DPoP proof check, whose {@link ProofResult} becomes
 * the {@link Outcome} here. A bound token whose binding this filter cannot check is refused.
 * Immutable and thread-safe.
 */
final class SenderConstraints {

    private final DpopOptions.Mode mode;
    private final @Nullable DpopProofVerifier dpop;
    private final @Nullable CertificateBinding certificates;
    private final Challenges challenges;

    SenderConstraints(DpopOptions dpopOptions, @Nullable CertificateBinding certificates, Clock clock,
            @Nullable String realm) {
        this.mode = dpopOptions.mode();
        this.certificates = certificates;
        this.dpop = mode == DpopOptions.Mode.DISABLED ? null
                : new DpopProofVerifier(dpopOptions, clock, new SignatureVerifier());
        this.challenges = new Challenges(realm, mode, dpop == null ? null : dpop.algorithmNames());
    }

    /** Whether {@code Authorization: DPoP} is read at all. */
    boolean acceptsDpop() {
        return dpop != null;
    }

    Challenges challenges() {
        return challenges;
    }

    /** The DPoP proof algorithms accepted, in order; empty while DPoP is off. */
    java.util.List<String> dpopAlgorithms() {
        String algs = challenges.algs();
        return algs == null ? java.util.List.of() : java.util.List.of(algs.split(" "));
    }

    /** Why the request is refused before its token is looked at, or {@code null}. */
    @Nullable Rejection beforeValidation(ServerHttpRequest request, BearerCredentials credentials) {
        if (credentials.dpop()) {
            return null;
        }
        if (mode == DpopOptions.Mode.REQUIRED) {
            return Rejection.invalidToken("This API accepts only DPoP-bound access tokens; send 'Authorization: DPoP"
                    + " <token>' with a DPoP proof header.");
        }
        if (dpop != null && request.getHeaders().containsHeader(DpopProofVerifier.HEADER)) {
            return Rejection.invalidRequest("The request sends a DPoP proof with the Bearer scheme; send a DPoP-bound"
                    + " token as 'Authorization: DPoP <token>', or an unbound one without a DPoP header.");
        }
        return null;
    }

    /** The outcome once the verified token's binding to the sender has been checked. */
    Mono<Outcome> bind(ServerWebExchange exchange, BearerCredentials credentials, Outcome outcome) {
        if (!(outcome instanceof Verified verified)) {
            return Mono.just(outcome);
        }
        Map<?, ?> cnf = verified.claims().claim("cnf") instanceof Map<?, ?> map ? map : Map.of();
        Rejection certificateProblem = checkCertificate(exchange.getRequest(), cnf);
        if (certificateProblem != null) {
            return Mono.just(certificateProblem);
        }
        if (!credentials.dpop() || dpop == null) {
            if (cnf.containsKey("jkt")) {
                return Mono.just(Rejection.invalidToken("The access token is bound to a DPoP key (cnf.jkt), so it is"
                        + " never accepted as a bearer token"
                        + (dpop != null ? "; send it as 'Authorization: DPoP <token>' with a DPoP proof." : ".")));
            }
            return Mono.just(outcome);
        }
        String jkt = cnf.get("jkt") instanceof String thumbprint ? thumbprint : null;
        String token = java.util.Objects.requireNonNull(credentials.token());
        return dpop.verify(exchange.getRequest(), token, jkt).map(result -> outcome(exchange, result, verified));
    }

    /**
     * Why a token bound to a client certificate ({@code cnf.x5t#S256}, RFC 8705 §3.1) is refused for
     * this request, or {@code null}: without certificate binding configured such a token is never
     * accepted (it would become a bearer token), and with it the request's certificate must match.
     */
    private @Nullable Rejection checkCertificate(ServerHttpRequest request, Map<?, ?> cnf) {
        if (!cnf.containsKey(X5T_S256)) {
            return null;
        }
        if (certificates == null) {
            return Rejection.invalidToken("The access token is bound to a client certificate (cnf.x5t#S256), which this"
                    + " API does not check, so it is never accepted as a bearer token.");
        }
        String presented = certificates.thumbprint(request);
        if (presented == null) {
            return Rejection.invalidToken("The access token is bound to a client certificate (cnf.x5t#S256), and the"
                    + " request presented none; call the API over mutual TLS with that certificate.");
        }
        if (!(cnf.get(X5T_S256) instanceof String bound) || !java.security.MessageDigest.isEqual(
                bound.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                presented.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            return Rejection.invalidToken("The access token is bound to another client certificate than the one this"
                    + " request presented (cnf.x5t#S256).");
        }
        return null;
    }

    private static final String X5T_S256 = "x5t#S256";

    private static Outcome outcome(ServerWebExchange exchange, ProofResult result, Verified verified) {
        if (result instanceof ProofResult.Valid valid) {
            setNonce(exchange, valid.nextNonce());
            return verified;
        }
        if (result instanceof ProofResult.Invalid invalid) {
            setNonce(exchange, invalid.nextNonce());
            String error = switch (invalid.problem()) {
                case PROOF -> ErrorCodes.INVALID_DPOP_PROOF;
                case NONCE -> ErrorCodes.USE_DPOP_NONCE;
                case TOKEN -> ErrorCodes.INVALID_TOKEN;
            };
            return new Rejection(401, error, invalid.description(), null, null);
        }
        if (result instanceof ProofResult.Malformed malformed) {
            return Rejection.invalidRequest(malformed.description());
        }
        if (result instanceof ProofResult.Unavailable unavailable) {
            long seconds = Math.max(1, unavailable.retryAfter().toSeconds());
            return new Rejection(503, ErrorCodes.TEMPORARILY_UNAVAILABLE, "The API cannot check DPoP proofs for replay"
                    + " right now; retry in " + seconds + " second" + (seconds == 1 ? "" : "s") + " with a new proof.",
                    null, unavailable.retryAfter());
        }
        throw new IllegalStateException("ProofResult is sealed: " + result.getClass());
    }

    private static void setNonce(ServerWebExchange exchange, @Nullable String nonce) {
        if (nonce != null) {
            exchange.getResponse().getHeaders().set(DpopProofVerifier.NONCE_HEADER, nonce);
        }
    }
}
