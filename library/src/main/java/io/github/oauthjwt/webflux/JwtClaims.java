package io.github.oauthjwt.webflux;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The verified claims of an access token: an immutable, typed view of the JWT claims set that the
 * filter puts in the exchange attributes (under {@link #ATTRIBUTE}) and in the Reactor
 * {@code Context} (under {@link #CONTEXT_KEY}) once every check has passed.
 *
 * <p>Handlers read it with {@link #from(ServerRequest)}. Instances are safe to share between
 * threads; nested JSON objects and arrays are exposed as unmodifiable maps and lists.
 */
public final class JwtClaims {

    /** The exchange attribute under which the filter stores the verified claims. */
    public static final String ATTRIBUTE = JwtClaims.class.getName();

    /** The Reactor {@code Context} key under which the filter stores the verified claims. */
    public static final Class<JwtClaims> CONTEXT_KEY = JwtClaims.class;

    private final Map<String, Object> claims;
    private final Set<String> scopes;
    private final List<String> audience;

    private JwtClaims(Map<String, Object> claims, ScopeClaims scopeClaims) {
        this.claims = claims;
        this.scopes = scopeClaims.read(claims);
        this.audience = readStringList(claims.get("aud"));
    }

    /**
     * Wraps a JWT claims set (as parsed from JSON: strings, numbers, booleans, lists and maps).
     * The map is copied; useful for building claims in handler tests.
     */
    public static JwtClaims of(Map<String, ?> claims) {
        return new JwtClaims(copyObject(claims), ScopeClaims.DEFAULT);
    }

    /**
     * Wraps a claims set just parsed from a verified token, whose scopes are read from
     * {@code scopeClaims}. Nothing else holds the parser's maps and lists, so they are made
     * unmodifiable where they are rather than copied: they are never changed again.
     */
    static JwtClaims ofParsed(Map<String, Object> parsed, ScopeClaims scopeClaims) {
        return new JwtClaims(freezeObject(parsed), scopeClaims);
    }

    /**
     * The verified claims of this request.
     *
     * @throws IllegalStateException if the request was not verified by the filter, which means the
     *     route is outside the filter's paths
     */
    public static JwtClaims from(ServerRequest request) {
        return find(request).orElseThrow(JwtClaims::notVerified);
    }

    /** The verified claims of this request, or empty if the filter did not verify it. */
    public static Optional<JwtClaims> find(ServerRequest request) {
        return request.attribute(ATTRIBUTE).map(JwtClaims.class::cast);
    }

    /**
     * The verified claims of this exchange.
     *
     * @throws IllegalStateException if the filter did not verify the exchange
     */
    public static JwtClaims from(ServerWebExchange exchange) {
        JwtClaims claims = exchange.getAttribute(ATTRIBUTE);
        if (claims == null) {
            throw notVerified();
        }
        return claims;
    }

    /**
     * Emits the verified claims from the subscriber's Reactor {@code Context}, or completes empty when
     * the chain was not verified by the filter.
     */
    public static Mono<JwtClaims> current() {
        return Mono.deferContextual(context -> Mono.justOrEmpty(context.getOrEmpty(CONTEXT_KEY)));
    }

    /** The {@code sub} claim, or {@code null} if absent or not a string. */
    public @Nullable String subject() {
        return stringClaim("sub").orElse(null);
    }

    /** The {@code iss} claim, or {@code null} if absent or not a string. */
    public @Nullable String issuer() {
        return stringClaim("iss").orElse(null);
    }

    /** The audiences of the {@code aud} claim, a string or an array of strings (RFC 7519 §4.1.3). */
    public List<String> audience() {
        return audience;
    }

    /**
     * The granted scopes: those of the {@code scope} claim (RFC 8693 §4.2, RFC 9068 §2.2.3) and the
     * {@code scp} claim, each a space-delimited string or an array of strings, together with those of
     * any further claims the filter was told to read scopes from (such as Auth0's {@code permissions}).
     */
    public Set<String> scopes() {
        return scopes;
    }

    /** Whether every one of {@code required} is among {@link #scopes()}. */
    public boolean hasScopes(String... required) {
        for (String scope : required) {
            if (!scopes.contains(scope)) {
                return false;
            }
        }
        return true;
    }

    /** The {@code exp} claim as an instant, or {@code null} if absent or not a number. */
    public @Nullable Instant expiresAt() {
        return instantClaim("exp");
    }

    /** The {@code iat} claim as an instant, or {@code null} if absent or not a number. */
    public @Nullable Instant issuedAt() {
        return instantClaim("iat");
    }

    /** The {@code nbf} claim as an instant, or {@code null} if absent or not a number. */
    public @Nullable Instant notBefore() {
        return instantClaim("nbf");
    }

    /** The raw value of a claim (string, number, boolean, list or map), or {@code null} if absent. */
    public @Nullable Object claim(String name) {
        return claims.get(name);
    }

    /** Whether the claim is present. */
    public boolean hasClaim(String name) {
        return claims.containsKey(name);
    }

    /** The claim if it is a string. */
    public Optional<String> stringClaim(String name) {
        Object value = claims.get(name);
        return value instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /**
     * The claim as a list of strings: an array's string elements, or a single string as a one-element
     * list; empty when the claim is absent or of another type.
     */
    public List<String> stringListClaim(String name) {
        return readStringList(claims.get(name));
    }

    /** The whole claims set as an unmodifiable map, in the order the token listed it. */
    public Map<String, Object> asMap() {
        return claims;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JwtClaims that && claims.equals(that.claims);
    }

    @Override
    public int hashCode() {
        return claims.hashCode();
    }

    @Override
    public String toString() {
        return "JwtClaims{sub=" + subject() + ", scopes=" + scopes + "}";
    }

    private @Nullable Instant instantClaim(String name) {
        Object value = claims.get(name);
        return value instanceof Number n ? instant(n) : null;
    }

    /** Seconds since the epoch as an instant, clamped to the range {@link Instant} can hold. */
    static Instant instant(Number epochSeconds) {
        long seconds = Math.max(Instant.MIN.getEpochSecond(), Math.min(Instant.MAX.getEpochSecond(), epochSeconds.longValue()));
        return Instant.ofEpochSecond(seconds);
    }

    private static IllegalStateException notVerified() {
        return new IllegalStateException(
                "This request has no verified JWT claims: is its path covered by the OAuthJwtFilter's paths?");
    }

    private static List<String> readStringList(@Nullable Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            List<String> strings = new ArrayList<>(list.size());
            for (Object element : list) {
                if (element instanceof String s) {
                    strings.add(s);
                }
            }
            return Collections.unmodifiableList(strings);
        }
        return List.of();
    }

    private static Map<String, Object> freezeObject(Map<String, Object> parsed) {
        for (Map.Entry<String, Object> member : parsed.entrySet()) {
            Object value = member.getValue();
            if (value instanceof Map || value instanceof List) {
                member.setValue(freezeValue(value));
            }
        }
        return Collections.unmodifiableMap(parsed);
    }

    /** A parsed JSON value with every object and array in it unmodifiable. */
    @SuppressWarnings("unchecked")
    private static @Nullable Object freezeValue(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            return freezeObject((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            ((List<Object>) list).replaceAll(JwtClaims::freezeValue);
            return Collections.unmodifiableList(list);
        }
        return value;
    }

    private static Map<String, Object> copyObject(Map<String, ?> source) {
        Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, source.size() * 2));
        source.forEach((key, value) -> copy.put(key, copyValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    private static @Nullable Object copyValue(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, element) -> copy.put(String.valueOf(key), copyValue(element)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(copyValue(element));
            }
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
