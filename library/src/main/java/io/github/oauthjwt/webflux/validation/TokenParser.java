package io.github.oauthjwt.webflux.validation;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Splits and decodes a compact serialization (RFC 7515 §7.1) into a {@link ParsedToken}, or says
 * exactly why it cannot: a JWE (five parts), an unsigned token ({@code alg: none}), parts that are
 * not canonical base64url, a header that is not a JWS header, a payload that is not a JSON object.
 * Stateless and thread-safe.
 */
final class TokenParser {

    /**
     * Emits a {@link ParsedToken}, or a {@link Rejection} when the token cannot be decoded. The
     * caller has already bounded the token's length.
     */
    Object parse(String token) {
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
            return countDots(token) == 4
                    ? Rejection.invalidToken("The access token is encrypted (JWE); this API accepts only signed JWTs (JWS).")
                    : Rejection.invalidToken(
                            "The access token is not a JWT: a signed JWT has three base64url parts separated by dots.");
        }
        if (!isCanonicalBase64Url(token, 0, firstDot) || !isCanonicalBase64Url(token, firstDot + 1, secondDot)) {
            return Rejection.invalidToken("The access token's header or payload is not valid base64url.");
        }
        if (secondDot == token.length() - 1) {
            return unsignedOr(token.substring(0, firstDot),
                    Rejection.invalidToken("The access token has no signature; this API accepts only signed JWTs."));
        }
        if (!isCanonicalBase64Url(token, secondDot + 1, token.length())) {
            return Rejection.invalidToken("The access token's signature is not valid base64url.");
        }
        Base64URL headerPart = new Base64URL(token.substring(0, firstDot));
        JWSHeader header;
        try {
            header = JWSHeader.parse(headerPart);
        } catch (ParseException | RuntimeException e) {
            return unsignedOr(headerPart.toString(), Rejection.invalidToken(
                    "The access token's header is not a valid JWS header: a JSON object with a signature alg."));
        }
        Map<String, Object> claims;
        try {
            claims = JSONObjectUtils.parse(new Base64URL(token.substring(firstDot + 1, secondDot)).decodeToString());
        } catch (ParseException | RuntimeException e) {
            return Rejection.invalidToken("The access token's payload is not a JSON object of claims.");
        }
        byte[] signingInput = token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = new Base64URL(token.substring(secondDot + 1)).decode();
        return new ParsedToken(header, claims, signingInput, signature);
    }

    private static Rejection unsignedOr(String headerPart, Rejection otherwise) {
        try {
            Header header = Header.parse(new Base64URL(headerPart));
            if (header instanceof PlainHeader) {
                return Rejection.invalidToken("The access token is unsigned (alg 'none'); this API accepts only signed JWTs.");
            }
            if (header instanceof JWEHeader) {
                return Rejection.invalidToken("The access token is encrypted (JWE); this API accepts only signed JWTs (JWS).");
            }
        } catch (ParseException | RuntimeException e) {
            // Not a JOSE header at all: the general description stands.
        }
        return otherwise;
    }

    private static int countDots(String token) {
        int dots = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                dots++;
            }
        }
        return dots;
    }

    /**
     * Whether {@code token[from, to)} is unpadded base64url (RFC 7515 §2) in its one canonical form:
     * only URL-safe characters, a length that is not 1 mod 4, and zero bits where the last
     * character encodes padding, so that one byte string has only one encoding.
     */
    static boolean isCanonicalBase64Url(String token, int from, int to) {
        int length = to - from;
        if (length == 0 || length % 4 == 1) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = token.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        int unusedBits = switch (length % 4) {
            case 2 -> 4;
            case 3 -> 2;
            default -> 0;
        };
        return unusedBits == 0 || (sextet(token.charAt(to - 1)) & ((1 << unusedBits) - 1)) == 0;
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : 63;
    }
}
