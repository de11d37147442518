package io.github.oauthjwt.webflux;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import org.jspecify.annotations.Nullable;

/**
 * The checks a {@link TokenValidator} makes, already validated by the filter's builder. Immutable.
 *
 * @param issuer the exact {@code iss} required, or {@code null} to accept any
 * @param audiences the {@code aud} values of which the token must hold one; empty to accept any
 * @param requiredScopes scopes the token must grant
 * @param requiredClaims claims the token must carry
 * @param algorithms the accepted {@code alg} values
 * @param tokenTypes the accepted {@code typ} values, lower case, without {@code application/}
 * @param typeRequired whether a token without {@code typ} is refused
 * @param clockSkew the tolerance applied to {@code exp}, {@code nbf} and {@code iat}
 * @param clock the clock the time claims are checked against
 * @param hmacSecret the shared secret for HS256/384/512, or {@code null} when HMAC is refused
 * @param maxTokenLength the longest token, in characters, that is decoded at all
 * @param maxHeaderBytes the largest decoded JOSE header, in bytes, that is parsed
 * @param maxClaimsBytes the largest decoded claims set, in bytes, that is parsed
 * @param maxJsonDepth the deepest nesting of JSON objects and arrays parsed in the header or claims
 * @param scopeClaims the claims that grant scopes
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
        ScopeClaims scopeClaims) {

    /** Copies the collections so the policy cannot change after it is made. */
    public ValidationPolicy {
        audiences = Collections.unmodifiableSet(new LinkedHashSet<>(audiences));
        requiredScopes = Collections.unmodifiableSet(new LinkedHashSet<>(requiredScopes));
        requiredClaims = List.copyOf(requiredClaims);
        algorithms = Set.copyOf(algorithms);
        tokenTypes = Collections.unmodifiableSet(new LinkedHashSet<>(tokenTypes));
        hmacSecret = hmacSecret != null ? hmacSecret.clone() : null;
    }
}
