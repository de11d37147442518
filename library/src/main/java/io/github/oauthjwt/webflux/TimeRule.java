package io.github.oauthjwt.webflux;

import java.time.Clock;
import java.util.Optional;

/**
 * The time claims (RFC 7519 §4.1.4–4.1.6), each with clock skew: {@code exp} is required (RFC 9068
 * §2.2) and must lie ahead; {@code nbf} and {@code iat}, if present, must not lie ahead. Time comes
 * from the injected clock. Immutable.
 */
final class TimeRule implements TokenRule {

    private final Clock clock;
    private final long skewSeconds;

    TimeRule(Clock clock, long skewSeconds) {
        this.clock = clock;
        this.skewSeconds = skewSeconds;
    }

    @Override
    public Optional<Rejection> check(JwtClaims claims) {
        long now = Math.floorDiv(clock.millis(), 1000);
        Object exp = claims.claim("exp");
        if (exp == null) {
            return reject(Rejection.Reason.MALFORMED, "The access token has no expiry (exp claim); this API accepts only tokens that expire.");
        }
        if (!(exp instanceof Number expiry)) {
            return reject(Rejection.Reason.MALFORMED, "The access token's exp claim is not a number of seconds since the epoch.");
        }
        if (now - skewSeconds >= expiry.longValue()) {
            return reject(Rejection.Reason.EXPIRED, "The access token expired at " + JwtClaims.instant(expiry) + ".");
        }
        Object nbf = claims.claim("nbf");
        if (nbf != null) {
            if (!(nbf instanceof Number notBefore)) {
                return reject(Rejection.Reason.MALFORMED, "The access token's nbf claim is not a number of seconds since the epoch.");
            }
            if (now + skewSeconds < notBefore.longValue()) {
                return reject(Rejection.Reason.NOT_YET_VALID, "The access token is not valid before " + JwtClaims.instant(notBefore) + ".");
            }
        }
        Object iat = claims.claim("iat");
        if (iat != null) {
            if (!(iat instanceof Number issuedAt)) {
                return reject(Rejection.Reason.MALFORMED, "The access token's iat claim is not a number of seconds since the epoch.");
            }
            if (now + skewSeconds < issuedAt.longValue()) {
                return reject(Rejection.Reason.NOT_YET_VALID, "The access token was issued in the future (iat " + JwtClaims.instant(issuedAt)
                        + "); check the authorization server's clock.");
            }
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(Rejection.Reason reason, String description) {
        return Optional.of(Rejection.invalidToken(reason, description));
    }
}
