package io.github.oauthjwt.benchmarks;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.jwk.Curve;
import io.github.oauthjwt.testing.DpopProofs;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.webflux.dpop.ReplayStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.oauthjwt.webflux.JwtClaims;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.OAuthJwtFilterBuilder;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The cost of verifying one access token, side by side: the bare signature check (the floor), nimbus's
 * {@code DefaultJWTProcessor}, Spring Security's {@code NimbusReactiveJwtDecoder}, and this library's
 * filter, for RS256, PS256, ES256 and EdDSA (Ed25519), all in one run so that ratios compare like
 * with like.
 *
 * <p>Every verifier checks the same things: the signature, {@code typ} ({@code at+jwt}), issuer,
 * audience and the time claims with 60 s of skew. Keys are in memory before measuring (the filter's
 * JWKS is fetched once in setup, from an in-memory {@code WebClient}). Tokens come from a pool of
 * {@value #POOL} distinct valid tokens made in setup, one after the other, except in
 * {@link #webFilterRepeatedToken}. See README.md for how to run it and RESULTS.md for a run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class VerifyBenchmark {

    /** Distinct tokens per algorithm; a power of two, for the cursor's mask. */
    static final int POOL = 1024;

    private static final WebFilterChain PASS = exchange -> Mono.empty();

    /** The keys, tokens and verifiers of one algorithm, shared by all threads. */
    @State(Scope.Benchmark)
    public static class Fixture {

        /** The JWS algorithm of the keys and tokens. */
        @Param({"RS256", "PS256", "ES256", "EdDSA"})
        public String alg;

        SigningKey key;
        String[] tokens;
        byte[][] signingInputs;
        byte[][] signatures;
        MockServerWebExchange[] exchanges;
        MockServerWebExchange repeatedExchange;
        /** The filter with its verified-token cache off, so that every call verifies a signature. */
        OAuthJwtFilter verifyingFilter;
        /** The filter as configured by default, verified-token cache on. */
        OAuthJwtFilter cachingFilter;
        /** One exchange per pooled token, each token bound to one client's P-256 key and sent with its own ES256 proof. */
        MockServerWebExchange[] dpopExchanges;
        /** {@link #verifyingFilter} with DPoP allowed, replays remembered in memory. */
        OAuthJwtFilter dpopFilter;
        /** {@link #verifyingFilter} given a registry without handlers: it checks, and observes nothing. */
        OAuthJwtFilter noopRegistryFilter;
        /** {@link #verifyingFilter} observed into a {@code SimpleMeterRegistry} by Micrometer's default handler. */
        OAuthJwtFilter observedFilter;
        /** {@link #cachingFilter}, observed like {@link #observedFilter}. */
        OAuthJwtFilter observedCachingFilter;
        Provider bouncyCastle;
        PublicKey bouncyCastleKey;
        /** Held so that its level sticks: the key source's INFO lines would interleave with JMH's output. */
        java.util.logging.Logger libraryLog;

        /** Makes the key, the token pool, one exchange per token, and the verifiers; checks each accepts a token. */
        @Setup(Level.Trial)
        public void setUp() throws Exception {
            libraryLog = java.util.logging.Logger.getLogger("io.github.oauthjwt");
            libraryLog.setLevel(java.util.logging.Level.WARNING);
            key = new SigningKey(alg);
            tokens = new String[POOL];
            signingInputs = new byte[POOL][];
            signatures = new byte[POOL][];
            exchanges = new MockServerWebExchange[POOL];
            for (int i = 0; i < POOL; i++) {
                String token = key.token(i);
                int lastDot = token.lastIndexOf('.');
                tokens[i] = token;
                signingInputs[i] = token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII);
                signatures[i] = Base64.getUrlDecoder().decode(token.substring(lastDot + 1));
                exchanges[i] = exchange(token);
            }
            repeatedExchange = exchange(tokens[0]);

            JwksKeySource keys = JwksKeySource.builder(URI.create("https://login.example.com/oauth/v2/jwks"))
                    .webClient(inMemoryJwks(key.jwks()))
                    .defaultTtl(Duration.ofHours(1))
                    .build();
            keys.keys().block();
            verifyingFilter = filter(keys).verifiedTokenCacheSize(0).build();
            cachingFilter = filter(keys).build();
            noopRegistryFilter = filter(keys).verifiedTokenCacheSize(0).observationRegistry(ObservationRegistry.create()).build();
            ObservationRegistry observations = ObservationRegistry.create();
            observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
            observedFilter = filter(keys).verifiedTokenCacheSize(0).observationRegistry(observations).build();
            observedCachingFilter = filter(keys).observationRegistry(observations).build();

            bouncyCastle = new BouncyCastleProvider();
            String family = alg.startsWith("ES") ? "EC" : alg.equals("EdDSA") ? "Ed25519" : "RSA";
            bouncyCastleKey = KeyFactory.getInstance(family, bouncyCastle)
                    .generatePublic(new X509EncodedKeySpec(key.publicKey().getEncoded()));

            check(verifyingFilter, exchange(tokens[1]));
            check(cachingFilter, exchange(tokens[2]));
            check(noopRegistryFilter, exchange(tokens[3]));
            check(observedFilter, exchange(tokens[4]));
            check(observedCachingFilter, exchange(tokens[5]));
            setUpDpop(keys);
        }

        /**
         * The DPoP case: tokens of this algorithm bound to a client's P-256 key, each sent with an
         * ES256 proof made for it. A pooled proof comes back every {@value #POOL} calls, which the
         * replay check would rightly refuse; so the in-memory store is given each key with a call
         * counter appended: it does the work of a real first use every time (a Caffeine
         * {@code putIfAbsent} of a fresh key with a 70 s expiry), and never sees a repeat.
         */
        private void setUpDpop(JwksKeySource keys) {
            TestKey client = TestKey.ec("client", Curve.P_256);
            Map<String, Object> cnf = DpopProofs.cnf(client);
            dpopExchanges = new MockServerWebExchange[POOL];
            for (int i = 0; i < POOL; i++) {
                dpopExchanges[i] = dpopExchange(client, key.token(i, cnf));
            }
            ReplayStore memory = ReplayStore.inMemory(2_000_000, Clock.systemUTC());
            AtomicLong calls = new AtomicLong();
            ReplayStore neverRepeated = (usedKey, ttl) -> memory.markUsed(usedKey + calls.incrementAndGet(), ttl);
            dpopFilter = filter(keys).verifiedTokenCacheSize(0)
                    .dpop(DpopOptions.builder().iatWindow(Duration.ofMinutes(10), Duration.ofSeconds(10))
                            .replayStore(neverRepeated, DpopOptions.OnStoreFailure.FAIL_CLOSED).build())
                    .build();
            check(dpopFilter, dpopExchange(client, key.token(POOL, cnf)));
        }

        /** Fails the run if any pooled exchange was refused rather than passed on. */
        @TearDown(Level.Trial)
        public void everyRequestPassed() {
            for (MockServerWebExchange exchange : dpopExchanges) {
                if (exchange.getResponse().getStatusCode() != null) {
                    throw new IllegalStateException("the filter refused a pooled DPoP request: "
                            + exchange.getResponse().getStatusCode() + " " + exchange.getResponse().getHeaders());
                }
            }
            for (MockServerWebExchange exchange : exchanges) {
                if (exchange.getResponse().getStatusCode() != null) {
                    throw new IllegalStateException("the filter refused a pooled token: " + exchange.getResponse().getStatusCode());
                }
            }
        }

        private static OAuthJwtFilterBuilder filter(JwksKeySource keys) {
            return OAuthJwtFilter.builder(keys).issuer(SigningKey.ISSUER).audience(SigningKey.AUDIENCE).paths("/api/**");
        }
    }

    /** The floor: the JDK's own check (SunRsaSign, SunEC) of one token's signing input and signature. */
    @Benchmark
    public boolean rawSignature(Fixture fixture, RawVerifiers raw, Cursor cursor) throws GeneralSecurityException {
        int i = cursor.next();
        return verify(raw.jdk, fixture.key.publicKey(), fixture, i);
    }

    /** The same check with BouncyCastle 1.87 and its own key type: the floor of the provider the filter uses for ES256 and EdDSA. */
    @Benchmark
    public boolean rawSignatureBouncyCastle(Fixture fixture, RawVerifiers raw, Cursor cursor) throws GeneralSecurityException {
        int i = cursor.next();
        return verify(raw.bouncyCastle, fixture.bouncyCastleKey, fixture, i);
    }

    /** nimbus-jose-jwt's {@code DefaultJWTProcessor}: parse, type, key selection, signature, claims. */
    @Benchmark
    public JWTClaimsSet nimbusProcessor(OtherLibraries others, Cursor cursor)
            throws ParseException, BadJOSEException, JOSEException {
        return others.nimbus.process(others.tokens[cursor.next()], null);
    }

    /** Spring Security's {@code NimbusReactiveJwtDecoder} with the default validators plus issuer, audience and type. */
    @Benchmark
    public Jwt springSecurityDecoder(OtherLibraries others, Cursor cursor) {
        return others.decoder.decode(others.tokens[cursor.next()]).block();
    }

    /** The filter on a request with a token it has not verified before. */
    @Benchmark
    public Object webFilter(Fixture fixture, Cursor cursor) {
        return passThrough(fixture.verifyingFilter, fixture.exchanges[cursor.next()]);
    }

    /**
     * {@link #webFilter} for a DPoP-bound token of the same algorithm with an ES256 proof: the token
     * check plus the proof's (parse, header verdict from its cache, ES256 signature, htm, htu, iat,
     * ath, cnf.jkt, the in-memory replay mark). Compare with {@link #webFilter} in the same run.
     */
    @Benchmark
    public Object dpopProof(Fixture fixture, Cursor cursor) {
        return passThrough(fixture.dpopFilter, fixture.dpopExchanges[cursor.next()]);
    }

    /** {@link #webFilter} on two threads at once, sharing the filter and its key cache. */
    @Benchmark
    @Threads(2)
    public Object webFilterTwoThreads(Fixture fixture, Cursor cursor) {
        return passThrough(fixture.verifyingFilter, fixture.exchanges[cursor.next()]);
    }

    /** The filter on requests that all carry the same token, as one client sends until the token expires. */
    @Benchmark
    public Object webFilterRepeatedToken(Fixture fixture) {
        return passThrough(fixture.cachingFilter, fixture.repeatedExchange);
    }

    /** {@link #webFilter} with a registry that has no handlers: observation is off, checked per request. */
    @Benchmark
    public Object webFilterNoopRegistry(Fixture fixture, Cursor cursor) {
        return passThrough(fixture.noopRegistryFilter, fixture.exchanges[cursor.next()]);
    }

    /** {@link #webFilter} with each validation observed into a meter registry (a timer per outcome). */
    @Benchmark
    public Object webFilterObserved(Fixture fixture, Cursor cursor) {
        return passThrough(fixture.observedFilter, fixture.exchanges[cursor.next()]);
    }

    /** {@link #webFilterRepeatedToken} with each validation observed like {@link #webFilterObserved}. */
    @Benchmark
    public Object webFilterRepeatedTokenObserved(Fixture fixture) {
        return passThrough(fixture.observedCachingFilter, fixture.repeatedExchange);
    }

    private static boolean verify(Signature verifier, PublicKey key, Fixture fixture, int i)
            throws GeneralSecurityException {
        verifier.initVerify(key);
        if (fixture.key.parameters != null) {
            verifier.setParameter(fixture.key.parameters);
        }
        verifier.update(fixture.signingInputs[i]);
        return verifier.verify(fixture.signatures[i]);
    }

    /** Runs the filter to completion (it completes synchronously with cached keys) and returns the verified claims. */
    private static Object passThrough(OAuthJwtFilter filter, MockServerWebExchange exchange) {
        filter.filter(exchange, PASS).block();
        return exchange.getAttribute(JwtClaims.ATTRIBUTE);
    }

    private static void check(OAuthJwtFilter filter, MockServerWebExchange exchange) {
        passThrough(filter, exchange);
        if (exchange.getAttribute(JwtClaims.ATTRIBUTE) == null) {
            throw new IllegalStateException("the filter did not accept a pooled token: "
                    + exchange.getResponse().getStatusCode() + " " + exchange.getResponse().getHeaders());
        }
    }

    private static MockServerWebExchange dpopExchange(TestKey client, String token) {
        String uri = "https://api.example.com/api/orders";
        return MockServerWebExchange.from(MockServerHttpRequest.get(uri).header(HttpHeaders.AUTHORIZATION, "DPoP " + token)
                .header("DPoP", DpopProofs.signedBy(client).forRequest("GET", uri).accessToken(token).build()));
    }

    private static MockServerWebExchange exchange(String token) {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/api/orders")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }

    /** A client whose every request is answered 200 with this JWKS, without any network. */
    private static WebClient inMemoryJwks(String jwks) {
        return WebClient.builder()
                .exchangeFunction(request -> Mono.just(ClientResponse.create(HttpStatus.OK)
                        .header(HttpHeaders.CONTENT_TYPE, "application/json")
                        .body(jwks)
                        .build()))
                .build();
    }
}
