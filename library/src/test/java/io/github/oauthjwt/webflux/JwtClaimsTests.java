package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/** The typed, immutable view of verified claims. */
class JwtClaimsTests {

    private final JwtClaims claims = JwtClaims.of(Map.of(
            "sub", "alice", "iss", "https://issuer.example", "aud", List.of("a", "b"),
            "scope", "read  write", "scp", List.of("admin", 7), "exp", 1_800_000_000L, "iat", 1_799_999_000L,
            "role", "developer", "groups", List.of("x", "y"), "nested", Map.of("k", List.of(1, 2))));

    @Test
    void readsRegisteredClaims() {
        assertThat(claims.subject()).isEqualTo("alice");
        assertThat(claims.issuer()).isEqualTo("https://issuer.example");
        assertThat(claims.audience()).containsExactly("a", "b");
        assertThat(claims.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_800_000_000L));
        assertThat(claims.issuedAt()).isEqualTo(Instant.ofEpochSecond(1_799_999_000L));
        assertThat(claims.notBefore()).isNull();
    }

    @Test
    void joinsScopeAndScpIntoOneSet() {
        assertThat(claims.scopes()).containsExactly("read", "write", "admin");
        assertThat(claims.hasScopes("read", "admin")).isTrue();
        assertThat(claims.hasScopes("delete")).isFalse();
    }

    @Test
    void readsASpaceDelimitedScopeSkippingTheEmptyOnesThatRepeatedSpacesMake() {
        assertThat(JwtClaims.of(Map.of("scope", "  read  write read ")).scopes()).containsExactly("read", "write");
        assertThat(JwtClaims.of(Map.of("scope", "read")).scopes()).containsExactly("read");
        assertThat(JwtClaims.of(Map.of("scope", "r")).scopes()).containsExactly("r");
        assertThat(JwtClaims.of(Map.of("scope", " ")).scopes()).isEmpty();
        assertThat(JwtClaims.of(Map.of("scope", "")).scopes()).isEmpty();
    }

    @Test
    void readsOtherClaimsByType() {
        assertThat(claims.stringClaim("role")).isEqualTo(Optional.of("developer"));
        assertThat(claims.stringClaim("groups")).isEmpty();
        assertThat(claims.stringListClaim("groups")).containsExactly("x", "y");
        assertThat(claims.stringListClaim("role")).containsExactly("developer");
        assertThat(claims.stringListClaim("absent")).isEmpty();
        assertThat(claims.claim("nested")).isEqualTo(Map.of("k", List.of(1, 2)));
    }

    @Test
    void isImmutableAllTheWayDown() {
        Map<String, Object> source = new LinkedHashMap<>();
        List<Object> groups = new ArrayList<>(List.of("x"));
        source.put("groups", groups);
        JwtClaims copy = JwtClaims.of(source);
        groups.add("y");
        source.put("sub", "mallory");

        assertThat(copy.stringListClaim("groups")).containsExactly("x");
        assertThat(copy.subject()).isNull();
        assertThatThrownBy(() -> copy.asMap().put("sub", "x")).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> inner = (List<Object>) copy.claim("groups");
        assertThatThrownBy(() -> inner.add("z")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void parsedClaimsAreUnmodifiableAtEveryLevelAndKeepTheTokensOrder() throws ParseException {
        JwtClaims parsed = JwtClaims.ofParsed(JSONObjectUtils.parse(
                "{\"sub\":\"alice\",\"groups\":[\"x\",[\"y\"],{\"k\":[1]}],\"nested\":{\"k\":[\"v\"],\"m\":{\"n\":true}},"
                        + "\"aud\":[\"a\"],\"scope\":\"read write\"}"),
                ScopeClaims.DEFAULT);

        assertThat(parsed.asMap()).containsExactly(
                Map.entry("sub", "alice"),
                Map.entry("groups", List.of("x", List.of("y"), Map.of("k", List.of(1L)))),
                Map.entry("nested", Map.of("k", List.of("v"), "m", Map.of("n", true))),
                Map.entry("aud", List.of("a")),
                Map.entry("scope", "read write"));
        assertThat(parsed.audience()).containsExactly("a");
        assertThat(parsed.scopes()).containsExactly("read", "write");
        assertThatThrownBy(() -> parsed.asMap().put("sub", "x")).isInstanceOf(UnsupportedOperationException.class);
        List<?> groups = (List<?>) parsed.claim("groups");
        Map<?, ?> nested = (Map<?, ?>) parsed.claim("nested");
        assertThatThrownBy(() -> groups.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) groups.get(1)).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((Map<?, ?>) groups.get(2)).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) ((Map<?, ?>) groups.get(2)).get("k")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> nested.clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) nested.get("k")).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((Map<?, ?>) nested.get("m")).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void readsNbfAndTellsPresentClaimsFromAbsentOnes() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("sub", "alice");
        source.put("nbf", 1_799_999_500L);
        source.put("note", null);
        source.put("aud", "api");
        JwtClaims withNbf = JwtClaims.of(source);

        assertThat(withNbf.notBefore()).isEqualTo(Instant.ofEpochSecond(1_799_999_500L));
        assertThat(JwtClaims.of(Map.of("nbf", "tomorrow")).notBefore()).isNull();
        assertThat(withNbf.hasClaim("note")).isTrue();
        assertThat(withNbf.hasClaim("exp")).isFalse();
        assertThat(withNbf.asMap().keySet()).containsExactly("sub", "nbf", "note", "aud");
        assertThat(withNbf.asMap()).containsEntry("sub", "alice").containsEntry("aud", "api");
    }

    @Test
    void equalsAnotherViewOfTheSameClaimsOnly() {
        JwtClaims same = JwtClaims.of(new LinkedHashMap<>(claims.asMap()));

        assertThat(same).isEqualTo(claims).hasSameHashCodeAs(claims);
        assertThat(JwtClaims.of(Map.of("sub", "alice"))).isNotEqualTo(claims);
        assertThat(claims).isNotEqualTo(claims.asMap());
    }

    @Test
    void clampsTimesBeyondWhatInstantHolds() {
        assertThat(JwtClaims.of(Map.of("exp", 1e300)).expiresAt()).isEqualTo(Instant.MAX.minusNanos(999_999_999));
    }

    @Test
    void isFoundInTheExchangeAndTheContext() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/"));
        assertThatIllegalStateException().isThrownBy(() -> JwtClaims.from(exchange))
                .withMessage("This request has no verified JWT claims: is its path covered by the OAuthJwtFilter's paths?");
        exchange.getAttributes().put(JwtClaims.ATTRIBUTE, claims);
        assertThat(JwtClaims.from(exchange)).isSameAs(claims);

        StepVerifier.create(JwtClaims.current().contextWrite(Context.of(JwtClaims.CONTEXT_KEY, claims)))
                .expectNext(claims).verifyComplete();
        StepVerifier.create(JwtClaims.current()).verifyComplete();
    }
}
