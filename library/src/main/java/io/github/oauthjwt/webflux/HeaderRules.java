package io.github.oauthjwt.webflux;

import java.util.Locale;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import org.jspecify.annotations.Nullable;

/**
 * The checks on a token's JOSE header, made before any key is looked up: the algorithm is on the
 * allow-list (RFC 8725 §3.1), no unknown extension is marked critical (RFC 7515 §4.1.11), and the
 * type is one the API accepts (RFC 8725 §3.11, RFC 9068 §2.1). Key-locating headers that point
 * outside the trusted JWKS ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c}) are never read.
 * Immutable and thread-safe.
 */
final class HeaderRules {

    private final ValidationPolicy policy;
    private final String acceptedAlgorithms;

    HeaderRules(ValidationPolicy policy) {
        this.policy = policy;
        this.acceptedAlgorithms = String.join(", ", policy.algorithms().stream().map(JWSAlgorithm::getName).sorted().toList());
    }

    /** The reason to refuse this header, or {@code null} when it passes. */
    @Nullable Rejection check(JWSHeader header) {
        JWSAlgorithm alg = header.getAlgorithm();
        if (!policy.algorithms().contains(alg)) {
            return Rejection.invalidToken(Rejection.Reason.ALGORITHM_REFUSED, "The access token is signed with "
                    + (isStandard(alg) ? alg.getName() : "an unknown algorithm")
                    + ", which this API does not accept; it accepts " + acceptedAlgorithms + ".");
        }
        if (header.getCriticalParams() != null) {
            // This API understands no extension, and an empty list is forbidden to producers (RFC 7515 §4.1.11).
            return Rejection.invalidToken(Rejection.Reason.CRITICAL_HEADER, header.getCriticalParams().isEmpty()
                    ? "The access token's crit header is an empty list, which RFC 7515 §4.1.11 forbids."
                    : "The access token marks header parameters as critical (crit) that this API does not understand.");
        }
        JOSEObjectType type = header.getType();
        if (type == null) {
            return policy.typeRequired()
                    ? Rejection.invalidToken(Rejection.Reason.TYPE_REFUSED, "The access token has no type (typ header); this API requires "
                            + String.join(" or ", policy.tokenTypes()) + ".")
                    : null;
        }
        if (!policy.tokenTypes().contains(normalizeType(type.getType()))) {
            return Rejection.invalidToken(Rejection.Reason.TYPE_REFUSED, "The access token's type (typ header) "
                    + SafeText.quoteOr(type.getType(), "") + (SafeText.isEchoable(type.getType()) ? " " : "")
                    + "is not one this API accepts: " + String.join(", ", policy.tokenTypes()) + ".");
        }
        return null;
    }

    /** A media type as {@code typ} compares it (RFC 7515 §4.1.9): lower case, without {@code application/}. */
    static String normalizeType(String type) {
        String lower = type.toLowerCase(Locale.ROOT);
        return lower.startsWith("application/") ? lower.substring("application/".length()) : lower;
    }

    private static boolean isStandard(JWSAlgorithm alg) {
        return JWSAlgorithm.Family.SIGNATURE.contains(alg) || JWSAlgorithm.Family.HMAC_SHA.contains(alg)
                || JWSAlgorithm.Ed25519.equals(alg);
    }
}
