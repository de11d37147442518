package io.github.oauthjwt.webflux;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;
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
 * not canonical base64url, a header or claims set larger or more deeply nested than the limits, a
 * header that is not a JWS header, a payload that is not a JSON object.
 *
 * <p>Nothing unbounded reaches a JSON parser: the caller bounds the token's length, the decoded
 * sizes of header and payload are checked from their base64url lengths before anything is
 * decoded; the nesting depth of header and claims is bounded by one linear scan before nimbus
 * parses them (nimbus stops only at 255 levels). Header and claims go through the same parser,
 * nimbus's, so one rule holds for both (duplicate members: the last one wins, as in JSON.parse).
 * A hand-written claims parser once saved 1–2% of a verification; that is not worth a second rule.
 * Thread-safe; the only state is the {@link RecentHeaders} it parsed, which repeat in nearly every
 * token and are parsed once.
 */
final class TokenParser {

    /** What decoding a whole token gives: the {@link ParsedToken}, or the {@link Rejection} saying why not. */
    sealed interface TokenResult permits ParsedToken, Rejection {
    }

    /** What decoding the JOSE layer gives: the {@link Jws}, or the {@link Rejection} saying why not. */
    sealed interface JwsResult permits Jws, Rejection {
    }

    /**
     * The JOSE layer of a compact JWS: everything but the payload's meaning (for a JWT, its claims).
     *
     * @param payloadStart where the payload's base64url (canonical, possibly empty) begins in
     *     {@code signingInput}; it runs to the end
     */
    record Jws(JWSHeader header, byte[] signingInput, int payloadStart, byte[] signature) implements JwsResult {
    }

    private final int maxHeaderBytes;
    private final int maxClaimsBytes;
    private final int maxJsonDepth;
    private final RecentHeaders recentHeaders = new RecentHeaders();

    TokenParser(int maxHeaderBytes, int maxClaimsBytes, int maxJsonDepth) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxClaimsBytes = maxClaimsBytes;
        this.maxJsonDepth = maxJsonDepth;
    }

    /** A parser with the limits of {@code policy}. */
    TokenParser(ValidationPolicy policy) {
        this(policy.maxHeaderBytes(), policy.maxClaimsBytes(), policy.maxJsonDepth());
    }

    /**
     * Emits a {@link ParsedToken}, or a {@link Rejection} when the token cannot be decoded. The
     * caller has already bounded the token's length.
     */
    TokenResult parse(String token) {
        JwsResult jose = parseJws(token);
        if (jose instanceof Jws jws) {
            return parseClaims(jws);
        }
        if (jose instanceof Rejection rejection) {
            return rejection;
        }
        throw new IllegalStateException("JwsResult is sealed: " + jose.getClass());
    }

    private TokenResult parseClaims(Jws jws) {
        byte[] signingInput = jws.signingInput();
        int payloadLength = signingInput.length - jws.payloadStart();
        if (payloadLength == 0) {
            return Rejection.invalidToken(Rejection.Reason.MALFORMED, "The access token's payload is not a JSON object of claims.");
        }
        long claimsBytes = decodedLength(payloadLength);
        if (claimsBytes > maxClaimsBytes) {
            return Rejection.invalidToken(Rejection.Reason.TOO_LARGE, "The access token's claims are too large: " + claimsBytes
                    + " bytes, and this API accepts at most " + maxClaimsBytes + ".");
        }
        String claimsJson = new String(decode(signingInput, jws.payloadStart(), signingInput.length), StandardCharsets.UTF_8);
        if (nestsDeeperThan(claimsJson, maxJsonDepth)) {
            return Rejection.invalidToken(Rejection.Reason.TOO_LARGE, "The access token's claims nest JSON objects and arrays more than "
                    + maxJsonDepth + " levels deep.");
        }
        Map<String, Object> claims;
        try {
            claims = JSONObjectUtils.parse(claimsJson);
        } catch (ParseException | RuntimeException e) {
            claims = null;
        }
        if (claims == null) {
            return Rejection.invalidToken(Rejection.Reason.MALFORMED, "The access token's payload is not a JSON object of claims.");
        }
        return new ParsedToken(jws.header(), claims, jws.signingInput(), jws.signature());
    }

    /**
     * The JOSE layer alone: emits a {@link Jws} whose header is a bounded, parsed JWS header and
     * whose payload is canonical base64url (possibly empty, RFC 7515 §7.1) but not yet interpreted,
     * or a {@link Rejection}. {@link #parse} goes on from here to the claims.
     */
    JwsResult parseJws(String token) {
        int firstDot = token.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
        if (secondDot == -1 || token.indexOf('.', secondDot + 1) != -1) {
            return countDots(token) == 4
                    ? Rejection.invalidToken(Rejection.Reason.MALFORMED,
                            "The access token is encrypted (JWE); this API accepts only signed JWTs (JWS).")
                    : Rejection.invalidToken(Rejection.Reason.MALFORMED,
                            "The access token is not a JWT: a signed JWT has three base64url parts separated by dots.");
        }
        if (!isCanonicalBase64Url(token, 0, firstDot)
                || (secondDot > firstDot + 1 && !isCanonicalBase64Url(token, firstDot + 1, secondDot))) {
            return Rejection.invalidToken(Rejection.Reason.MALFORMED, "The access token's header or payload is not valid base64url.");
        }
        long headerBytes = decodedLength(firstDot);
        if (headerBytes > maxHeaderBytes) {
            return Rejection.invalidToken(Rejection.Reason.TOO_LARGE, "The access token's header is too large: " + headerBytes
                    + " bytes, and this API accepts at most " + maxHeaderBytes + ".");
        }
        // Nearly every token repeats a recent header segment, whose JSON was bounded and parsed before:
        // it is found without copying the segment out of the token.
        JWSHeader known = recentHeaders.find(token, firstDot);
        Base64URL headerPart = known != null ? null : new Base64URL(token.substring(0, firstDot));
        String headerJson = headerPart != null ? headerPart.decodeToString() : "";
        if (headerPart != null && nestsDeeperThan(headerJson, maxJsonDepth)) {
            return Rejection.invalidToken(Rejection.Reason.TOO_LARGE, "The access token's header nests JSON objects and arrays more than "
                    + maxJsonDepth + " levels deep.");
        }
        if (secondDot == token.length() - 1) {
            return unsignedOr(token.substring(0, firstDot),
                    Rejection.invalidToken(Rejection.Reason.MALFORMED, "The access token has no signature; this API accepts only signed JWTs."));
        }
        if (!isCanonicalBase64Url(token, secondDot + 1, token.length())) {
            return Rejection.invalidToken(Rejection.Reason.MALFORMED, "The access token's signature is not valid base64url.");
        }
        JWSHeader header = known;
        if (headerPart != null) {
            try {
                header = JWSHeader.parse(headerJson, headerPart);
            } catch (ParseException | RuntimeException e) {
                return unsignedOr(headerPart.toString(), Rejection.invalidToken(Rejection.Reason.MALFORMED,
                        "The access token's header is not a valid JWS header: a JSON object with a signature alg."));
            }
            recentHeaders.remember(headerPart.toString(), header);
        }
        byte[] signingInput = ascii(token, 0, secondDot);
        byte[] signature = Base64.getUrlDecoder().decode(ascii(token, secondDot + 1, token.length()));
        return new Jws(header, signingInput, firstDot + 1, signature);
    }

    /**
     * The bytes of {@code token[from, to)}, copied straight from the string: the checks above let
     * only base64url characters and dots through, each of them one ASCII byte, so the low byte of
     * each char (which is all this deprecated method copies) is the byte itself. Unlike
     * {@code substring(from, to).getBytes(...)} it copies once, not twice.
     */
    @SuppressWarnings("deprecation")
    private static byte[] ascii(String token, int from, int to) {
        byte[] bytes = new byte[to - from];
        token.getBytes(from, to, bytes, 0);
        return bytes;
    }

    /** The bytes {@code ascii[from, to)} encode, which {@link #isCanonicalBase64Url} has accepted; decoded in place. */
    private static byte[] decode(byte[] ascii, int from, int to) {
        ByteBuffer decoded = Base64.getUrlDecoder().decode(ByteBuffer.wrap(ascii, from, to - from));
        byte[] bytes = new byte[decoded.remaining()];
        decoded.get(bytes);
        return bytes;
    }

    /** The number of bytes an unpadded base64url string of this length decodes to. */
    private static long decodedLength(int base64Length) {
        return (long) base64Length * 3 / 4;
    }

    /**
     * Whether {@code json} opens more than {@code maxDepth} objects and arrays inside one another.
     * Brackets inside strings do not count; the JSON need not be valid (the parser judges that).
     */
    static boolean nestsDeeperThan(String json, int maxDepth) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > maxDepth) {
                    return true;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return false;
    }

    private static Rejection unsignedOr(String headerSegment, Rejection otherwise) {
        try {
            Header header = Header.parse(new Base64URL(headerSegment));
            if (header instanceof PlainHeader) {
                return Rejection.invalidToken(Rejection.Reason.ALGORITHM_REFUSED, "The access token is unsigned (alg 'none'); this API accepts only signed JWTs.");
            }
            if (header instanceof JWEHeader) {
                return Rejection.invalidToken(Rejection.Reason.MALFORMED,
                        "The access token is encrypted (JWE); this API accepts only signed JWTs (JWS).");
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
            if (sextet(token.charAt(i)) == NOT_BASE64URL) {
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

    /** The value of a base64url character (RFC 4648 §5), or {@link #NOT_BASE64URL}. */
    private static int sextet(char c) {
        return c < SEXTETS.length() ? SEXTETS.charAt(c) : NOT_BASE64URL;
    }

    private static final int NOT_BASE64URL = 64;

    /**
     * The value of each ASCII character as a base64url digit, {@link #NOT_BASE64URL} where it is
     * none: a table lookup per character rather than five range tests, which tokens are long enough
     * to notice. A string, so that it is as immutable as it is shared.
     */
    private static final String SEXTETS = sextetTable();

    private static String sextetTable() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char[] table = new char[128];
        Arrays.fill(table, (char) NOT_BASE64URL);
        for (int i = 0; i < alphabet.length(); i++) {
            table[alphabet.charAt(i)] = (char) i;
        }
        return new String(table);
    }
}
