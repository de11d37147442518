package io.github.oauthjwt.benchmarks;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.OAuthJwtFilterBuilder;
import io.github.oauthjwt.webflux.ClaimsParsing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing the claims sets of real access tokens with nimbus-jose-jwt's {@code JSONObjectUtils.parse}
 * (Gson), alone and after the library's depth scan, which is what the library now does. It once
 * also measured the hand-written {@code JsonObjectParser}; RESULTS.md records that comparison and
 * why the parser was removed (commit a04f39f has the benchmark as it ran).
 *
 * <p>Each claims set comes as a pool of {@value #POOL} texts that differ as consecutive tokens of
 * one issuer do ({@code jti}, times, subject); each call parses the next one. {@link #nimbusAfterDepthScan}
 * is the library's path: nimbus stops only at 255 levels, so the library's depth limit needs its
 * linear scan before every parse.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ClaimsParserBenchmark {

    /** Distinct texts per claims set; a power of two, for the cursor's mask. */
    static final int POOL = 16;

    /** The filter's default nesting limit, as {@code TokenParser} passes it on. */
    private static final int MAX_DEPTH = OAuthJwtFilterBuilder.DEFAULT_MAX_JSON_DEPTH;

    /**
     * Which claims set: {@code rfc9068} is exactly what {@code VerifyBenchmark}'s tokens carry
     * (what one {@code webFilter} operation parses), {@code auth0} a typical Auth0 API token with
     * permissions, {@code keycloak} a Keycloak token with realm and client roles.
     */
    @Param({"rfc9068", "auth0", "keycloak"})
    public String claims;

    private String[] texts;
    private int next;

    /** Makes the pool and checks that the depth scan lets every text through. */
    @Setup(Level.Trial)
    public void setUp() {
        texts = pool(claims);
        for (String text : texts) {
            if (ClaimsParsing.nestsDeeperThan(text, MAX_DEPTH)) {
                throw new IllegalStateException("the depth scan refuses: " + text);
            }
        }
    }

    /** nimbus-jose-jwt 10.10's {@code JSONObjectUtils.parse(String)}, as it parses headers and JWKS. */
    @Benchmark
    public Map<String, Object> nimbus() throws ParseException {
        return JSONObjectUtils.parse(nextText());
    }

    /** The replacement in full: the library's depth scan, then nimbus. */
    @Benchmark
    public Map<String, Object> nimbusAfterDepthScan() throws ParseException {
        String text = nextText();
        if (ClaimsParsing.nestsDeeperThan(text, MAX_DEPTH)) {
            throw new ParseException("nested too deeply", 0);
        }
        return JSONObjectUtils.parse(text);
    }

    private String nextText() {
        String text = texts[next];
        next = (next + 1) & (POOL - 1);
        return text;
    }

    /** The {@value #POOL} texts of one claims set, as they arrive after base64url decoding. */
    static String[] pool(String claims) {
        String[] pool = new String[POOL];
        SigningKey key = claims.equals("rfc9068") ? new SigningKey("RS256") : null;
        for (int i = 0; i < POOL; i++) {
            pool[i] = switch (claims) {
                case "rfc9068" -> payload(key.token(i));
                case "auth0" -> fill(AUTH0, i);
                case "keycloak" -> fill(KEYCLOAK, i);
                default -> throw new IllegalArgumentException("no claims set named " + claims);
            };
        }
        return pool;
    }

    private static String payload(String token) {
        String part = token.substring(token.indexOf('.') + 1, token.lastIndexOf('.'));
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    /** The template compacted as an issuer writes it, with this token's {@code jti}, times and subject. */
    private static String fill(String template, int i) {
        long iat = 1_764_385_200L + 37L * i;
        return String.format(Locale.ROOT, compact(template), new UUID(0x5f0c2a3e7b1d4c2eL + i, 0x9a8f1d2e3f4a5b6cL + 31L * i),
                iat, iat + 300, iat - 5, 1000 + i);
    }

    /** Drops the whitespace between JSON tokens, as issuers serialize claims. */
    private static String compact(String json) {
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (!Character.isWhitespace(c)) {
                out.append(c);
                inString = c == '"';
            }
        }
        return out.toString();
    }

    // The templates' format arguments: %1$s jti, %2$d iat, %3$d exp, %4$d auth_time, %5$d a per-user number.

    /** An Auth0 access token for a custom API with RBAC permissions and a namespaced custom claim. */
    private static final String AUTH0 = """
            {
              "https://orders.example.com/tenant": "acme-eu-1",
              "iss": "https://acme-prod.eu.auth0.com/",
              "sub": "auth0|6571f2c9a3b4d5e6f70%5$d",
              "aud": ["https://orders.example.com/api", "https://acme-prod.eu.auth0.com/userinfo"],
              "iat": %2$d,
              "exp": %3$d,
              "scope": "openid profile email read:orders write:orders",
              "azp": "Yq8yq3vLh2nK5WcR0tFz7bXe1uJsMdPa",
              "jti": "%1$s",
              "permissions": ["read:invoices", "read:orders", "write:orders"]
            }
            """;

    /**
     * A Keycloak 24 access token for a web shop client: realm and client roles, profile claims and
     * allowed origins, about as large as Keycloak's default mappers make it.
     */
    private static final String KEYCLOAK = """
            {
              "exp": %3$d,
              "iat": %2$d,
              "auth_time": %4$d,
              "jti": "onrtac:%1$s",
              "iss": "https://sso.example.com/realms/acme",
              "aud": ["orders-api", "invoices-api", "account"],
              "sub": "f3b2c1d0-9e8f-4a7b-8c6d-5e4f3a2b%5$d",
              "typ": "Bearer",
              "azp": "web-shop",
              "session_state": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
              "sid": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
              "acr": "1",
              "allowed-origins": ["https://shop.example.com", "https://admin.example.com", "https://m.shop.example.com"],
              "realm_access": {
                "roles": ["offline_access", "uma_authorization", "default-roles-acme", "customer", "beta-tester"]
              },
              "resource_access": {
                "orders-api": {"roles": ["orders:read", "orders:write", "orders:cancel", "orders:export"]},
                "invoices-api": {"roles": ["invoices:read", "invoices:download"]},
                "web-shop": {"roles": ["cart:manage", "wishlist:manage", "reviews:write"]},
                "reporting-api": {"roles": ["reports:view", "reports:schedule"]},
                "support-portal": {"roles": ["tickets:create", "tickets:read", "chat:start"]},
                "account": {"roles": ["manage-account", "manage-account-links", "view-profile"]}
              },
              "scope": "openid email profile orders invoices",
              "email_verified": true,
              "name": "Zoë Müller-Lüdenscheidt",
              "groups": ["/customers/premium", "/customers/eu", "/beta"],
              "preferred_username": "zoe.mueller",
              "given_name": "Zoë",
              "family_name": "Müller-Lüdenscheidt",
              "email": "zoe.mueller@example.com",
              "locale": "de",
              "tenant_id": "acme-eu-1",
              "customer_number": "C-004%5$d",
              "address": {
                "street_address": "Hauptstraße 12",
                "locality": "Lüdenscheid",
                "postal_code": "58507",
                "country": "DE"
              }
            }
            """;
}
