package io.github.oauthjwt.example.demo;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * The demo token endpoint's check of a DPoP proof (RFC 9449 §4.3, as an authorization server makes
 * it): one compact JWS typed {@code dpop+jwt}, signed with ES256/384/512, RS256 or PS256 by the
 * public key in its {@code jwk} header, for {@code POST} to the token endpoint's URI, issued within
 * the last minute. Enough to bind the demo's tokens to a client's key, and nothing more: a real
 * authorization server also tracks {@code jti} and may ask for nonces. Made with nimbus, which the
 * demo issuer signs with, not with the library under demonstration. Stateless.
 */
final class DemoDpopProof {

    private static final Duration MAX_AGE = Duration.ofSeconds(60);

    private DemoDpopProof() {
    }

    /**
     * The outcome: exactly one of the two is present.
     *
     * @param thumbprint the RFC 7638 thumbprint of the proof's key, for the token's {@code cnf.jkt}
     * @param problem why the proof is refused (an {@code invalid_dpop_proof} description)
     */
    record Checked(@Nullable String thumbprint, @Nullable String problem) {
    }

    /** Checks the {@code DPoP} header values of a {@code POST} to {@code tokenUri}. */
    static Checked check(List<String> values, URI tokenUri, Clock clock) {
        if (values.size() != 1) {
            return refused("Send exactly one DPoP header.");
        }
        try {
            SignedJWT proof = SignedJWT.parse(values.get(0));
            if (!new JOSEObjectType("dpop+jwt").equals(proof.getHeader().getType())) {
                return refused("The DPoP proof's typ must be dpop+jwt.");
            }
            JWK jwk = proof.getHeader().getJWK();
            if (jwk == null || jwk.isPrivate()) {
                return refused("The DPoP proof must carry its public key in a jwk header.");
            }
            JWSVerifier verifier = jwk instanceof ECKey ec ? new ECDSAVerifier(ec)
                    : jwk instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : null;
            if (verifier == null || !proof.verify(verifier)) {
                return refused("The DPoP proof's signature does not verify with its jwk (the demo accepts EC and RSA keys).");
            }
            JWTClaimsSet claims = proof.getJWTClaimsSet();
            Date issuedAt = claims.getIssueTime();
            if (!"POST".equals(claims.getStringClaim("htm")) || !tokenUri.toString().equals(claims.getStringClaim("htu"))
                    || claims.getJWTID() == null || issuedAt == null) {
                return refused("The DPoP proof must carry jti, iat, htm POST and htu " + tokenUri + ".");
            }
            Instant now = clock.instant();
            if (issuedAt.toInstant().isBefore(now.minus(MAX_AGE)) || issuedAt.toInstant().isAfter(now.plusSeconds(10))) {
                return refused("The DPoP proof's iat must be within the last minute.");
            }
            return new Checked(jwk.computeThumbprint().toString(), null);
        } catch (ParseException | JOSEException | RuntimeException e) {
            return refused("The DPoP header is not a signed JWT.");
        }
    }

    private static Checked refused(String problem) {
        return new Checked(null, problem);
    }
}
