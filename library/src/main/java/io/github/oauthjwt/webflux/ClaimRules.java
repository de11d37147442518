package io.github.oauthjwt.webflux;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The checks on a verified token's claims, in the order they are made: the time claims
 * (RFC 7519 §4.1.4–4.1.6, with clock skew; {@code exp} required as RFC 9068 §2.2 says), the issuer
 * (exact match, RFC 9068 §4), the audience (a string or an array holding it, RFC 7519 §4.1.3), the
 * types of {@code scope} and {@code scp}, then the required scopes and claims, whose absence is a
 * 403 rather than a 401 (RFC 6750 §3.1). Immutable and thread-safe.
 */
final class ClaimRules {

    private final ValidationPolicy policy;
    private final long skewSeconds;
    private final @Nullable String scopeAttribute;

    ClaimRules(ValidationPolicy policy) {
        this.policy = policy;
        this.skewSeconds = policy.clockSkew().toSeconds();
        this.scopeAttribute = policy.requiredScopes().isEmpty() ? null : String.join(" ", policy.requiredScopes());
    }

    /** The reason to refuse these claims at {@code nowSeconds}, or {@code null} when they pass. */
    @Nullable Rejection check(JwtClaims claims, long nowSeconds) {
        Rejection rejection = checkTimes(claims, nowSeconds);
        if (rejection == null) {
            rejection = checkIssuer(claims);
        }
        if (rejection == null) {
            rejection = checkAudience(claims);
        }
        if (rejection == null) {
            rejection = checkScopeTypes(claims);
        }
        if (rejection == null) {
            rejection = checkGrants(claims);
        }
        return rejection;
    }

    /** The time claims: {@code exp} required, then {@code nbf} and {@code iat} if present, each with clock skew. */
    private @Nullable Rejection checkTimes(JwtClaims claims, long nowSeconds) {
        Object exp = claims.claim("exp");
        if (exp == null) {
            return Rejection.invalidToken("The access token has no expiry (exp claim); this API accepts only tokens that expire.");
        }
        if (!(exp instanceof Number expiry)) {
            return Rejection.invalidToken("The access token's exp claim is not a number of seconds since the epoch.");
        }
        if (nowSeconds - skewSeconds >= expiry.longValue()) {
            return Rejection.invalidToken("The access token expired at " + instant(expiry) + ".");
        }
        Object nbf = claims.claim("nbf");
        if (nbf != null) {
            if (!(nbf instanceof Number notBefore)) {
                return Rejection.invalidToken("The access token's nbf claim is not a number of seconds since the epoch.");
            }
            if (nowSeconds + skewSeconds < notBefore.longValue()) {
                return Rejection.invalidToken("The access token is not valid before " + instant(notBefore) + ".");
            }
        }
        Object iat = claims.claim("iat");
        if (iat != null) {
            if (!(iat instanceof Number issuedAt)) {
                return Rejection.invalidToken("The access token's iat claim is not a number of seconds since the epoch.");
            }
            if (nowSeconds + skewSeconds < issuedAt.longValue()) {
                return Rejection.invalidToken("The access token was issued in the future (iat " + instant(issuedAt)
                        + "); check the authorization server's clock.");
            }
        }
        return null;
    }

    private @Nullable Rejection checkIssuer(JwtClaims claims) {
        String expected = policy.issuer();
        if (expected == null) {
            return null;
        }
        Object iss = claims.claim("iss");
        if (expected.equals(iss)) {
            return null;
        }
        if (iss == null) {
            return Rejection.invalidToken("The access token has no issuer (iss claim); this API accepts tokens issued by "
                    + expected + ".");
        }
        String actual = iss instanceof String s ? SafeText.quoteOr(s, "another issuer") : "an issuer that is not a string";
        return Rejection.invalidToken("The access token was issued by " + actual + "; this API accepts tokens issued by "
                + expected + ".");
    }

    private @Nullable Rejection checkAudience(JwtClaims claims) {
        if (policy.audiences().isEmpty()) {
            return null;
        }
        Object aud = claims.claim("aud");
        if (aud == null) {
            return Rejection.invalidToken("The access token has no audience (aud claim); this API requires "
                    + audienceText() + ".");
        }
        if (!(aud instanceof String) && !isStringList(aud)) {
            return Rejection.invalidToken("The access token's aud claim is neither a string nor an array of strings.");
        }
        for (String audience : claims.audience()) {
            if (policy.audiences().contains(audience)) {
                return null;
            }
        }
        return Rejection.invalidToken("The access token's audience does not include " + audienceText() + ".");
    }

    private @Nullable Rejection checkScopeTypes(JwtClaims claims) {
        return policy.scopeClaims().check(claims);
    }

    private @Nullable Rejection checkGrants(JwtClaims claims) {
        for (String scope : policy.requiredScopes()) {
            if (!claims.scopes().contains(scope)) {
                return Rejection.insufficientScope("The access token lacks the scope '" + scope
                        + "'; this resource requires the scopes: " + scopeAttribute + ".", scopeAttribute);
            }
        }
        for (RequiredClaim required : policy.requiredClaims()) {
            Rejection rejection = checkClaim(claims, required, scopeAttribute);
            if (rejection != null) {
                return rejection;
            }
        }
        return null;
    }

    /** The reason to refuse claims that lack {@code required}, or {@code null}. */
    static @Nullable Rejection checkClaim(JwtClaims claims, RequiredClaim required, @Nullable String scopeAttribute) {
        Object value = claims.claim(required.name());
        if (value == null) {
            return Rejection.insufficientScope("The access token lacks the claim '" + required.name()
                    + "' that this resource requires.", scopeAttribute);
        }
        if (required.value() == null) {
            return null;
        }
        boolean holds = required.value().equals(value)
                || (value instanceof List<?> list && list.contains(required.value()));
        return holds ? null : Rejection.insufficientScope("The access token's claim '" + required.name()
                + "' does not have the value '" + required.value() + "' that this resource requires.", scopeAttribute);
    }

    private String audienceText() {
        return String.join(" or ", policy.audiences());
    }

    private static boolean isStringList(Object value) {
        if (!(value instanceof List<?> list)) {
            return false;
        }
        for (Object element : list) {
            if (!(element instanceof String)) {
                return false;
            }
        }
        return true;
    }

    private static Instant instant(Number epochSeconds) {
        long seconds = Math.max(Instant.MIN.getEpochSecond(), Math.min(Instant.MAX.getEpochSecond(), epochSeconds.longValue()));
        return Instant.ofEpochSecond(seconds);
    }
}
