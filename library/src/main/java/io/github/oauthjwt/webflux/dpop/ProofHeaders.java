package io.github.oauthjwt.webflux.dpop;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.oauthjwt.webflux.jwks.VerificationKey;
import org.jspecify.annotations.Nullable;

/**
 * Judges the JOSE header of a DPoP proof (RFC 9449 §4.3 checks 4, 5 and 7; check 6, the signature,
 * needs the rest of the proof): the type is {@code dpop+jwt}, the algorithm is asymmetric and on the
 * allow-list, no extension is critical, and {@code jwk} is a public key that fits the algorithm.
 * A client sends the same header with every proof (only the claims change), so the verdict on each
 * header segment is remembered, bounded: a client's key is parsed, judged and thumbprinted once, and
 * the same key object reaches the signature check, which keeps its translated form. Thread-safe.
 */
final class ProofHeaders {

    /** Header segments whose verdict is remembered at most: one per client key in use. */
    private static final int REMEMBERED = 4_096;
    /** JWK members that hold private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    /** What a header is: not JSON at all, refused with a reason, or accepted with its key. */
    sealed interface Verdict permits NotJson, Refused, Accepted {
    }

    /** The header segment is not base64url-encoded JSON: the proof is not a JWT. */
    record NotJson() implements Verdict {
    }

    /** The header fails a check; {@code description} says which. */
    record Refused(String description) implements Verdict {
    }

    /**
     * The header passes; the proof is to be verified with {@code key}.
     *
     * @param alg the proof's algorithm
     * @param key the public key of {@code jwk}
     * @param thumbprint its RFC 7638 SHA-256 thumbprint, base64url
     */
    record Accepted(JWSAlgorithm alg, VerificationKey key, String thumbprint) implements Verdict {
    }

    private static final NotJson NOT_JSON = new NotJson();

    private final Set<JWSAlgorithm> algorithms;
    private final String acceptedNames;
    private final Cache<String, Verdict> verdicts = Caffeine.newBuilder()
            .maximumSize(REMEMBERED)
            .executor(Runnable::run)
            .build();

    ProofHeaders(Set<JWSAlgorithm> algorithms) {
        this.algorithms = algorithms;
        this.acceptedNames = algorithms.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(", "));
    }

    /** The verdict on this header segment (base64url, as sent). */
    Verdict judge(String segment) {
        return verdicts.get(segment, this::judgeNow);
    }

    private Verdict judgeNow(String segment) {
        Map<String, Object> header = decodeJson(segment);
        if (header == null) {
            return NOT_JSON;
        }
        if (!(header.get("typ") instanceof String type) || !isDpopType(type)) {
            return new Refused("The DPoP proof's type (typ header) is not dpop+jwt.");
        }
        if (!(header.get("alg") instanceof String algName)) {
            return new Refused("The DPoP proof's header has no alg.");
        }
        JWSAlgorithm alg = JWSAlgorithm.parse(algName);
        if ("none".equalsIgnoreCase(algName)) {
            return new Refused("The DPoP proof is unsigned (alg 'none'); sign it with one of: " + acceptedNames + ".");
        }
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            return new Refused("The DPoP proof is signed with " + alg.getName() + ", a shared-secret algorithm; sign it"
                    + " with a private key, with one of: " + acceptedNames + ".");
        }
        if (!algorithms.contains(alg)) {
            boolean standard = JWSAlgorithm.Family.SIGNATURE.contains(alg) || JWSAlgorithm.Ed25519.equals(alg);
            return new Refused("The DPoP proof is signed with " + (standard ? alg.getName() : "an unknown algorithm")
                    + ", which this API does not accept; it accepts " + acceptedNames + ".");
        }
        if (header.containsKey("crit")) {
            return new Refused("The DPoP proof marks header parameters as critical (crit) that this API does not understand.");
        }
        if (!(header.get("jwk") instanceof Map<?, ?> jwkMembers)) {
            return new Refused("The DPoP proof has no jwk header holding the public key that signed it.");
        }
        for (Object member : jwkMembers.keySet()) {
            if (PRIVATE_MEMBERS.contains(member)) {
                return new Refused("The DPoP proof's jwk header holds private key material; send only the public key,"
                        + " and make a new key pair, since this one is no longer secret.");
            }
        }
        return acceptKey(alg, jwkMembers);
    }

    private Verdict acceptKey(JWSAlgorithm alg, Map<?, ?> jwkMembers) {
        JWK jwk;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) jwkMembers;
            jwk = JWK.parse(json);
        } catch (ParseException | RuntimeException e) {
            jwk = null;
        }
        VerificationKey key = jwk == null ? null : VerificationKey.fromJwk(jwk);
        if (jwk == null || key == null) {
            return new Refused("The DPoP proof's jwk header is not a public key this API accepts: RSA of at least 2048"
                    + " bits, EC on P-256, P-384 or P-521, or Ed25519.");
        }
        if (!key.fits(alg)) {
            return new Refused("The DPoP proof's jwk header holds a key that cannot make " + alg.getName() + " signatures.");
        }
        try {
            return new Accepted(alg, key, jwk.computeThumbprint().toString());
        } catch (JOSEException | RuntimeException e) {
            return new Refused("The DPoP proof's jwk header is not a public key this API accepts.");
        }
    }

    /** RFC 9449 §4.2: {@code dpop+jwt}; media types compare without case, and {@code application/} may be left out. */
    private static boolean isDpopType(String type) {
        String lower = type.toLowerCase(java.util.Locale.ROOT);
        return lower.equals("dpop+jwt") || lower.equals("application/dpop+jwt");
    }

    /** The JSON object a base64url segment encodes, or {@code null} if it encodes none. */
    static @Nullable Map<String, Object> decodeJson(String segment) {
        if (segment.isEmpty()) {
            return null;
        }
        try {
            return JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8));
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /** The accepted algorithms, space-separated, for the {@code algs} of a challenge (RFC 9449 §7.1). */
    static String challengeNames(Set<JWSAlgorithm> algorithms) {
        return String.join(" ", List.copyOf(algorithms.stream().map(JWSAlgorithm::getName).toList()));
    }
}
