package io.github.oauthjwt.webflux.validation;

import java.util.Objects;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.webflux.JwtClaims;
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
 * <p>{@link #validate} emits exactly one {@link Outcome} and never an error: every expected failure
 * is a {@link Rejection}. It completes synchronously when the key is cached and waits only on a
 * JWKS fetch the cache had to make. Thread-safe.
 */
public final class TokenValidator {

    private final ValidationPolicy policy;
    private final JwksKeySource keys;
    private final TokenParser parser = new TokenParser();
    private final HeaderRules headerRules;
    private final ClaimRules claimRules;
    private final SignatureVerifier signatures = new SignatureVerifier();

    /** A validator that checks tokens against {@code policy} with keys from {@code keys}. */
    public TokenValidator(ValidationPolicy policy, JwksKeySource keys) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.headerRules = new HeaderRules(policy);
        this.claimRules = new ClaimRules(policy);
    }

    /** Emits the outcome of validating {@code token}, the credentials of a bearer header. */
    public Mono<Outcome> validate(String token) {
        if (token.length() > policy.maxTokenLength()) {
            return Mono.just(Rejection.invalidToken("The access token is too large: " + token.length()
                    + " characters, and this API accepts at most " + policy.maxTokenLength() + "."));
        }
        Object parsed = parser.parse(token);
        if (parsed instanceof Rejection rejection) {
            return Mono.just(rejection);
        }
        ParsedToken jws = (ParsedToken) parsed;
        Rejection headerProblem = headerRules.check(jws.header());
        if (headerProblem != null) {
            return Mono.just(headerProblem);
        }
        JWSAlgorithm alg = jws.header().getAlgorithm();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            return Mono.just(verifyHmac(jws, alg));
        }
        String kid = jws.header().getKeyID();
        VerificationKey cached = keys.cachedKey(kid, alg);
        if (cached != null) {
            return Mono.just(verifyWith(cached, jws, alg));
        }
        return keys.resolve(kid, alg).map(resolution -> {
            if (resolution instanceof KeyResolution.Found found) {
                return verifyWith(found.key(), jws, alg);
            }
            if (resolution instanceof KeyResolution.Missing missing) {
                return Rejection.invalidToken(describe(missing.reason(), kid, alg));
            }
            return Rejection.keysUnavailable(((KeyResolution.Unavailable) resolution).retryAfter());
        });
    }

    private Outcome verifyWith(VerificationKey key, ParsedToken jws, JWSAlgorithm alg) {
        if (!signatures.verify(alg, key.publicKey(), jws.signingInput(), jws.signature())) {
            return Rejection.invalidToken("The access token's signature is not valid.");
        }
        return checkClaims(jws);
    }

    private Outcome verifyHmac(ParsedToken jws, JWSAlgorithm alg) {
        byte[] secret = Objects.requireNonNull(policy.hmacSecret(), "HMAC algorithms are allowed only with a secret");
        if (!signatures.verifyHmac(alg, secret, jws.signingInput(), jws.signature())) {
            return Rejection.invalidToken("The access token's signature is not valid.");
        }
        return checkClaims(jws);
    }

    private Outcome checkClaims(ParsedToken jws) {
        JwtClaims claims = JwtClaims.of(jws.claims());
        Rejection rejection = claimRules.check(claims, policy.clock().millis() / 1000);
        return rejection != null ? rejection : new Verified(claims);
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
