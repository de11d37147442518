package io.github.oauthjwt.webflux;

import java.util.Objects;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.webflux.jwks.KeyResolution;
import io.github.oauthjwt.webflux.jwks.VerificationKey;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Validates one bearer token from end to end: bounds its size, decodes it, checks its header,
 * finds its key in the {@link JwksKeySource} by {@code kid}, verifies the signature, then checks
 * the claims against the {@link ValidationPolicy}.
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
    private final JwksKeySource keys;
    private final TokenParser parser;
    private final HeaderRules headerRules;
    private final TokenRules rules;
    private final SignatureVerifier signatures = new SignatureVerifier();
    private final @Nullable VerifiedTokenCache verifiedTokens;

    /**
     * A validator that checks tokens against {@code policy} with keys from {@code keys}.
     *
     * @param verifiedTokenCacheSize how many verified tokens to remember; 0 verifies every token afresh
     * @throws IllegalArgumentException if {@code verifiedTokenCacheSize} is negative
     */
    TokenValidator(ValidationPolicy policy, JwksKeySource keys, long verifiedTokenCacheSize) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.keys = Objects.requireNonNull(keys, "keys");
        if (verifiedTokenCacheSize < 0) {
            throw new IllegalArgumentException("verifiedTokenCacheSize must not be negative");
        }
        this.parser = new TokenParser(policy);
        this.headerRules = new HeaderRules(policy);
        this.rules = new TokenRules(policy);
        this.verifiedTokens = verifiedTokenCacheSize > 0
                ? new VerifiedTokenCache(verifiedTokenCacheSize, policy.clock())
                : null;
    }

    /** Emits the outcome of validating {@code token}, the credentials of a bearer header. */
    public Mono<Outcome> validate(String token) {
        if (token.length() > policy.maxTokenLength()) {
            return Mono.just(Rejection.invalidToken("The access token is too large: " + token.length()
                    + " characters, and this API accepts at most " + policy.maxTokenLength() + "."));
        }
        Outcome remembered = verifiedTokens != null ? fromCache(verifiedTokens, token) : null;
        if (remembered != null) {
            return Mono.just(remembered);
        }
        TokenParser.TokenResult parsed = parser.parse(token);
        if (parsed instanceof ParsedToken jws) {
            return validateParsed(token, jws);
        }
        if (parsed instanceof Rejection rejection) {
            return Mono.just(rejection);
        }
        throw new IllegalStateException("TokenResult is sealed: " + parsed.getClass());
    }

    private Mono<Outcome> validateParsed(String token, ParsedToken jws) {
        Rejection headerProblem = headerRules.check(jws.header());
        if (headerProblem != null) {
            return Mono.just(headerProblem);
        }
        JWSAlgorithm alg = jws.header().getAlgorithm();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            return Mono.just(verifyHmac(token, jws, alg));
        }
        String kid = jws.header().getKeyID();
        VerificationKey cached = keys.cachedKey(kid, alg);
        if (cached != null) {
            return Mono.just(verifyWith(cached, token, jws, alg));
        }
        return keys.resolve(kid, alg).map(resolution -> {
            if (resolution instanceof KeyResolution.Found found) {
                return verifyWith(found.key(), token, jws, alg);
            }
            if (resolution instanceof KeyResolution.Missing missing) {
                return Rejection.invalidToken(describe(missing.reason(), kid, alg));
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
    private @Nullable Outcome fromCache(VerifiedTokenCache cache, String token) {
        VerifiedTokenCache.Entry entry = cache.get(token);
        if (entry == null) {
            return null;
        }
        if (entry.key() != null && keys.cachedKey(entry.kid(), entry.alg()) != entry.key()) {
            cache.invalidate(token);
            return null;
        }
        Rejection rejection = rules.check(entry.verified().claims());
        return rejection != null ? rejection : entry.verified();
    }

    private Outcome verifyWith(VerificationKey key, String token, ParsedToken jws, JWSAlgorithm alg) {
        if (!signatures.verify(alg, key.publicKey(), jws.signingInput(), jws.signature())) {
            return Rejection.invalidToken("The access token's signature is not valid.");
        }
        return checkClaims(token, jws, key, alg);
    }

    private Outcome verifyHmac(String token, ParsedToken jws, JWSAlgorithm alg) {
        byte[] secret = Objects.requireNonNull(policy.hmacSecret(), "HMAC algorithms are allowed only with a secret");
        if (!signatures.verifyHmac(alg, secret, jws.signingInput(), jws.signature())) {
            return Rejection.invalidToken("The access token's signature is not valid.");
        }
        return checkClaims(token, jws, null, alg);
    }

    /** Checks the claims of a token whose signature just verified, and remembers the token if it can expire. */
    private Outcome checkClaims(String token, ParsedToken jws, @Nullable VerificationKey key, JWSAlgorithm alg) {
        Verified verified = new Verified(JwtClaims.of(jws.claims(), policy.scopeClaims()));
        Rejection rejection = rules.check(verified.claims());
        if (verifiedTokens != null && verified.claims().claim("exp") instanceof Number exp) {
            // Remembered whatever the claim rules said: they are checked again on every hit. The cache
            // itself refuses a token that has already expired.
            verifiedTokens.put(token, new VerifiedTokenCache.Entry(verified, key, jws.header().getKeyID(), alg,
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
