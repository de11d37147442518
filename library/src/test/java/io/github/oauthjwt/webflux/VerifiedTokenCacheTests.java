package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.testing.JwksServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The verified-token cache, end to end through the filter: a repeated token is answered from the
 * cache (the very same claims object comes back), an entry ends at the token's {@code exp}, time
 * claims are checked again on every hit, a key that leaves the JWKS takes its tokens with it while
 * an unchanged key survives a refetch, the size is bounded, and size 0 turns it off. Real RSA keys,
 * tokens signed with nimbus, a real JWKS endpoint; time is a clock the test moves.
 */
class VerifiedTokenCacheTests {

    private static final String ISSUER = "https://issuer.example";
    private static final String AUDIENCE = "api.example.com";
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private static RSAKey firstKey;
    private static RSAKey secondKey;

    private final MovableClock clock = new MovableClock(START);
    private JwksServer server;

    @BeforeAll
    static void generateKeys() throws JOSEException {
        firstKey = new RSAKeyGenerator(2048).keyID("first").generate();
        secondKey = new RSAKeyGenerator(2048).keyID("second").generate();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sameTokenSentAgainIsAnsweredWithTheClaimsVerifiedTheFirstTime() throws Exception {
        OAuthJwtFilter filter = filter(publishing(firstKey)).build();
        String token = token(firstKey, START.plusSeconds(300));

        JwtClaims first = request(filter, token).claims();
        JwtClaims second = request(filter, token).claims();

        assertThat(first).isNotNull();
        assertThat(second).isSameAs(first);
    }

    @Test
    void rememberedTokenIsVerifiedAfreshOnceItsExpIsReached() throws Exception {
        OAuthJwtFilter filter = filter(publishing(firstKey)).clockSkew(Duration.ofSeconds(60)).build();
        String token = token(firstKey, START.plusSeconds(300));
        JwtClaims first = request(filter, token).claims();

        clock.set(START.plusSeconds(299));
        JwtClaims justBeforeExp = request(filter, token).claims();
        clock.set(START.plusSeconds(300));
        JwtClaims atExp = request(filter, token).claims();

        assertThat(justBeforeExp).isSameAs(first);
        // Still accepted within the clock skew, but verified again rather than taken from the cache.
        assertThat(atExp).isNotNull().isNotSameAs(first);
    }

    @Test
    void rememberedTokenHasItsTimeClaimsCheckedOnEveryHit() throws Exception {
        OAuthJwtFilter filter = filter(publishing(firstKey)).clockSkew(Duration.ofSeconds(60)).build();
        String token = token(firstKey, START.plusSeconds(300));
        JwtClaims first = request(filter, token).claims();

        clock.set(START.minusSeconds(120));
        Result beforeIssue = request(filter, token);
        clock.set(START.plusSeconds(10));
        JwtClaims afterwards = request(filter, token).claims();

        assertThat(beforeIssue.status()).isEqualTo(HttpStatusCode.valueOf(401));
        // The refusal came from the remembered entry: a fresh verification would have replaced it.
        assertThat(afterwards).isSameAs(first);
    }

    @Test
    void aChangedTokenReusingARememberedSignatureIsVerifiedAndRefused() throws Exception {
        OAuthJwtFilter filter = filter(publishing(firstKey)).build();
        String token = token(firstKey, START.plusSeconds(300));
        assertThat(request(filter, token).status()).isNull();

        String[] parts = token.split("\\.");
        String otherClaims = Base64URL.encode(claims(START.plusSeconds(300)).toString()).toString();
        Result forged = request(filter, parts[0] + "." + otherClaims + "." + parts[2]);

        assertThat(forged.claims()).isNull();
        assertThat(forged.status()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void tokenOfAKeyThatLeftTheJwksIsForgottenAndRefused() throws Exception {
        OAuthJwtFilter filter = filter(publishing(firstKey)).build();
        String oldToken = token(firstKey, START.plusSeconds(300));
        assertThat(request(filter, oldToken).claims()).isNotNull();

        server.publishJson(jwks(secondKey), null);
        // A token with the new kid makes the key source refetch the JWKS, which no longer has the first key.
        assertThat(request(filter, token(secondKey, START.plusSeconds(300))).claims()).isNotNull();
        Result afterRotation = request(filter, oldToken);

        assertThat(afterRotation.claims()).isNull();
        assertThat(afterRotation.status()).isEqualTo(HttpStatusCode.valueOf(401));
    }

    @Test
    void tokenOfAKeyThatARefetchLeftUnchangedStaysRemembered() throws Exception {
        OAuthJwtFilter filter = filter(publishing(firstKey)).build();
        String token = token(firstKey, START.plusSeconds(300));
        JwtClaims first = request(filter, token).claims();

        server.publishJson(jwks(firstKey, secondKey), null);
        assertThat(request(filter, token(secondKey, START.plusSeconds(300))).claims()).isNotNull();
        JwtClaims afterRefetch = request(filter, token).claims();

        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(afterRefetch).isSameAs(first);
    }

    @Test
    void hmacTokenSentAgainIsAnsweredFromTheCache() throws Exception {
        byte[] secret = "a shared secret of at least 32 bytes!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        OAuthJwtFilter filter = filter(publishing(firstKey)).algorithms("HS256").hmacSecret(secret).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("at+jwt")).build(),
                claims(START.plusSeconds(300)));
        jwt.sign(new MACSigner(secret));
        String token = jwt.serialize();

        JwtClaims first = request(filter, token).claims();

        assertThat(first).isNotNull();
        assertThat(request(filter, token).claims()).isSameAs(first);
    }

    @Test
    void sizeZeroVerifiesEveryTokenAfresh() throws Exception {
        OAuthJwtFilter filter = filter(publishing(firstKey)).verifiedTokenCacheSize(0).build();
        String token = token(firstKey, START.plusSeconds(300));

        JwtClaims first = request(filter, token).claims();
        JwtClaims second = request(filter, token).claims();

        assertThat(second).isNotNull().isEqualTo(first).isNotSameAs(first);
    }

    @Test
    void negativeSizeIsRefusedByTheBuilder() {
        OAuthJwtFilterBuilder builder = OAuthJwtFilter.builder(JwksKeySource.fromUri("https://issuer.example/jwks"))
                .verifiedTokenCacheSize(-1);

        assertThatIllegalArgumentException().isThrownBy(builder::build).withMessageContaining("verifiedTokenCacheSize");
    }

    @Test
    void cacheHoldsNoMoreTokensThanItsSize() {
        VerifiedTokenCache cache = new VerifiedTokenCache(3, clock);

        for (int i = 0; i < 50; i++) {
            cache.put("token-" + i, entry(START.plusSeconds(300)));
        }

        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void cacheHoldsAtLeastOneToken() {
        VerifiedTokenCache one = new VerifiedTokenCache(1, clock);
        VerifiedTokenCache.Entry entry = entry(START.plusSeconds(300));
        one.put("token", entry);

        assertThat(one.get("token")).isSameAs(entry);
        assertThatIllegalArgumentException().isThrownBy(() -> new VerifiedTokenCache(0, clock))
                .withMessage("maximumSize must be positive");
    }

    @Test
    void aTokenExpiringNowNeverDisplacesARememberedOne() {
        VerifiedTokenCache cache = new VerifiedTokenCache(1, clock);
        VerifiedTokenCache.Entry kept = entry(START.plusSeconds(300));
        cache.put("kept", kept);

        cache.put("expiring", entry(START));

        assertThat(cache.get("kept")).isSameAs(kept);
        assertThat(cache.get("expiring")).isNull();
    }

    @Test
    void anExpiredEntryLeavesTheCacheEvenIfNobodyAsksForIt() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10, clock);
        cache.put("token", entry(START.plusSeconds(300)));

        clock.set(START.plusMillis(299_999));
        long beforeExp = cache.size();
        // Caffeine's timer wheel removes expired entries in steps of about a second (2^30 ns).
        clock.set(START.plusSeconds(302));
        long afterExp = cache.size();

        assertThat(beforeExp).isEqualTo(1);
        assertThat(afterExp).isZero();
    }

    @Test
    void aTokenRememberedTwiceIsKeptUntilItsExp() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10, clock);
        VerifiedTokenCache.Entry first = entry(START.plusSeconds(300));
        VerifiedTokenCache.Entry second = entry(START.plusSeconds(300));
        cache.put("token", first);
        clock.set(START.plusSeconds(10));

        cache.put("token", second);
        VerifiedTokenCache.Entry rightAway = cache.get("token");
        clock.set(START.plusMillis(299_999));
        VerifiedTokenCache.Entry beforeExp = cache.get("token");
        clock.set(START.plusSeconds(300));

        assertThat(rightAway).isSameAs(second);
        assertThat(beforeExp).isSameAs(second);
        assertThat(cache.get("token")).isNull();
    }

    @Test
    void cacheForgetsATokenItIsToldToForget() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10, clock);
        cache.put("kept", entry(START.plusSeconds(300)));
        cache.put("forgotten", entry(START.plusSeconds(300)));

        cache.invalidate("forgotten");

        assertThat(cache.get("forgotten")).isNull();
        assertThat(cache.get("kept")).isNotNull();
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void cacheKeysOnTheWholeTokenNotOnlyTheSignatureItHashes() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10, clock);
        String signature = "." + "s".repeat(40);
        VerifiedTokenCache.Entry entry = entry(START.plusSeconds(300));
        cache.put("header.payload" + signature, entry);

        assertThat(cache.get("header.payload" + signature)).isSameAs(entry);
        assertThat(cache.get("header.tampered" + signature)).isNull();
        assertThat(cache.get("other.payload" + signature)).isNull();
    }

    @Test
    void cacheReturnsAnEntryUntilJustBeforeItsExp() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10, clock);
        VerifiedTokenCache.Entry entry = entry(START.plusSeconds(300));
        cache.put("token", entry);

        clock.set(START.plusMillis(299_999));
        VerifiedTokenCache.Entry beforeExp = cache.get("token");
        clock.set(START.plusSeconds(300));
        VerifiedTokenCache.Entry atExp = cache.get("token");

        assertThat(beforeExp).isSameAs(entry);
        assertThat(atExp).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void cacheDoesNotRememberATokenThatHasAlreadyExpired() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10, clock);

        cache.put("token", entry(START));

        assertThat(cache.get("token")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void cacheKeepsATokenWithAFarFutureExp() {
        VerifiedTokenCache cache = new VerifiedTokenCache(10, clock);
        VerifiedTokenCache.Entry entry = entry(Instant.ofEpochSecond(Long.MAX_VALUE / 1000));

        cache.put("token", entry);

        assertThat(cache.get("token")).isSameAs(entry);
    }

    private JwksKeySource publishing(RSAKey... keys) {
        server = JwksServer.serving();
        server.publishJson(jwks(keys), null);
        return JwksKeySource.builder(server.uri()).build();
    }

    private OAuthJwtFilterBuilder filter(JwksKeySource keys) {
        return OAuthJwtFilter.builder(keys).issuer(ISSUER).audience(AUDIENCE).clock(clock);
    }

    private static String jwks(RSAKey... keys) {
        return new JWKSet(java.util.Arrays.stream(keys).map(key -> (com.nimbusds.jose.jwk.JWK) key.toPublicJWK())
                .toList()).toString();
    }

    private static String token(RSAKey key, Instant exp) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims(exp));
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static JWTClaimsSet claims(Instant exp) {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("alice")
                .issueTime(Date.from(START)).expirationTime(Date.from(exp)).jwtID(UUID.randomUUID().toString())
                .claim("scope", "read").build();
    }

    private static VerifiedTokenCache.Entry entry(Instant exp) {
        JwtClaims claims = JwtClaims.of(Map.of("sub", "alice", "exp", exp.getEpochSecond()));
        return new VerifiedTokenCache.Entry(new Verified(claims), null, null, null, JWSAlgorithm.HS256, exp.getEpochSecond());
    }

    /** The filter's verdict on one request: the claims it passed on, or the status it answered. */
    private record Result(@Nullable JwtClaims claims, @Nullable HttpStatusCode status) {
    }

    private static Result request(OAuthJwtFilter filter, String token) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/orders")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
        filter.filter(exchange, passed -> Mono.empty()).block(Duration.ofSeconds(10));
        return new Result(exchange.getAttribute(JwtClaims.ATTRIBUTE), exchange.getResponse().getStatusCode());
    }

    /** A clock that stands still until the test moves it. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            this.now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
