package io.github.oauthjwt.webflux;

import java.util.List;

import io.github.oauthjwt.webflux.dpop.DpopOptions;
import org.jspecify.annotations.Nullable;

/**
 * Which {@code WWW-Authenticate} challenge a refusal carries: {@code Bearer} while DPoP is off;
 * {@code DPoP} when it is required; and when it is allowed, the scheme the request used (a request
 * with no credentials gets {@code Bearer}). One challenge per refusal, never two: RFC 9449 §7.2
 * allows a second one, but clients that read a single {@code WWW-Authenticate} header (and every
 * client written against this filter before DPoP) would then see the wrong one; a client learns
 * that DPoP is accepted from a DPoP refusal's {@code algs} or from the protected-resource
 * metadata's {@code dpop_signing_alg_values_supported}. Every {@code DPoP} challenge names the
 * accepted proof algorithms ({@code algs}, RFC 9449 §7.1). Immutable.
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

    /**
     * The header values for {@code rejection} of a request that used the DPoP scheme, or did not,
     * with {@code resource_metadata} when given.
     */
    List<String> headerValues(Rejection rejection, boolean dpopRequest, @Nullable String resourceMetadata) {
        boolean dpop = mode == DpopOptions.Mode.REQUIRED || (mode == DpopOptions.Mode.ALLOWED && dpopRequest);
        return List.of(dpop
                ? BearerChallenge.headerValue("DPoP", rejection, realm, algs, resourceMetadata)
                : BearerChallenge.headerValue(rejection, realm, resourceMetadata));
    }

    /** The realm every challenge names, or {@code null}. */
    @Nullable String realm() {
        return realm;
    }

    /** The proof algorithms a {@code DPoP} challenge names, or {@code null} while DPoP is off. */
    @Nullable String algs() {
        return algs;
    }
}
