package io.github.oauthjwt.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import com.nimbusds.jose.jwk.Curve;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every request on a keep-alive connection is answered (issue 9). A client that reuses one
 * connection sends its next request as soon as it has read the previous response; the server must
 * read and answer it however the previous one was answered: at once on the event loop (no token, a
 * malformed token, a cached key, a refused scope) or after a JWKS fetch (a new key, an unknown
 * {@code kid}, an outage). Each test starts the app afresh against a MockWebServer JWKS; every
 * request must be answered with its exact status within {@link #ANSWER_WITHIN}, or within
 * {@link #FIRST_ROUND_ANSWER_WITHIN} in the first round of a plan. A lost read never recovers, so
 * either deadline catches it.
 */
class KeepAliveIntegrationTests {

    /** How long a request may wait for its whole response; the app answers in milliseconds. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);
    /**
     * The deadline of a plan's first round: a cold JVM's first verification of an algorithm sets up
     * its crypto provider (1.2 s for the first ES256 on a 2-core machine).
     */
    private static final Duration FIRST_ROUND_ANSWER_WITHIN = Duration.ofSeconds(10);

    private static final int REQUESTS_PER_START = 300;
    private static final int REQUESTS_PER_OUTAGE_START = 150;
    private static final Duration SOAK = Duration.ofSeconds(60);
    private static final int SOAK_CONNECTIONS = 4;
    /** Stops a soak worker even if the deadline were never read; far above what 60 s allow here. */
    private static final int SOAK_MAX_REQUESTS_PER_CONNECTION = 2_000_000;

    private static final TestKey RS_KEY = TestKey.rsa("rs-1");
    private static final TestKey PS_KEY = TestKey.rsa("ps-1").signingWith("PS256");
    private static final TestKey ES_KEY = TestKey.ec("es-1", Curve.P_256);
    private static final TestKey ED_KEY = TestKey.ed25519("ed-1");
    private static final String UNSIGNED = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInNjb3BlIjoiYWRtaW4ifQ.";

    private final MockWebServer jwks = new MockWebServer();
    private final List<TestKey> published = new ArrayList<>(List.of(RS_KEY, PS_KEY, ES_KEY, ED_KEY));
    private final AtomicReference<String> publishedJwks =
            new AtomicReference<>(TestTokens.jwks(RS_KEY, PS_KEY, ES_KEY, ED_KEY));

    /**
     * One request of a plan: what it is, the status it must be answered with and how soon, and what
     * to arrange just before it is sent.
     */
    private record Probe(String name, String path, @Nullable String authorization, int status, Duration deadline,
            Runnable before) {

        static Probe of(String name, String path, @Nullable String authorization, int status) {
            return new Probe(name, path, authorization, status, ANSWER_WITHIN, () -> { });
        }

        static Probe bearer(String name, String path, String token, int status) {
            return of(name, path, "Bearer " + token, status);
        }

        Probe firstRound() {
            return new Probe(name, path, authorization, status, FIRST_ROUND_ANSWER_WITHIN, before);
        }
    }

    @BeforeEach
    void startJwks() throws Exception {
        jwks.start();
    }

    @AfterEach
    void stopJwks() {
        jwks.close();
    }

    @RepeatedTest(value = 5, name = "fresh start {currentRepetition} of {totalRepetitions}")
    void requestsWhenAllOnOneKeepAliveConnectionThenEachIsAnsweredWithItsStatus() throws Exception {
        serveKeys();
        List<Probe> plan = mixedPlan();
        try (RunningExample app = start("--oauth-jwt.jwks.refetch-burst=50");
                KeepAliveClient client = KeepAliveClient.to(app.port(), 1)) {
            awaitWarmUp();

            List<String> failures = runInOrder(client, plan);

            assertThat(failures).as("requests not answered as planned, of %d", plan.size()).isEmpty();
            assertThat(client.connectionsUsed()).isEqualTo(1);
        }
    }

    @RepeatedTest(value = 3, name = "fresh start {currentRepetition} of {totalRepetitions}")
    void requestsWhenKeysUnavailableThenEachOnOneKeepAliveConnectionIsAnswered() throws Exception {
        failJwks();
        List<Probe> plan = outagePlan();
        // A short backoff: some tokens wait for a failing refetch, the others are answered at once.
        try (RunningExample app = start("--oauth-jwt.jwks.initial-backoff=20ms", "--oauth-jwt.jwks.max-backoff=20ms");
                KeepAliveClient client = KeepAliveClient.to(app.port(), 1)) {
            awaitWarmUp();

            List<String> failures = runInOrder(client, plan);

            assertThat(failures).as("requests not answered as planned, of %d", plan.size()).isEmpty();
            assertThat(client.connectionsUsed()).isEqualTo(1);
        }
    }

    @Test
    void requestsWhenFourKeepAliveConnectionsForAMinuteThenNoneStalls() throws Exception {
        serveKeys();
        List<Probe> plan = soakPlan();
        try (RunningExample app = start();
                KeepAliveClient client = KeepAliveClient.to(app.port(), SOAK_CONNECTIONS)) {
            awaitWarmUp();
            // The plan once in order first, so no soak request is a cold first verification.
            assertThat(runInOrder(client, plan)).as("warm-up requests not answered as planned").isEmpty();
            long deadline = System.nanoTime() + SOAK.toNanos();
            AtomicLong answered = new AtomicLong();

            try {
                // Each connection runs through the plan from another point of it.
                Flux.range(0, SOAK_CONNECTIONS)
                        .flatMap(worker -> Flux.range(0, SOAK_MAX_REQUESTS_PER_CONNECTION)
                                .takeWhile(i -> System.nanoTime() < deadline)
                                .concatMap(i -> send(client, plan.get((worker * 7 + i) % plan.size()),
                                        ANSWER_WITHIN, "connection " + worker + " request " + i)), SOAK_CONNECTIONS)
                        .doOnNext(ok -> answered.incrementAndGet())
                        .blockLast(SOAK.plusSeconds(30));
            } catch (RuntimeException e) {
                Throwable failure = Exceptions.unwrap(e);
                throw new AssertionError(failure.getMessage() + ", after " + answered + " answered requests", failure);
            }

            assertThat(answered.get()).as("requests answered in %s", SOAK).isGreaterThan(1000);
            assertThat(client.connectionsUsed()).isEqualTo(SOAK_CONNECTIONS);
        }
    }

    /** Sends the plan one request after the other and returns how each deviated from it. */
    private static List<String> runInOrder(KeepAliveClient client, List<Probe> plan) {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            Probe probe = plan.get(i);
            probe.before().run();
            try {
                send(client, probe, probe.deadline(), "request " + i).block();
            } catch (RuntimeException e) {
                failures.add(Exceptions.unwrap(e).getMessage());
            }
        }
        return failures;
    }

    /**
     * Emits the probe's status if it is the planned one, answered within {@code deadline}; else an
     * {@link AssertionError} naming the request.
     */
    private static Mono<Integer> send(KeepAliveClient client, Probe probe, Duration deadline, String which) {
        String what = which + " (" + probe.name() + " " + probe.path() + ")";
        return client.status(probe.path(), probe.authorization(), deadline)
                .onErrorMap(TimeoutException.class, e -> new AssertionError(what + " got no answer within " + deadline))
                .handle((status, sink) -> {
                    if (status == probe.status()) {
                        sink.next(status);
                    } else {
                        sink.error(new AssertionError(what + " answered " + status + ", expected " + probe.status()));
                    }
                });
    }

    /**
     * At least {@value #REQUESTS_PER_START} requests in rounds: each opens with the sequence of the
     * report (no token, RS256, ES256, PS256), then every other kind of answer; every other round adds
     * a new key published and used for the first time, or an unknown {@code kid}: both make the app
     * refetch.
     */
    private List<Probe> mixedPlan() {
        String reused = TestTokens.signedBy(RS_KEY).build();
        return inRounds(REQUESTS_PER_START, round -> {
            List<Probe> probes = new ArrayList<>(List.of(
                    Probe.of("no token", "/api/data", null, 401),
                    Probe.bearer("new RS256 token", "/api/data", TestTokens.signedBy(RS_KEY).build(), 200),
                    Probe.bearer("new ES256 token", "/api/data", TestTokens.signedBy(ES_KEY).build(), 200),
                    Probe.bearer("new PS256 token", "/api/data", TestTokens.signedBy(PS_KEY).build(), 200),
                    Probe.bearer("new EdDSA token", "/api/me", TestTokens.signedBy(ED_KEY).build(), 200),
                    Probe.bearer("reused RS256 token", "/api/data", reused, 200),
                    Probe.bearer("not a JWT", "/api/data", "abc.def.ghi", 401),
                    Probe.of("Bearer without token", "/api/data", "Bearer", 400),
                    Probe.bearer("unsigned token", "/api/admin", UNSIGNED, 401),
                    Probe.bearer("expired token", "/api/data", expired(ES_KEY), 401),
                    Probe.bearer("token without scope admin", "/api/admin", TestTokens.signedBy(ED_KEY).build(), 403),
                    Probe.bearer("token with scope admin", "/api/admin",
                            TestTokens.signedBy(PS_KEY).claim("scope", "read admin").build(), 200),
                    Probe.of("health", "/health", null, 200)));
            if (round % 4 == 0) {
                TestKey key = round % 8 == 0 ? TestKey.ec("es-new-" + round, Curve.P_256) : TestKey.ed25519("ed-new-" + round);
                probes.add(firstUseOfNewKey(key));
            } else if (round % 4 == 2) {
                probes.add(Probe.bearer("unknown kid", "/api/data",
                        TestTokens.signedBy(RS_KEY).header("kid", "nobody-" + round).build(), 401));
            }
            return probes;
        });
    }

    /** At least {@value #REQUESTS_PER_OUTAGE_START} requests while every JWKS fetch fails: tokens 503, the rest as usual. */
    private static List<Probe> outagePlan() {
        return inRounds(REQUESTS_PER_OUTAGE_START, round -> List.of(
                Probe.of("no token", "/api/data", null, 401),
                Probe.bearer("RS256 token", "/api/data", TestTokens.signedBy(RS_KEY).build(), 503),
                Probe.bearer("ES256 token", "/api/admin", TestTokens.signedBy(ES_KEY).build(), 503),
                Probe.bearer("not a JWT", "/api/data", "abc.def.ghi", 401),
                Probe.of("Bearer without token", "/api/data", "Bearer", 400),
                Probe.of("health", "/health", null, 200)));
    }

    /** Forty requests cycled by the soak: each kind of answer, reused tokens, unknown kids. */
    private static List<Probe> soakPlan() {
        return inRounds(40, round -> List.of(
                Probe.of("no token", "/api/data", null, 401),
                Probe.bearer("RS256 token", "/api/data", TestTokens.signedBy(RS_KEY).build(), 200),
                Probe.bearer("ES256 token", "/api/data", TestTokens.signedBy(ES_KEY).build(), 200),
                Probe.bearer("PS256 token", "/api/data", TestTokens.signedBy(PS_KEY).build(), 200),
                Probe.bearer("EdDSA token", "/api/me", TestTokens.signedBy(ED_KEY).build(), 200),
                Probe.bearer("not a JWT", "/api/data", "abc.def.ghi", 401),
                Probe.bearer("token without scope admin", "/api/admin", TestTokens.signedBy(ES_KEY).build(), 403),
                Probe.bearer("token with scope admin", "/api/admin",
                        TestTokens.signedBy(ED_KEY).claim("scope", "admin").build(), 200),
                Probe.bearer("unknown kid", "/api/data", TestTokens.signedBy(ES_KEY).header("kid", "nobody-" + round).build(), 401),
                Probe.of("health", "/health", null, 200)));
    }

    /** Rounds of probes until there are at least {@code requests}; the first round gets the longer deadline. */
    private static List<Probe> inRounds(int requests, IntFunction<List<Probe>> round) {
        List<Probe> plan = new ArrayList<>();
        for (int n = 0; plan.size() < requests; n++) {
            List<Probe> probes = round.apply(n);
            plan.addAll(n == 0 ? probes.stream().map(Probe::firstRound).toList() : probes);
        }
        return plan;
    }

    /** The first token of a key published just before it: the app must refetch to find it. */
    private Probe firstUseOfNewKey(TestKey key) {
        String token = TestTokens.signedBy(key).build();
        return new Probe("first token of new key " + key.kid(), "/api/data", "Bearer " + token, 200, ANSWER_WITHIN, () -> {
            published.add(key);
            publishedJwks.set(TestTokens.jwks(published.toArray(TestKey[]::new)));
        });
    }

    private static String expired(TestKey key) {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        return TestTokens.signedBy(key).claim("iat", past.minus(Duration.ofMinutes(5)).getEpochSecond())
                .claim("exp", past.getEpochSecond()).build();
    }

    /** The JWKS answers with the keys published so far. */
    private void serveKeys() {
        jwks.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().addHeader("Content-Type", "application/json")
                        .body(publishedJwks.get()).build();
            }
        });
    }

    /** The JWKS answers every fetch with a 500. */
    private void failJwks() {
        jwks.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(500).body("down").build();
            }
        });
    }

    /** Waits for the app's warm-up fetch to reach the JWKS, so the plan starts from a known cache. */
    private void awaitWarmUp() throws InterruptedException {
        assertThat(jwks.takeRequest(5, TimeUnit.SECONDS)).as("the warm-up JWKS fetch").isNotNull();
    }

    private RunningExample start(String... options) {
        List<String> args = new ArrayList<>(List.of(
                // Each test stops its app; without this, stopping waits two idle seconds for Netty's loops.
                "--spring.reactor.netty.shutdown-quiet-period=0s",
                // An unknown kid waits for the next fetch the refetch interval allows (2 s by default);
                // these tests bound every answer by a second, so the interval here is shorter.
                "--oauth-jwt.jwks.refetch-interval=100ms",
                "--oauth-jwt.jwks-uri=" + jwks.url("/jwks"),
                "--oauth-jwt.issuer=" + TestTokens.ISSUER,
                "--oauth-jwt.audience=" + TestTokens.AUDIENCE));
        args.addAll(List.of(options));
        return RunningExample.start(args.toArray(String[]::new));
    }
}
