package io.github.oauthjwt.webflux;

import java.time.Clock;
import java.util.Map;

import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.webflux.dpop.DpopProofVerifier;
import io.github.oauthjwt.webflux.dpop.ProofResult;
import io.github.oauthjwt.webflux.jose.SignatureVerifier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What binds a verified token to its sender: the scheme rules of RFC 9449 §7 (a DPoP-bound token is
 * never accepted as a bearer token; with DPoP required, only the DPoP scheme), and the DPoP proof
 * check, whose {@link ProofResult} becomes the {@link Outcome} here. Immutable and thread-safe.
 */
final class SenderConstraints {

    private final DpopOptions.Mode mode;
    private final @Nullable DpopProofVerifier dpop;
    private final Challenges challenges;

    SenderConstraints(DpopOptions dpopOptions, Clock clock, @Nullable String realm) {
        this.mode = dpopOptions.mode();
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
