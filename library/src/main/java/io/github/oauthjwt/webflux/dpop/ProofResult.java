package io.github.oauthjwt.webflux.dpop;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What checking a request's DPoP proof gave (RFC 9449 §4.3, §7): the proof is {@link Valid}, the
 * request is {@link Malformed} (400), the proof or the token's binding is {@link Invalid} (401), or
 * the replay store cannot answer right now ({@link Unavailable}, 503). Descriptions are sentences a
 * client developer can act on, built from this library's own text only.
 */
public sealed interface ProofResult {

    /** Why a proof was refused, which decides the error code of the challenge. */
    enum Problem {
        /** The proof is not acceptable: {@code invalid_dpop_proof}. */
        PROOF,
        /** The proof lacks a current server nonce: {@code use_dpop_nonce}, with a {@code DPoP-Nonce} header. */
        NONCE,
        /** The access token cannot be used with DPoP (it is not bound to a key): {@code invalid_token}. */
        TOKEN
    }

    /**
     * The proof passed every check and was marked used.
     *
     * @param thumbprint the RFC 7638 thumbprint of the proof's key, which the token is bound to
     * @param nextNonce a nonce for the client's next proof when it should change, or {@code null}
     */
    record Valid(String thumbprint, @Nullable String nextNonce) implements ProofResult {
    }

    /**
     * The proof, or the token's binding to it, fails a check: 401.
     *
     * @param problem which error code to answer with
     * @param description what is wrong, in a sentence
     * @param nextNonce the nonce to send in {@code DPoP-Nonce}, or {@code null} when nonces are off
     */
    record Invalid(Problem problem, String description, @Nullable String nextNonce) implements ProofResult {
    }

    /**
     * The request is malformed (several {@code DPoP} headers): 400 {@code invalid_request}.
     *
     * @param description what is wrong, in a sentence
     */
    record Malformed(String description) implements ProofResult {
    }

    /**
     * The replay store cannot answer and the options say to fail closed: 503.
     *
     * @param retryAfter how long the client should wait before retrying with a fresh proof
     */
    record Unavailable(Duration retryAfter) implements ProofResult {
    }
}
