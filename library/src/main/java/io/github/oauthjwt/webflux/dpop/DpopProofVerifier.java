package io.github.oauthjwt.webflux.dpop;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import io.github.oauthjwt.webflux.jose.SignatureVerifier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * Checks the DPoP proof of a request that presents an access token with the {@code DPoP} scheme,
 * in the order of RFC 9449 §4.3, each failure named after its check:
 * <ol>
 *   <li>exactly one {@code DPoP} header (400 otherwise);</li>
 *   <li>it is one compact JWS of at most {@link DpopOptions#maxProofLength()} characters;</li>
 *   <li>it has the claims of §4.2: {@code jti}, {@code htm}, {@code htu}, {@code iat};</li>
 *   <li>{@code typ} is {@code dpop+jwt};</li>
 *   <li>{@code alg} is asymmetric and on the allow-list (never {@code none} or HMAC);</li>
 *   <li>the signature verifies with the {@code jwk} header's key, which (7) holds no private
 *       member (checked before the key is used at all);</li>
 *   <li>{@code htm} is the request's method;</li>
 *   <li>{@code htu} is the request's URI without query and fragment, both normalised (see
 *       {@code Htu}); the request's URI is the one the server sees, which a
 *       {@code ForwardedHeaderTransformer} rewrites from {@code Forwarded} headers only when the
 *       application chose to trust them; no forwarded header is read here;</li>
 *   <li>with nonces on, {@code nonce} is one this API issued for this period or the last;</li>
 *   <li>{@code iat} lies within the window of the options;</li>
 *   <li>{@code ath} is the hash of the access token, and the token is bound ({@code cnf.jkt}) to
 *       the proof's key;</li>
 * </ol>
 * and last, as §11.1 allows, the proof's {@code jti} (with its key's thumbprint) is marked in the
 * {@link ReplayStore}, atomically, so that of two requests with one proof only one passes, on any
 * node sharing the store. Marking comes last so that refused proofs fill no store.
 *
 * <p>{@link #verify} emits exactly one {@link ProofResult}; a replay store that fails becomes
 * {@link ProofResult.Unavailable}, and only a bug throws (the filter turns that into a 401). It
 * completes on the calling thread unless the replay store answers on another (Redis). Thread-safe.
 */
public final class DpopProofVerifier {

    /** The request header that carries the proof (RFC 9449 §4.1). */
    public static final String HEADER = "DPoP";
    /** The response header that carries a nonce (RFC 9449 §8.1). */
    public static final String NONCE_HEADER = "DPoP-Nonce";

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final Pattern ECHOABLE_URI = Pattern.compile("[A-Za-z0-9._~:/%@!$&'()*+,;=-]{1,200}");
    private static final Pattern ECHOABLE_METHOD = Pattern.compile("[A-Z]{1,20}");

    private final DpopOptions options;
    private final Clock clock;
    private final SignatureVerifier signatures;
    private final ProofHeaders headers;
    private final ReplayStore store;
    private final @Nullable Nonces nonces;
    private final Duration replayTtl;
    private final String algorithmNames;

    /**
     * A verifier with these options, checking {@code iat} and nonces against {@code clock}.
     *
     * @param signatures the signature check the access tokens use as well
     */
    public DpopProofVerifier(DpopOptions options, Clock clock, SignatureVerifier signatures) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signatures = Objects.requireNonNull(signatures, "signatures");
        this.headers = new ProofHeaders(options.algorithms());
        ReplayStore configured = options.replayStore();
        ReplayStore memory = configured == null || options.onStoreFailure() == DpopOptions.OnStoreFailure.FALL_BACK_TO_MEMORY
                ? ReplayStore.inMemory(options.inMemoryEntries(), clock) : null;
        this.store = configured == null ? Objects.requireNonNull(memory) : new GuardedReplayStore(configured, memory);
        byte[] secret = options.nonceSecret();
        this.nonces = secret == null ? null : new Nonces(secret, options.noncePeriod(), clock);
        this.replayTtl = options.maxAge().plus(options.maxFuture());
        this.algorithmNames = ProofHeaders.challengeNames(options.algorithms());
    }

    /** The options this verifier checks proofs against. */
    public DpopOptions options() {
        return options;
    }

    /** The accepted algorithms, space-separated, as the {@code algs} of a {@code DPoP} challenge (RFC 9449 §7.1). */
    public String algorithmNames() {
        return algorithmNames;
    }

    /**
     * Emits the result of checking the proof of {@code request}, which presents {@code accessToken}
     * with the {@code DPoP} scheme, a token whose signature and claims have been verified.
     *
     * @param boundThumbprint the token's {@code cnf.jkt}, or {@code null} when the token is not bound to a key
     */
    public Mono<ProofResult> verify(ServerHttpRequest request, String accessToken, @Nullable String boundThumbprint) {
        Object outcome = check(request, accessToken, boundThumbprint);
        if (outcome instanceof ProofResult result) {
            return Mono.just(result);
        }
        Checked checked = (Checked) outcome;
        return Mono.defer(() -> store.markUsed(checked.replayKey(), replayTtl))
                .map(fresh -> fresh
                        ? (ProofResult) new ProofResult.Valid(checked.thumbprint(), checked.nextNonce())
                        : invalid(ProofResult.Problem.PROOF,
                                "The DPoP proof was already used; make a new proof, with a new jti, for every request."))
                .onErrorResume(error -> Mono.just(new ProofResult.Unavailable(RETRY_AFTER)));
    }

    /** A proof that passed every check but the replay check. */
    private record Checked(String replayKey, String thumbprint, @Nullable String nextNonce) {
    }

    /** A {@link ProofResult} refusing the proof, or a {@link Checked} proof. */
    private Object check(ServerHttpRequest request, String accessToken, @Nullable String boundThumbprint) {
        // 1. Exactly one DPoP header.
        List<String> values = request.getHeaders().get(HEADER);
        if (values == null || values.isEmpty()) {
            return invalid(ProofResult.Problem.PROOF, "The request uses the DPoP scheme but has no DPoP header;"
                    + " send a DPoP proof made for this request.");
        }
        if (values.size() > 1) {
            return new ProofResult.Malformed("The request has " + values.size() + " DPoP headers; send exactly one.");
        }
        // 2. One well-formed JWS.
        String proof = values.get(0).strip();
        if (proof.length() > options.maxProofLength()) {
            return invalid(ProofResult.Problem.PROOF, "The DPoP proof is too large: " + proof.length()
                    + " characters, and this API accepts at most " + options.maxProofLength() + ".");
        }
        String[] parts = proof.split("\\.", -1);
        if (parts.length != 3) {
            return notAJwt();
        }
        ProofHeaders.Verdict header = headers.judge(parts[0]);
        Map<String, Object> claims = ProofHeaders.decodeJson(parts[1]);
        byte[] signature = decode(parts[2]);
        if (header instanceof ProofHeaders.NotJson || claims == null || signature == null || signature.length == 0) {
            return notAJwt();
        }
        // 3. The claims of RFC 9449 §4.2.
        if (!(claims.get("jti") instanceof String jti) || jti.isEmpty()) {
            return missing("jti", "a string");
        }
        if (!(claims.get("htm") instanceof String htm)) {
            return missing("htm", "a string");
        }
        if (!(claims.get("htu") instanceof String htu)) {
            return missing("htu", "a string");
        }
        if (!(claims.get("iat") instanceof Number iat)) {
            return missing("iat", "a number");
        }
        // 4., 5. and 7.: typ, alg, and a public jwk (judged once per header).
        if (header instanceof ProofHeaders.Refused refusedHeader) {
            return invalid(ProofResult.Problem.PROOF, refusedHeader.description());
        }
        ProofHeaders.Accepted accepted = (ProofHeaders.Accepted) header;
        // 6. The signature.
        byte[] signingInput = proof.substring(0, proof.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
        if (!signatures.verify(accepted.alg(), accepted.key().publicKey(), signingInput, signature)) {
            return invalid(ProofResult.Problem.PROOF, "The DPoP proof's signature does not verify with the key in its jwk header.");
        }
        // 8. htm.
        String method = request.getMethod().name();
        if (!htm.equals(method)) {
            return invalid(ProofResult.Problem.PROOF, "The DPoP proof is made for another HTTP method"
                    + (ECHOABLE_METHOD.matcher(method).matches() ? ": its htm must be " + method + "." : "."));
        }
        // 9. htu.
        String requestUri = Htu.normalize(request.getURI());
        if (requestUri == null || !requestUri.equals(Htu.normalize(htu))) {
            return invalid(ProofResult.Problem.PROOF, "The DPoP proof is made for another URI: its htu must be "
                    + (requestUri != null && ECHOABLE_URI.matcher(requestUri).matches() ? requestUri
                            : "this request's URI") + ", without query and fragment.");
        }
        // 10. The nonce.
        String nextNonce = null;
        if (nonces != null) {
            Object nonce = claims.get("nonce");
            if (!(nonce instanceof String given)) {
                return new ProofResult.Invalid(ProofResult.Problem.NONCE, "This API requires a server nonce in DPoP"
                        + " proofs; make a new proof with the nonce of this response's DPoP-Nonce header.", nonces.current());
            }
            if (!nonces.isAcceptable(given)) {
                return new ProofResult.Invalid(ProofResult.Problem.NONCE, "The DPoP proof's nonce is not one this API"
                        + " issued recently; make a new proof with the nonce of this response's DPoP-Nonce header.",
                        nonces.current());
            }
            nextNonce = nonces.isCurrent(given) ? null : nonces.current();
        }
        // 11. iat within the window.
        ProofResult tooOldOrNew = checkIat(iat);
        if (tooOldOrNew != null) {
            return tooOldOrNew;
        }
        // 12. ath, and the token's binding to the proof's key.
        if (!(claims.get("ath") instanceof String ath)) {
            return invalid(ProofResult.Problem.PROOF, "The DPoP proof has no ath claim; a proof sent with an access"
                    + " token must carry the token's SHA-256 hash (RFC 9449 §4.2).");
        }
        if (!MessageDigest.isEqual(ath.getBytes(StandardCharsets.UTF_8), hash(accessToken).getBytes(StandardCharsets.UTF_8))) {
            return invalid(ProofResult.Problem.PROOF, "The DPoP proof's ath is not the hash of this access token;"
                    + " make the proof for the token you send.");
        }
        if (boundThumbprint == null) {
            return invalid(ProofResult.Problem.TOKEN, "The access token is not bound to a DPoP key (it has no cnf.jkt"
                    + " claim), so it cannot be sent with the DPoP scheme"
                    + (options.mode() == DpopOptions.Mode.REQUIRED ? "; this API accepts only DPoP-bound tokens."
                            : "; send it with the Bearer scheme."));
        }
        if (!MessageDigest.isEqual(boundThumbprint.getBytes(StandardCharsets.UTF_8),
                accepted.thumbprint().getBytes(StandardCharsets.UTF_8))) {
            return invalid(ProofResult.Problem.PROOF, "The DPoP proof is signed with another key than the one the"
                    + " access token is bound to (cnf.jkt).");
        }
        return new Checked(hash(accepted.thumbprint() + "\n" + jti), accepted.thumbprint(), nextNonce);
    }

    private @Nullable ProofResult checkIat(Number iat) {
        double nowSeconds = clock.millis() / 1000.0;
        double issued = iat.doubleValue();
        if (!(issued <= nowSeconds + options.maxFuture().toSeconds())) {
            long ahead = (long) Math.ceil(issued - nowSeconds);
            return invalid(ProofResult.Problem.PROOF, "The DPoP proof is issued in the future: its iat is " + ahead
                    + " seconds ahead of this API's clock, and at most " + options.maxFuture().toSeconds()
                    + " are allowed; check the client's clock.");
        }
        if (issued < nowSeconds - options.maxAge().toSeconds()) {
            long age = (long) Math.floor(nowSeconds - issued);
            return invalid(ProofResult.Problem.PROOF, "The DPoP proof is too old: it was issued " + age
                    + " seconds ago, and this API accepts proofs at most " + options.maxAge().toSeconds()
                    + " seconds old; make a new proof for every request.");
        }
        return null;
    }

    private ProofResult.Invalid invalid(ProofResult.Problem problem, String description) {
        return new ProofResult.Invalid(problem, description, nonces == null ? null : nonces.current());
    }

    private ProofResult missing(String claim, String type) {
        return invalid(ProofResult.Problem.PROOF, "The DPoP proof's " + claim + " claim is missing or not " + type
                + "; a proof carries jti, htm, htu and iat (RFC 9449 §4.2).");
    }

    private ProofResult notAJwt() {
        return invalid(ProofResult.Problem.PROOF, "The DPoP proof is not a signed JWT: three base64url parts separated"
                + " by dots, a JSON header and JSON claims.");
    }

    private static byte @Nullable [] decode(String segment) {
        try {
            return Base64.getUrlDecoder().decode(segment);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** base64url(SHA-256(ASCII or UTF-8 text)), as RFC 9449 §4.2 defines {@code ath}. */
    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
