package io.github.oauthjwt.benchmarks;

import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import reactor.core.publisher.Flux;

/**
 * The other libraries, keys in memory: nimbus's {@code DefaultJWTProcessor} and Spring Security's
 * reactive decoder. Neither verifies EdDSA: Spring Security 7.0's {@code SignatureAlgorithm} has no
 * EdDSA, and nimbus's {@code JWSVerificationKeySelector} cannot turn an OKP JWK into a Java key (its
 * Ed25519 verifier, which needs Tink, is not reachable through the processor). So they run for
 * RS256, PS256 and ES256 only.
 */
@State(Scope.Benchmark)
public class OtherLibraries {

    /** The JWS algorithm of the keys and tokens; EdDSA is supported by neither library. */
    @Param({"RS256", "PS256", "ES256"})
    public String alg;

    DefaultJWTProcessor<SecurityContext> nimbus;
    NimbusReactiveJwtDecoder decoder;
    String[] tokens;

    /** Makes the key, the token pool, the processor and the decoder; checks both accept a token. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SigningKey key = new SigningKey(alg);
        tokens = new String[VerifyBenchmark.POOL];
        for (int i = 0; i < VerifyBenchmark.POOL; i++) {
            tokens[i] = key.token(i);
        }
        Flux<JWK> jwks = Flux.just(key.publicJwk);
        decoder = NimbusReactiveJwtDecoder.withJwkSource(jwt -> jwks)
                .jwsAlgorithm(SignatureAlgorithm.from(alg))
                .validateType(false)
                .build();
        JwtTypeValidator type = new JwtTypeValidator("at+jwt", "JWT");
        type.setAllowEmpty(true);
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(
                new JwtIssuerValidator(SigningKey.ISSUER), new JwtAudienceValidator(SigningKey.AUDIENCE), type));
        Jwt jwt = decoder.decode(tokens[0]).block();
        if (jwt == null || !SigningKey.ISSUER.equals(jwt.getClaimAsString("iss"))) {
            throw new IllegalStateException("Spring Security did not accept a pooled token");
        }

        nimbus = new DefaultJWTProcessor<>();
        nimbus.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"), JOSEObjectType.JWT));
        nimbus.setJWSKeySelector(new JWSVerificationKeySelector<>(key.jwsAlgorithm(),
                new ImmutableJWKSet<>(new JWKSet(key.publicJwk))));
        nimbus.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(SigningKey.AUDIENCE,
                new JWTClaimsSet.Builder().issuer(SigningKey.ISSUER).build(), Set.of("exp")));
        nimbus.process(tokens[1], null);
    }
}
