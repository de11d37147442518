package io.github.oauthjwt.webflux;

import java.util.Map;

import com.nimbusds.jose.JWSHeader;

/**
 * A compact JWS split and decoded once: the protected header, the claims as parsed JSON, and the
 * bytes the signature covers. Nothing in it is trusted until the signature is verified.
 *
 * @param header the JOSE header
 * @param claims the payload as a JSON object
 * @param signingInput the ASCII bytes of {@code header '.' payload} as sent
 * @param signature the decoded signature
 */
record ParsedToken(JWSHeader header, Map<String, Object> claims, byte[] signingInput, byte[] signature)
        implements TokenParser.TokenResult {
}
