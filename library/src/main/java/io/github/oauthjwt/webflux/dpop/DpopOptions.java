package io.github.oauthjwt.webflux.dpop;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import org.jspecify.annotations.Nullable;

/**
 * How a filter treats DPoP (RFC 9449): whether it accepts or requires DPoP-bound tokens, which proof
 * algorithms it accepts, how old a proof may be, whether it asks for server nonces, and where it
 * remembers used proofs. Made by {@link #builder()}, validated by {@link Builder#build()}; immutable.
 *
 * <p>Whatever the mode, a token bound to a DPoP key ({@code cnf.jkt}) is never accepted as a plain
 * bearer token.
 */
public final class DpopOptions {

    /** Which schemes the filter accepts. */
    public enum Mode {
        /** Only {@code Bearer}; {@code Authorization: DPoP} is another scheme, answered with a bare challenge. */
        DISABLED,
        /** {@code Bearer} for unbound tokens and {@code DPoP} for bound ones (RFC 9449 §7.2). */
        ALLOWED,
        /** Only {@code DPoP}: every token must be bound and come with a proof. */
        REQUIRED
    }

    /** What happens when the {@link ReplayStore} cannot answer. */
    public enum OnStoreFailure {
        /** Answer 503 with {@code Retry-After}: no proof is accepted that could not be checked for replay. */
        FAIL_CLOSED,
        /**
         * Check proofs against this node's memory until the store answers again, with a WARN once per
         * outage: replays against this node are still caught, replays against other nodes are not.
         */
        FALL_BACK_TO_MEMORY
    }

    /** The proof algorithms accepted by default: ECDSA, RSA and EdDSA, never {@code none} or HMAC. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Collections.unmodifiableSet(new LinkedHashSet<>(
            List.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.PS256,
                    JWSAlgorithm.RS256, JWSAlgorithm.EdDSA)));
    /** The oldest a proof's {@code iat} may be by default. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(60);
    /** How far ahead of this API's clock a proof's {@code iat} may be by default. */
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofSeconds(10);
    /** The default longest proof, in characters: room for an RSA-4096 {@code jwk} and signature. */
    public static final int DEFAULT_MAX_PROOF_LENGTH = 8 * 1024;
    /** The default number of used proofs the in-memory store (or the fallback) holds. */
    public static final long DEFAULT_IN_MEMORY_ENTRIES = 100_000;
    /** The default time a nonce is current; one stays accepted for one more period after that. */
    public static final Duration DEFAULT_NONCE_PERIOD = Duration.ofMinutes(5);
    /** The shortest nonce secret accepted, in bytes. */
    public static final int MIN_NONCE_SECRET_BYTES = 32;

    private final Mode mode;
    private final Set<JWSAlgorithm> algorithms;
    private final Duration maxAge;
    private final Duration maxFuture;
    private final int maxProofLength;
    private final @Nullable ReplayStore replayStore;
    private final OnStoreFailure onStoreFailure;
    private final long inMemoryEntries;
    private final byte @Nullable [] nonceSecret;
    private final Duration noncePeriod;

    private DpopOptions(Builder builder) {
        this.mode = builder.mode;
        this.algorithms = Collections.unmodifiableSet(new LinkedHashSet<>(builder.algorithms));
        this.maxAge = builder.maxAge;
        this.maxFuture = builder.maxFuture;
        this.maxProofLength = builder.maxProofLength;
        this.replayStore = builder.replayStore;
        this.onStoreFailure = builder.onStoreFailure;
        this.inMemoryEntries = builder.inMemoryEntries;
        this.nonceSecret = builder.nonceSecret;
        this.noncePeriod = builder.noncePeriod;
    }

    /** Options with every default: mode {@link Mode#ALLOWED}, no nonces, an in-memory replay store. */
    public static Builder builder() {
        return new Builder();
    }

    /** The options of a filter that accepts no DPoP at all: {@link Mode#DISABLED}. */
    public static DpopOptions disabled() {
        return builder().mode(Mode.DISABLED).build();
    }

    public Mode mode() {
        return mode;
    }

    /** The accepted proof algorithms, in the order given; named in the {@code algs} of challenges. */
    public Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    /** The oldest a proof's {@code iat} may be. */
    public Duration maxAge() {
        return maxAge;
    }

    /** How far ahead of this API's clock a proof's {@code iat} may be. */
    public Duration maxFuture() {
        return maxFuture;
    }

    /** The longest proof, in characters, that is decoded at all. */
    public int maxProofLength() {
        return maxProofLength;
    }

    /** The store of used proofs, or {@code null} for one in this JVM's memory. */
    public @Nullable ReplayStore replayStore() {
        return replayStore;
    }

    public OnStoreFailure onStoreFailure() {
        return onStoreFailure;
    }

    /** How many used proofs the in-memory store (the default, or the fallback) holds at most. */
    public long inMemoryEntries() {
        return inMemoryEntries;
    }

    /** Whether proofs must carry a server nonce (RFC 9449 §9). */
    public boolean noncesRequired() {
        return nonceSecret != null;
    }

    byte @Nullable [] nonceSecret() {
        return nonceSecret == null ? null : nonceSecret.clone();
    }

    /** How long a nonce is current. */
    public Duration noncePeriod() {
        return noncePeriod;
    }

    /** Options of {@link DpopOptions}; every one has a default. */
    public static final class Builder {

        private Mode mode = Mode.ALLOWED;
        private Set<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
        private Duration maxAge = DEFAULT_MAX_AGE;
        private Duration maxFuture = DEFAULT_MAX_FUTURE;
        private int maxProofLength = DEFAULT_MAX_PROOF_LENGTH;
        private @Nullable ReplayStore replayStore;
        private OnStoreFailure onStoreFailure = OnStoreFailure.FAIL_CLOSED;
        private long inMemoryEntries = DEFAULT_IN_MEMORY_ENTRIES;
        private byte @Nullable [] nonceSecret;
        private Duration noncePeriod = DEFAULT_NONCE_PERIOD;

        private Builder() {
        }

        /** Whether DPoP is off, accepted beside Bearer ({@link Mode#ALLOWED}, the default) or required. */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The accepted proof algorithms (RFC 9449 §4.3 check 5), replacing {@link #DEFAULT_ALGORITHMS}. */
        public Builder algorithms(String... algorithms) {
            Set<JWSAlgorithm> parsed = new LinkedHashSet<>();
            for (String name : algorithms) {
                parsed.add(JWSAlgorithm.parse(name));
            }
            this.algorithms = parsed;
            return this;
        }

        /**
         * The {@code iat} window (RFC 9449 §4.3 check 11, §11.1): a proof is accepted from
         * {@code maxFuture} before its {@code iat} until {@code maxAge} after it, and its {@code jti}
         * is remembered for that long.
         */
        public Builder iatWindow(Duration maxAge, Duration maxFuture) {
            this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
            this.maxFuture = Objects.requireNonNull(maxFuture, "maxFuture");
            return this;
        }

        /** The longest proof, in characters, that is decoded at all; longer ones are refused at once. */
        public Builder maxProofLength(int maxProofLength) {
            this.maxProofLength = maxProofLength;
            return this;
        }

        /**
         * Where used proofs are remembered, and what to do when it cannot answer. Without it, each
         * node remembers them in its own memory, which catches replays against that node only.
         */
        public Builder replayStore(ReplayStore store, OnStoreFailure onFailure) {
            this.replayStore = Objects.requireNonNull(store, "store");
            this.onStoreFailure = Objects.requireNonNull(onFailure, "onFailure");
            return this;
        }

        /** How many used proofs the in-memory store (the default, or the fallback) holds at most. */
        public Builder inMemoryEntries(long entries) {
            this.inMemoryEntries = entries;
            return this;
        }

        /**
         * Require server nonces (RFC 9449 §9): a proof without a current nonce is answered 401
         * {@code use_dpop_nonce} with a {@code DPoP-Nonce} header. Nonces are stateless (an HMAC of
         * the current period under {@code secret}), so every node that shares the secret accepts the
         * nonces of every other; each is current for {@code period} and accepted for one period more.
         *
         * @param secret at least {@value #MIN_NONCE_SECRET_BYTES} random bytes, the same on every node
         */
        public Builder nonces(byte[] secret, Duration period) {
            this.nonceSecret = Objects.requireNonNull(secret, "secret").clone();
            this.noncePeriod = Objects.requireNonNull(period, "period");
            return this;
        }

        /** Require server nonces under a random secret of this JVM's: for a single node only. */
        public Builder nonces(Duration period) {
            byte[] secret = new byte[MIN_NONCE_SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
            return nonces(secret, period);
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException naming the option that is out of range or contradicts another
         */
        public DpopOptions build() {
            require(!algorithms.isEmpty(), "dpop algorithms must not be empty");
            for (JWSAlgorithm alg : algorithms) {
                require(!JWSAlgorithm.Family.HMAC_SHA.contains(alg) && !"none".equalsIgnoreCase(alg.getName()),
                        "dpop algorithm " + alg + " is not asymmetric; a DPoP proof must be signed with a private key");
                require(JWSAlgorithm.Family.SIGNATURE.contains(alg),
                        "dpop algorithm '" + alg + "' is not a supported JWS signature algorithm");
            }
            require(maxAge.compareTo(Duration.ofSeconds(1)) >= 0 && maxAge.compareTo(Duration.ofMinutes(10)) <= 0,
                    "dpop maxAge must be between 1 second and 10 minutes");
            require(!maxFuture.isNegative() && maxFuture.compareTo(Duration.ofMinutes(5)) <= 0,
                    "dpop maxFuture must be between 0 and 5 minutes");
            require(maxProofLength >= 256, "dpop maxProofLength must be at least 256 characters");
            require(inMemoryEntries > 0, "dpop inMemoryEntries must be positive");
            require(nonceSecret == null || nonceSecret.length >= MIN_NONCE_SECRET_BYTES,
                    "dpop nonce secret must be at least " + MIN_NONCE_SECRET_BYTES + " bytes");
            require(noncePeriod.compareTo(Duration.ofSeconds(10)) >= 0 && noncePeriod.compareTo(Duration.ofHours(1)) <= 0,
                    "dpop nonce period must be between 10 seconds and 1 hour");
            return new DpopOptions(this);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
