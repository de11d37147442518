package io.github.oauthjwt.webflux;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The audience: {@code aud}, a string or an array of strings (RFC 7519 §4.1.3), must hold one of
 * the configured audiences (RFC 9068 §4). Immutable.
 */
final class AudienceRule implements TokenRule {

    private final Set<String> accepted;
    private final String acceptedText;

    AudienceRule(Set<String> accepted) {
        this.accepted = Set.copyOf(accepted);
        this.acceptedText = String.join(" or ", accepted);
    }

    @Override
    public Optional<Rejection> check(JwtClaims claims) {
        Object aud = claims.claim("aud");
        if (aud == null) {
            return Optional.of(Rejection.invalidToken(Rejection.Reason.WRONG_AUDIENCE, "The access token has no audience (aud claim); this API requires "
                    + acceptedText + "."));
        }
        if (!(aud instanceof String) && !isStringList(aud)) {
            return Optional.of(Rejection.invalidToken(Rejection.Reason.MALFORMED,
                    "The access token's aud claim is neither a string nor an array of strings."));
        }
        for (String audience : claims.audience()) {
            if (accepted.contains(audience)) {
                return Optional.empty();
            }
        }
        return Optional.of(Rejection.invalidToken(Rejection.Reason.WRONG_AUDIENCE,
                "The access token's audience does not include " + acceptedText + "."));
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
}
