package io.github.oauthjwt.webflux;

import java.util.Objects;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.webflux.jose.SignatureVerifier;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.webflux.jwks.KeyResolution;
import io.github.oauthjwt.webflux.jwks.VerificationKey;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Validates one bearer token from end to end: bounds its size, decodes it, picks the trusted
 * issuer by its {@code iss} (one, or one of several), checks its header, finds its key in that
 * issuer's {@link JwksKeySource} by {@code kid}, verifies the signature, then checks the claims
 * against that issuer's {@link ValidationPolicy}.
 *
 * <p>A token whose signature verified is remembered (up to a bounded number, never past its
 * {@code exp}), so the same token sent again is neither decoded nor its signature checked: only
 * its time claims and the policy's claim rules are checked again, and that the key which verified
 * it is still the one the JWKS publishes for its {@code kid} (a key that left the JWKS takes its
 * tokens' entries with it).
 *
 * <p>{@link #validate} emits exactly one {@link Outcome} and never an error: every expected failure
 * is a {@link Rejection}. It completes synchronously when the key is cached and waits only on a
 * JWKS fetch the cache had to make. Thread-safe.
 */
final class TokenValidator {

    /**
     * The number of verified tokens remembered by default: at a few kilobytes each (the token and
     * its claims), some tens of megabytes at most.
     */
    public static final long DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = 10_000;

    private final ValidationPolicy policy;
    private final IssuerSelector issuers;
    private final TokenParser parser;
    private final SignatureVerifier signatures = new SignatureVerifier();
    private final @Nullable VerifiedTokenCache verifiedTokens;

    /**
     * A validator that parses tokens by {@code policy}'s limits and checks each against the trust
     * {@code issuers} picks for it.
     *
     * @param verifiedTokenCacheSize how many verified tokens to remember; 0 verifies every token afresh
     * @throws IllegalArgumentException if {@code verifiedTokenCacheSize} is negative
     */
    TokenValidator(ValidationPolicy policy, IssuerSelector issuers, long verifiedTokenCacheSize) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.issuers = Objects.requireNonNull(issuers, "issuers");
        if (verifiedTokenCacheSize < 0) {
            throw new IllegalArgumentException("verifiedTokenCacheSize must not be negative");
        }
        this.parser = new TokenParser(policy);
        this.verifiedTokens = verifiedTokenCacheSize > 0
                ? new VerifiedTokenCache(verifiedTokenCacheSize, policy.clock())
                : null;
    }

    /** A validator for tokens of one issuer (or any, when {@code policy} names none) with keys from {@code keys}. */
    TokenValidator(ValidationPolicy policy, JwksKeySource keys, long verifiedTokenCacheSize) {
        this(policy, IssuerSelector.only(IssuerTrust.of(policy, keys)), verifiedTokenCacheSize);
    }

    /** Emits the outcome of validating {@code token}, the credentials of a bearer header. */
    public Mono<Outcome> validate(String token) {
        return validate(token, null);
    }

    /**
     * Emits the outcome of validating {@code token}, noting in {@code facts} (when given) its
     * {@code alg} once it is known to be one the issuer's policy accepts, and whether the
     * verified-token cache answered.
     */
    Mono<Outcome> validate(String token, @Nullable ValidationFacts facts) {
        if (token.length() > policy.maxTokenLength()) {
            return Mono.just(Rejection.invalidToken(Rejection.Reason.TOO_LARGE, "The access token is too large: " + token.length()
                    + " characters, and this API accepts at most " + policy.maxTokenLength() + "."));
        }
        Outcome remembered = verifiedTokens != null ? fromCache(verifiedTokens, token, facts) : null;
        if (remembered != null) {
            return Mono.just(remembered);
        }
        TokenParser.TokenResult parsed = parser.parse(token);
        if (parsed instanceof ParsedToken jws) {
            IssuerSelector.Selection selection = issuers.select(jws.claims());
            if (selection instanceof IssuerTrust trust) {
                return validateParsed(token, jws, trust, facts);
            }
            return Mono.just((Rejection) selection);
        }
        if (parsed instanceof Rejection rejection) {
            return Mono.just(rejection);
        }
        throw new IllegalStateException("TokenResult is sealed: " + parsed.getClass());
    }

    private Mono<Outcome> validateParsed(String token, ParsedToken jws, IssuerTrust trust,
            @Nullable ValidationFacts facts) {
        JWSAlgorithm alg = jws.header().getAlgorithm();
        if (facts != null && trust.policy().algorithms().contains(alg)) {
            facts.accepted(alg.getName());
        }
        Rejection headerProblem = trust.headerRules().check(jws.header());
        if (headerProblem != null) {
            return Mono.just(headerProblem);
        }
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            return Mono.just(verifyHmac(token, jws, alg, trust));
        }
        String kid = jws.header().getKeyID();
        VerificationKey cached = trust.keys().cachedKey(kid, alg);
        if (cached != null) {
            return Mono.just(verifyWith(cached, token, jws, alg, trust));
        }
        return trust.keys().resolve(kid, alg).map(resolution -> {
            if (resolution instanceof KeyResolution.Found found) {
                return verifyWith(found.key(), token, jws, alg, trust);
            }
            if (resolution instanceof KeyResolution.Missing missing) {
                return Rejection.invalidToken(missing.reason() == KeyResolution.Reason.UNKNOWN_KID
                        ? Rejection.Reason.UNKNOWN_KID : Rejection.Reason.NO_FITTING_KEY, describe(missing.reason(), kid, alg));
            }
            if (resolution instanceof KeyResolution.Unavailable unavailable) {
                return Rejection.keysUnavailable(unavailable.retryAfter());
            }
            throw new IllegalStateException("KeyResolution is sealed: " + resolution.getClass());
        });
    }

    /**
     * The outcome for a token whose signature was verified before, or {@code null} when it must be
     * verified now: it is not remembered, or the key that verified it is no longer the one published
     * for its {@code kid} (or no keys are usable at all), in which case it is forgotten.
     */
    private @Nullable Outcome fromCache(VerifiedTokenCache cache, String token, @Nullable ValidationFacts facts) {
        VerifiedTokenCache.Entry entry = cache.get(token);
        if (entry == null) {
            return null;
        }
        if (entry.key() != null && entry.trust().keys().cachedKey(entry.kid(), entry.alg()) != entry.key()) {
            cache.invalidate(token);
            return null;
        }
        if (facts != null) {
            facts.remembered(entry.alg().getName());
        }
        Rejection rejection = entry.trust().rules().check(entry.verified().claims());
        return rejection != null ? rejection : entry.verified();
    }

    private Outcome verifyWith(VerificationKey key, String token, ParsedToken jws, JWSAlgorithm alg, IssuerTrust trust) {
        if (!signatures.verify(alg, key.publicKey(), jws.signingInput(), jws.signature())) {
            return Rejection.invalidToken(Rejection.Reason.BAD_SIGNATURE, "The access token's signature is not valid.");
        }
        return checkClaims(token, jws, key, alg, trust);
    }

    private Outcome verifyHmac(String token, ParsedToken jws, JWSAlgorithm alg, IssuerTrust trust) {
        byte[] secret = Objects.requireNonNull(trust.policy().hmacSecret(), "HMAC algorithms are allowed only with a secret");
        if (!signatures.verifyHmac(alg, secret, jws.signingInput(), jws.signature())) {
            return Rejection.invalidToken(Rejection.Reason.BAD_SIGNATURE, "The access token's signature is not valid.");
        }
        return checkClaims(token, jws, null, alg, trust);
    }

    /** Checks the claims of a token whose signature just verified, and remembers the token if it can expire. */
    private Outcome checkClaims(String token, ParsedToken jws, @Nullable VerificationKey key, JWSAlgorithm alg,
            IssuerTrust trust) {
        Verified verified = new Verified(JwtClaims.ofParsed(jws.claims(), policy.scopeClaims()));
        Rejection rejection = trust.rules().check(verified.claims());
        if (verifiedTokens != null && verified.claims().claim("exp") instanceof Number exp) {
            // Remembered whatever the claim rules said: they are checked again on every hit. The cache
            // itself refuses a token that has already expired.
            verifiedTokens.put(token, new VerifiedTokenCache.Entry(verified, trust, key, jws.header().getKeyID(), alg,
                    exp.longValue()));
        }
        return rejection != null ? rejection : verified;
    }

    private static String describe(KeyResolution.Reason reason, @Nullable String kid, JWSAlgorithm alg) {
        return switch (reason) {
            case UNKNOWN_KID -> kid != null && SafeText.isEchoable(kid)
                    ? "No signing key with kid '" + kid + "' is published by the authorization server this API trusts."
                    : "No signing key with the token's kid is published by the authorization server this API trusts.";
            case KID_DOES_NOT_FIT_ALGORITHM -> "The signing key with "
                    + (kid != null && SafeText.isEchoable(kid) ? "kid '" + kid + "'" : "the token's kid")
                    + " cannot verify " + alg.getName() + " signatures.";
            case NO_KID_AND_NO_SINGLE_FITTING_KEY -> "The access token has no kid header, and the authorization server"
                    + " does not publish exactly one key for " + alg.getName() + "; send a token with a kid.";
        };
    }
}
