package io.github.oauthjwt.example.demo;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * The demo authorization server's endpoints: its metadata, {@code GET /demo/jwks} publishes the
 * public key, {@code POST /demo/token} mints a token for whatever the form asks (no client authentication: it
 * is a demo). Answers follow RFC 6749 §5.1 and §5.2: JSON, {@code Cache-Control: no-store}, and
 * 400 {@code invalid_request} for a form it cannot honour. Stateless apart from the issuer's key.
 */
final class DemoIssuerHandlers {

    /** The path of the JWKS endpoint. */
    static final String JWKS_PATH = "/demo/jwks";
    /** The path of the token endpoint. */
    static final String TOKEN_PATH = "/demo/token";
    /** Where OpenID Connect Discovery looks for the metadata of an issuer without a path. */
    static final String OPENID_CONFIGURATION_PATH = "/.well-known/openid-configuration";
    /** Where RFC 8414 looks for the metadata of an issuer without a path. */
    static final String OAUTH_METADATA_PATH = "/.well-known/oauth-authorization-server";

    private static final MediaType JWK_SET = MediaType.parseMediaType("application/jwk-set+json");
    private static final Duration JWKS_MAX_AGE = Duration.ofMinutes(5);

    /** A successful token response (RFC 6749 §5.1); Jackson writes the snake_case names as they are. */
    record TokenResponse(String access_token, String token_type, long expires_in) {
    }

    /** A token error response (RFC 6749 §5.2). */
    record TokenError(String error, String error_description) {
    }

    private final DemoTokenIssuer issuer;
    private final String jwks;
    private final Clock clock;

    DemoIssuerHandlers(DemoTokenIssuer issuer, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.jwks = issuer.publicJwks();
        this.clock = clock;
    }

    /** Answers 200 with the JWKS, cacheable for five minutes (the key never changes while the app runs). */
    Mono<ServerResponse> jwks(ServerRequest request) {
        return ServerResponse.ok()
                .contentType(JWK_SET)
                .cacheControl(CacheControl.maxAge(JWKS_MAX_AGE))
                .bodyValue(jwks);
    }

    /**
     * Answers 200 with the authorization server's metadata (RFC 8414 §2): its issuer, the two
     * endpoints, and that it grants client credentials to anyone.
     */
    Mono<ServerResponse> metadata(ServerRequest request) {
        String id = issuer.issuer();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", id);
        metadata.put("jwks_uri", id + JWKS_PATH);
        metadata.put("token_endpoint", id + TOKEN_PATH);
        metadata.put("grant_types_supported", List.of("client_credentials"));
        metadata.put("token_endpoint_auth_methods_supported", List.of("none"));
        metadata.put("response_types_supported", List.of());
        metadata.put("scopes_supported", List.of("read", "write", "admin"));
        return ServerResponse.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.maxAge(JWKS_MAX_AGE))
                .bodyValue(metadata);
    }

    /**
     * Answers 200 with a {@link TokenResponse}, or 400 with a {@link TokenError}. With a {@code DPoP}
     * proof header the token is bound to the proof's key ({@code cnf.jkt}) and its type is
     * {@code DPoP} (RFC 9449 §5); a proof that fails is answered 400 {@code invalid_dpop_proof}.
     */
    Mono<ServerResponse> token(ServerRequest request) {
        List<String> proofs = request.headers().header("DPoP");
        String thumbprint = null;
        if (!proofs.isEmpty()) {
            URI tokenUri = UriComponentsBuilder.fromUri(request.uri()).replaceQuery(null).fragment(null).build().toUri();
            DemoDpopProof.Checked checked = DemoDpopProof.check(proofs, tokenUri, clock);
            if (checked.problem() != null) {
                return ServerResponse.badRequest().cacheControl(CacheControl.noStore())
                        .bodyValue(new TokenError("invalid_dpop_proof", checked.problem()));
            }
            thumbprint = checked.thumbprint();
        }
        String boundTo = thumbprint;
        return request.formData()
                .map(DemoTokenRequest::read)
                .flatMap(reading -> {
                    DemoTokenRequest tokenRequest = reading.request();
                    if (tokenRequest == null) {
                        return ServerResponse.badRequest()
                                .cacheControl(CacheControl.noStore())
                                .bodyValue(new TokenError("invalid_request", Objects.requireNonNull(reading.problem())));
                    }
                    TokenResponse token = new TokenResponse(issuer.mint(tokenRequest, boundTo),
                            boundTo == null ? "Bearer" : "DPoP", tokenRequest.expiresIn().toSeconds());
                    return ServerResponse.ok().cacheControl(CacheControl.noStore()).bodyValue(token);
                });
    }
}
