package io.github.oauthjwt.webflux;

import java.util.Optional;

/** The issuer: {@code iss} must equal the configured one exactly (RFC 9068 §4, RFC 8414 §3.3). Immutable. */
final class IssuerRule implements TokenRule {

    private final String expected;

    IssuerRule(String expected) {
        this.expected = expected;
    }

    @Override
    public Optional<Rejection> check(JwtClaims claims) {
        Object iss = claims.claim("iss");
        if (expected.equals(iss)) {
            return Optional.empty();
        }
        if (iss == null) {
            return Optional.of(Rejection.invalidToken(Rejection.Reason.WRONG_ISSUER, "The access token has no issuer (iss claim); this API accepts"
                    + " tokens issued by " + expected + "."));
        }
        String actual = iss instanceof String s ? SafeText.quoteOr(s, "another issuer") : "an issuer that is not a string";
        return Optional.of(Rejection.invalidToken(Rejection.Reason.WRONG_ISSUER, "The access token was issued by " + actual
                + "; this API accepts tokens issued by " + expected + "."));
    }
}
