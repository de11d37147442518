package io.github.oauthjwt.webflux;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What a token must be to pass: the one owner of every validation option's rule. Made by
 * {@link OAuthJwtFilter.Builder} from the options it collected, it validates and normalises them
 * itself, so no policy that breaks a rule can exist. Immutable.
 *
 * @param issuer the exact {@code iss} required, or {@code null} to accept any
 * @param audiences the {@code aud} values of which the token must hold one; empty to accept any
 * @param requiredScopes scopes the token must grant, each a valid scope token
 * @param requiredClaims claims the token must carry
 * @param algorithms the accepted {@code alg} values; with an HMAC secret, HS256/384/512 as well
 * @param tokenTypes the accepted {@code typ} values, normalised (lower case, no {@code application/})
 * @param typeRequired whether a token without {@code typ} is refused
 * @param clockSkew the tolerance applied to {@code exp}, {@code nbf} and {@code iat}
 * @param clock the clock the time claims are checked against
 * @param hmacSecret the shared secret for HS256/384/512, or {@code null} when HMAC is refused
 * @param maxTokenLength the longest token, in characters, that is decoded at all
 * @param maxHeaderBytes the largest decoded JOSE header, in bytes, that is parsed
 * @param maxClaimsBytes the largest decoded claims set, in bytes, that is parsed
 * @param maxJsonDepth the deepest nesting of JSON objects and arrays parsed in the header or claims
 * @param scopeClaims the claims that grant scopes
 * @param rules the application's own rules, run after the built-in ones
 */
record ValidationPolicy(
        @Nullable String issuer,
        Set<String> audiences,
        Set<String> requiredScopes,
        List<RequiredClaim> requiredClaims,
        Set<JWSAlgorithm> algorithms,
        Set<String> tokenTypes,
        boolean typeRequired,
        Duration clockSkew,
        Clock clock,
        byte @Nullable [] hmacSecret,
        int maxTokenLength,
        int maxHeaderBytes,
        int maxClaimsBytes,
        int maxJsonDepth,
        ScopeClaims scopeClaims,
        List<TokenRule> rules) {

    /** The asymmetric algorithms this library verifies: those of RFC 7518 and EdDSA (RFC 8037). */
    static final Set<JWSAlgorithm> ASYMMETRIC_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    /** The shortest HMAC secret accepted, in bytes (RFC 7518 §3.2: at least the hash size). */
    static final int MIN_HMAC_SECRET_BYTES = 32;

    /**
     * Checks every option and copies the collections, normalising the token types.
     *
     * @throws IllegalArgumentException naming the option that is out of range or contradicts another
     */
    ValidationPolicy {
        Set<JWSAlgorithm> accepted = new LinkedHashSet<>(algorithms);
        require(!accepted.isEmpty(), "algorithms must not be empty");
        for (JWSAlgorithm alg : accepted) {
            boolean hmac = JWSAlgorithm.Family.HMAC_SHA.contains(alg);
            require(ASYMMETRIC_ALGORITHMS.contains(alg) || hmac,
                    "algorithm '" + alg + "' is not a supported JWS signature algorithm");
            require(!hmac || hmacSecret != null, "algorithm " + alg + " needs an hmacSecret");
        }
        if (hmacSecret != null) {
            require(hmacSecret.length >= MIN_HMAC_SECRET_BYTES, "hmacSecret must be at least " + MIN_HMAC_SECRET_BYTES
                    + " bytes");
            accepted.addAll(JWSAlgorithm.Family.HMAC_SHA);
            hmacSecret = hmacSecret.clone();
        }
        algorithms = Collections.unmodifiableSet(accepted);
        require(!clockSkew.isNegative() && clockSkew.compareTo(Duration.ofMinutes(10)) <= 0,
                "clockSkew must be between 0 and 10 minutes");
        require(maxTokenLength >= 256, "maxTokenLength must be at least 256 characters");
        require(maxHeaderBytes >= 64, "maxHeaderBytes must be at least 64 bytes");
        require(maxClaimsBytes >= 64, "maxClaimsBytes must be at least 64 bytes");
        require(maxJsonDepth >= 2 && maxJsonDepth <= 255, "maxJsonDepth must be between 2 and 255");
        require(!tokenTypes.isEmpty() || !typeRequired, "tokenTypes must not be empty when a type is required");
        Set<String> types = new LinkedHashSet<>();
        for (String type : tokenTypes) {
            types.add(HeaderRules.normalizeType(type));
        }
        tokenTypes = Collections.unmodifiableSet(types);
        for (String scope : requiredScopes) {
            ScopeClaims.requireScopeToken(scope, "required scope");
        }
        audiences = Collections.unmodifiableSet(new LinkedHashSet<>(audiences));
        requiredScopes = Collections.unmodifiableSet(new LinkedHashSet<>(requiredScopes));
        requiredClaims = List.copyOf(requiredClaims);
        rules = List.copyOf(rules);
    }

    /** Warns, once per filter built, when tokens of any issuer or for any audience pass. */
    void warnIfOpen() {
        if (issuer == null || audiences.isEmpty()) {
            LogFactory.getLog(OAuthJwtFilter.class).warn("OAuthJwtFilter accepts tokens "
                    + (issuer == null ? "from any issuer" : "") + (issuer == null && audiences.isEmpty() ? " and " : "")
                    + (audiences.isEmpty() ? "for any audience" : "")
                    + " its keys verify; set issuer(...) and audience(...) for production");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
