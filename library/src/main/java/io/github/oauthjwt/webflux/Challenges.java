package io.github.oauthjwt.webflux;

import java.util.List;

import io.github.oauthjwt.webflux.dpop.DpopOptions;
import org.jspecify.annotations.Nullable;

/**
 * Which {@code WWW-Authenticate} challenges a refusal carries: {@code Bearer} alone while DPoP is
 * off; {@code DPoP} alone when it is required; and both when it is allowed (RFC 9449 §7.2), the
 * error in the scheme the request used and a bare challenge in the other. Every {@code DPoP}
 * challenge names the accepted proof algorithms ({@code algs}, RFC 9449 §7.1). Immutable.
 */
final class Challenges {

    private final @Nullable String realm;
    private final DpopOptions.Mode mode;
    private final @Nullable String algs;

    Challenges(@Nullable String realm, DpopOptions.Mode mode, @Nullable String algs) {
        this.realm = realm;
        this.mode = mode;
        this.algs = algs;
    }

    /** The header values for {@code rejection} of a request that used the DPoP scheme, or did not. */
    List<String> headerValues(Rejection rejection, boolean dpopRequest) {
        return switch (mode) {
            case DISABLED -> List.of(BearerChallenge.headerValue(rejection, realm));
            case REQUIRED -> List.of(BearerChallenge.headerValue("DPoP", rejection, realm, algs));
            case ALLOWED -> dpopRequest
                    ? List.of(BearerChallenge.headerValue("DPoP", rejection, realm, algs),
                            BearerChallenge.bareValue("Bearer", realm, null))
                    : List.of(BearerChallenge.headerValue(rejection, realm),
                            BearerChallenge.bareValue("DPoP", realm, algs));
        };
    }
}
