package io.github.oauthjwt.example.demo;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * The demo authorization server's signing side: one RSA key pair made in memory when it is created
 * (never written anywhere, gone when the app stops), its public half as a JWKS, and RS256 access
 * tokens in the RFC 9068 shape ({@code typ: at+jwt}, {@code kid}, {@code iss}, {@code aud},
 * {@code sub}, {@code client_id}, {@code scope}, {@code role}, {@code iat}, {@code exp},
 * {@code jti}) for the issuer and audience the filter expects.
 *
 * <p>For trying the library only: it hands a token to anyone who asks. Thread-safe; minting is a
 * few milliseconds of CPU and never blocks.
 */
public final class DemoTokenIssuer {

    /** The {@code client_id} of every demo token (RFC 9068 §2.2). */
    public static final String CLIENT_ID = "demo-client";

    private static final int KEY_SIZE = 2048;
    private static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

    private final RSAKey key;
    private final JWSSigner signer;
    private final Supplier<String> issuer;
    private final String audience;
    private final Clock clock;

    /**
     * Makes a new key pair.
     *
     * @param issuer the {@code iss} of the tokens, asked for when one is minted (it holds the port
     *     the server bound)
     * @param audience the {@code aud} of the tokens
     * @param clock the clock for {@code iat} and {@code exp}
     */
    public DemoTokenIssuer(Supplier<String> issuer, String audience, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            this.key = new RSAKeyGenerator(KEY_SIZE)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
            this.signer = new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot make the demo issuer's RSA key pair", e);
        }
    }

    /** The issuer identifier, the {@code iss} of its tokens. */
    public String issuer() {
        return issuer.get();
    }

    /** The {@code kid} of the signing key. */
    public String keyId() {
        return key.getKeyID();
    }

    /** The public key as a JWKS document (RFC 7517 §5); the private half never leaves this object. */
    public String publicJwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** A signed access token with the claims {@code request} asks for, in compact form. */
    public String mint(DemoTokenRequest request) {
        return mint(request, null);
    }

    /**
     * A signed access token with the claims {@code request} asks for, bound to the DPoP key with
     * this RFC 7638 thumbprint ({@code cnf.jkt}, RFC 9449 §6.1) when it is not {@code null}.
     */
    public String mint(DemoTokenRequest request, @Nullable String dpopThumbprint) {
        Instant now = clock.instant();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(ACCESS_TOKEN_TYPE)
                .build();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer.get())
                .audience(audience)
                .subject(request.subject())
                .claim("client_id", CLIENT_ID);
        if (!request.scope().isEmpty()) {
            claims.claim("scope", request.scope());
        }
        if (!request.role().isEmpty()) {
            claims.claim("role", request.role());
        }
        if (dpopThumbprint != null) {
            claims.claim("cnf", java.util.Map.of("jkt", dpopThumbprint));
        }
        claims.issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(request.expiresIn())))
                .jwtID(UUID.randomUUID().toString());
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a demo token", e);
        }
        return jwt.serialize();
    }
}
