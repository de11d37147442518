package io.github.oauthjwt.webflux.jwks;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import com.nimbusds.jose.JWSAlgorithm;
import io.netty.channel.ChannelOption;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * The signing keys of one authorization server, fetched from its JWKS endpoint and cached in memory.
 *
 * <p>What it promises:
 * <ul>
 *   <li><b>One fetch at a time.</b> Every lookup that needs a fetch while one is in flight shares
 *       it; a fetch is never cancelled because a waiting request went away.</li>
 *   <li><b>Rotation.</b> A token whose {@code kid} is unknown makes the cache refetch at once, if
 *       the refetch budget allows (a token bucket, {@link Builder#refetchLimit}); refetches that find
 *       the new key give their permit back, so random {@code kid}s cannot flood the endpoint while
 *       real rotations keep working.</li>
 *   <li><b>Lifetime.</b> Keys live for a TTL taken from the response's {@code Cache-Control:
 *       max-age} within {@link Builder#ttlBounds bounds} (else {@link Builder#defaultTtl}); a
 *       refresh starts in the background before they expire, and lookups never wait on it.</li>
 *   <li><b>Outages.</b> When a fetch fails (timeout, connection refused, non-2xx, not a JWKS, no
 *       usable key), cached keys keep serving up to {@link Builder#maxStaleness} past their TTL and
 *       fetches are retried with exponential backoff; a WARN is logged once per outage and an INFO on
 *       recovery. Lookups that need keys the cache cannot have answer
 *       {@link KeyResolution.Unavailable} within the fetch timeout, never a wrong verdict.</li>
 * </ul>
 *
 * <p>Thread-safe and non-blocking: lookups of cached keys complete synchronously; fetches run on the
 * HTTP client's event loop. Time is read from the {@link Builder#scheduler scheduler}, so a
 * {@code VirtualTimeScheduler} drives TTLs, backoff, rate limits and timeouts in tests.
 */
public final class JwksKeySource {

    private static final Log log = LogFactory.getLog(JwksKeySource.class);

    /** Reactor's context key for a chain's own handler of errors that arrive after cancellation. */
    private static final String ON_ERROR_DROPPED = "reactor.onErrorDropped.local";
    private static final java.util.function.Consumer<Throwable> DROPPED_AFTER_CANCEL =
            error -> log.debug("Ignoring an error of a cancelled JWKS fetch: " + error);

    private final URI uri;
    private final JwksFetcher fetcher;
    private final JwksParser parser;
    private final RefetchLimiter limiter;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final long defaultTtlMillis;
    private final long minTtlMillis;
    private final long maxTtlMillis;
    private final long maxStalenessMillis;
    private final long initialBackoffMillis;
    private final long maxBackoffMillis;

    private final AtomicReference<CacheState> state = new AtomicReference<>(CacheState.EMPTY);
    private final SingleFlight<Fetched> fetch = new SingleFlight<>();
    private final LongAdder fetches = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();

    private JwksKeySource(Builder builder) {
        this.uri = builder.uri;
        this.scheduler = builder.scheduler;
        this.timeout = builder.timeout;
        this.defaultTtlMillis = builder.defaultTtl.toMillis();
        this.minTtlMillis = builder.minTtl.toMillis();
        this.maxTtlMillis = builder.maxTtl.toMillis();
        this.maxStalenessMillis = builder.maxStaleness.toMillis();
        this.initialBackoffMillis = builder.initialBackoff.toMillis();
        this.maxBackoffMillis = builder.maxBackoff.toMillis();
        this.limiter = new RefetchLimiter(builder.refetchBurst, builder.refetchRefill.toMillis());
        this.parser = new JwksParser(builder.maxKeys);
        WebClient client = builder.webClient != null ? builder.webClient : defaultClient(builder.timeout);
        this.fetcher = new JwksFetcher(builder.uri, client, builder.maxBodyBytes);
    }

    /** A key source for this JWKS endpoint with the default options. */
    public static JwksKeySource fromUri(String uri) {
        return builder(URI.create(uri)).build();
    }

    /** A key source for this JWKS endpoint with the default options. */
    public static JwksKeySource fromUri(URI uri) {
        return builder(uri).build();
    }

    /** Options for a key source of this JWKS endpoint. */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** The JWKS endpoint. */
    public URI uri() {
        return uri;
    }

    /**
     * The cached key for a token, or {@code null} when there is none yet (then call
     * {@link #resolve}). Never waits: it may start a background refresh when the keys are due.
     */
    public @Nullable VerificationKey cachedKey(@Nullable String kid, JWSAlgorithm alg) {
        long now = now();
        CacheState current = state.get();
        if (!current.usable(now, maxStalenessMillis)) {
            return null;
        }
        refreshIfDue(current, now);
        return Objects.requireNonNull(current.keys()).find(kid, alg);
    }

    /**
     * Emits the key for a token's {@code kid} and {@code alg}. Completes at once from the cache when
     * it can; otherwise shares the fetch in flight or starts one (see the class comment for when).
     * Never emits an error: failures are {@link KeyResolution.Missing} (no key fits the token) or
     * {@link KeyResolution.Unavailable} (keys cannot be had right now).
     */
    public Mono<KeyResolution> resolve(@Nullable String kid, JWSAlgorithm alg) {
        return Mono.defer(() -> {
            long now = now();
            CacheState current = state.get();
            if (!current.usable(now, maxStalenessMillis)) {
                return fetchCold(kid, alg, now);
            }
            refreshIfDue(current, now);
            KeySet keys = Objects.requireNonNull(current.keys());
            VerificationKey key = keys.find(kid, alg);
            if (key != null) {
                return Mono.just(key.asResolution());
            }
            misses.increment();
            if (kid == null || keys.hasKid(kid)) {
                // A refetch cannot help: the kid's keys are known, or the token names no kid at all.
                return Mono.just(new KeyResolution.Missing(keys.whyMissing(kid)));
            }
            return refetchForUnknownKid(current, kid, alg, now);
        });
    }

    /**
     * Emits the current keys, fetching them first if none are cached or they went stale: for
     * warming the cache at startup. Emits an error if the fetch fails.
     */
    public Mono<KeySet> keys() {
        return Mono.defer(() -> {
            CacheState current = state.get();
            return current.usable(now(), maxStalenessMillis)
                    ? Mono.just(Objects.requireNonNull(current.keys()))
                    : startFetch();
        });
    }

    /** A snapshot of the cache for logging and metrics. */
    public JwksCacheStats stats() {
        CacheState current = state.get();
        KeySet keys = current.keys();
        boolean everFetched = current.lastAttemptAt() != 0 || keys != null;
        return new JwksCacheStats(uri,
                keys != null ? List.copyOf(keys.kids()) : List.of(),
                everFetched ? Instant.ofEpochMilli(current.lastAttemptAt()) : null,
                everFetched && !current.failing(),
                current.lastFailure(),
                keys != null ? Instant.ofEpochMilli(current.expiresAt()) : null,
                fetches.sum(), failures.sum(), misses.sum(), rateLimited.sum(), fetch.current() != null);
    }

    private Mono<KeyResolution> refetchForUnknownKid(CacheState seen, String kid, JWSAlgorithm alg, long now) {
        Mono<KeySet> running = inFlightKeys();
        if (running != null) {
            return awaitKey(running, kid, alg, Charge.NONE);
        }
        CacheState current = state.get();
        if (current.keys() != seen.keys() && current.keys() != null) {
            // A fetch succeeded since this lookup began: its keys are as new as a refetch would give.
            VerificationKey key = current.keys().find(kid, alg);
            return Mono.just(key != null ? key.asResolution() : new KeyResolution.Missing(current.keys().whyMissing(kid)));
        }
        if (current.failing() && now < current.nextAttemptAt()) {
            return Mono.just(unavailable(current, now));
        }
        if (!limiter.tryAcquire(now)) {
            if (current.failing()) {
                return Mono.just(unavailable(current, now));
            }
            rateLimited.increment();
            if (log.isDebugEnabled()) {
                log.debug("Not refetching " + uri + " for an unknown kid: the refetch rate limit is reached");
            }
            return Mono.just(new KeyResolution.Missing(KeyResolution.Reason.UNKNOWN_KID));
        }
        return awaitKey(startFetch(), kid, alg, Charge.REFUND_IF_FOUND);
    }

    private Mono<KeyResolution> fetchCold(@Nullable String kid, JWSAlgorithm alg, long now) {
        Mono<KeySet> running = inFlightKeys();
        if (running != null) {
            return awaitKey(running, kid, alg, Charge.NONE);
        }
        CacheState current = state.get();
        if (current.usable(now, maxStalenessMillis)) {
            return resolve(kid, alg);
        }
        if (now < current.nextAttemptAt()) {
            return Mono.just(unavailable(current, now));
        }
        return awaitKey(startFetch(), kid, alg, Charge.IF_MISSING);
    }

    /** How a lookup that waited on a fetch settles with the refetch budget. */
    private enum Charge { NONE, REFUND_IF_FOUND, IF_MISSING }

    private Mono<KeyResolution> awaitKey(Mono<KeySet> fetch, @Nullable String kid, JWSAlgorithm alg, Charge charge) {
        return fetch.<KeyResolution>map(keys -> {
            VerificationKey key = keys.find(kid, alg);
            if (key != null) {
                if (charge == Charge.REFUND_IF_FOUND) {
                    limiter.refund();
                }
                return key.asResolution();
            }
            if (charge == Charge.IF_MISSING && kid != null) {
                limiter.charge(now());
            }
            return new KeyResolution.Missing(keys.whyMissing(kid));
        }).onErrorResume(error -> Mono.just(unavailable(state.get(), now())));
    }

    private @Nullable Mono<KeySet> inFlightKeys() {
        Mono<Fetched> running = fetch.current();
        return running != null ? running.map(Fetched::keys) : null;
    }

    private KeyResolution.Unavailable unavailable(CacheState current, long now) {
        long wait = Math.max(1000, current.nextAttemptAt() - now);
        return new KeyResolution.Unavailable(Duration.ofMillis(wait), current.lastFailure());
    }

    private void refreshIfDue(CacheState current, long now) {
        if (now >= current.refreshAt() && now >= current.nextAttemptAt() && fetch.current() == null) {
            startFetch();
        }
    }

    /** Returns the fetch in flight, starting one if there is none. */
    private Mono<KeySet> startFetch() {
        Mono<Fetched> running = fetch.current();
        return (running != null ? running : fetch.join(this::fetchOnce, this::settle))
                .map(Fetched::keys)
                .onErrorMap(FetchFailure.class, Throwable::getCause);
    }

    private Mono<Fetched> fetchOnce() {
        fetches.increment();
        long started = now();
        // Keys the refetch did not change stay the same instances, so tokens they verified stay remembered.
        return fetcher.fetch()
                .map(response -> new Fetched(parser.parse(response.body()).reusingUnchangedKeysOf(state.get().keys()),
                        response, started))
                .timeout(timeout, scheduler)
                // A timed-out fetch may still fail while its body is released; that late error is expected.
                .contextWrite(context -> context.put(ON_ERROR_DROPPED, DROPPED_AFTER_CANCEL))
                .onErrorMap(error -> new FetchFailure(error, started));
    }

    private void settle(@Nullable Fetched fetched, @Nullable Throwable error) {
        if (fetched != null) {
            succeeded(fetched, fetched.started());
        } else if (error instanceof FetchFailure failure) {
            failed(failure.getCause(), failure.started);
        }
    }

    /** A failed fetch with when it started, for the log line. */
    private static final class FetchFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient long started;

        FetchFailure(Throwable cause, long started) {
            super(cause.toString(), cause, false, false);
            this.started = started;
        }
    }

    private record Fetched(KeySet keys, JwksFetcher.Response response, long started) {
    }

    private void succeeded(Fetched fetched, long started) {
        long now = now();
        CacheState previous = state.get();
        long ttl = ttlMillis(fetched.response().maxAge());
        state.set(CacheState.fetched(fetched.keys(), now, ttl));
        if (previous.failing()) {
            log.info("JWKS endpoint " + uri + " recovered after " + previous.consecutiveFailures()
                    + " failed fetch(es)");
        }
        if (log.isInfoEnabled()) {
            log.info("Fetched JWKS from " + uri + ": HTTP " + fetched.response().status() + ", "
                    + fetched.keys().size() + " usable key(s), " + (now - started) + " ms, cached for "
                    + (ttl / 1000) + " s");
        }
    }

    private void failed(Throwable error, long started) {
        failures.increment();
        long now = now();
        CacheState previous = state.get();
        long backoff = backoffMillis(previous.consecutiveFailures() + 1);
        String reason = describe(error);
        CacheState next = previous.failed(now, backoff, reason);
        state.set(next);
        if (!previous.failing()) {
            String serving = next.usable(now, maxStalenessMillis)
                    ? "serving the " + Objects.requireNonNull(next.keys()).size() + " cached key(s) until "
                            + Instant.ofEpochMilli(next.expiresAt() + maxStalenessMillis) + " at the latest"
                    : "no keys are cached, so tokens are answered 503 until it recovers";
            log.warn("JWKS fetch from " + uri + " failed after " + (now - started) + " ms (" + reason + "); "
                    + serving + "; retrying with backoff");
        } else if (log.isDebugEnabled()) {
            log.debug("JWKS fetch from " + uri + " failed again (" + reason + "); next try in " + backoff + " ms");
        }
    }

    private String describe(Throwable error) {
        if (error instanceof TimeoutException) {
            return "no complete response within " + timeout.toMillis() + " ms";
        }
        if (error instanceof JwksFetchException) {
            return error.getMessage();
        }
        if (error instanceof WebClientRequestException request) {
            return "could not reach the endpoint: " + request.getMostSpecificCause().getClass().getSimpleName();
        }
        return error.getClass().getSimpleName();
    }

    private long ttlMillis(@Nullable Duration maxAge) {
        if (maxAge == null) {
            return defaultTtlMillis;
        }
        return Math.max(minTtlMillis, Math.min(maxTtlMillis, maxAge.toMillis()));
    }

    private long backoffMillis(int failures) {
        int doublings = Math.min(failures - 1, 30);
        return Math.min(maxBackoffMillis, initialBackoffMillis << doublings);
    }

    private long now() {
        return scheduler.now(TimeUnit.MILLISECONDS);
    }

    private static WebClient defaultClient(Duration timeout) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .responseTimeout(timeout);
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    /**
     * Options of a {@link JwksKeySource}, validated by {@link #build()}. Every option has a default
     * named by a constant.
     */
    public static final class Builder {

        /** Default fetch timeout, connect and response together. */
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
        /** Default key TTL when the response has no {@code Cache-Control: max-age}. */
        public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
        /** Default lower bound of a TTL taken from {@code max-age}. */
        public static final Duration DEFAULT_MIN_TTL = Duration.ofSeconds(30);
        /** Default upper bound of a TTL taken from {@code max-age}. */
        public static final Duration DEFAULT_MAX_TTL = Duration.ofHours(24);
        /** Default time cached keys keep serving past their TTL while fetches fail. */
        public static final Duration DEFAULT_MAX_STALENESS = Duration.ofHours(1);
        /** Default refetches for unknown kids allowed in a burst. */
        public static final int DEFAULT_REFETCH_BURST = 2;
        /** Default time to regain one refetch permit. */
        public static final Duration DEFAULT_REFETCH_REFILL = Duration.ofSeconds(10);
        /** Default first wait after a failed fetch; it doubles with each further failure. */
        public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
        /** Default longest wait between failed fetches. */
        public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
        /** Default largest JWKS body accepted, in bytes. */
        public static final int DEFAULT_MAX_BODY_BYTES = 512 * 1024;
        /** Default largest number of keys a JWKS may list. */
        public static final int DEFAULT_MAX_KEYS = 100;

        private final URI uri;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration defaultTtl = DEFAULT_TTL;
        private Duration minTtl = DEFAULT_MIN_TTL;
        private Duration maxTtl = DEFAULT_MAX_TTL;
        private Duration maxStaleness = DEFAULT_MAX_STALENESS;
        private int refetchBurst = DEFAULT_REFETCH_BURST;
        private Duration refetchRefill = DEFAULT_REFETCH_REFILL;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxKeys = DEFAULT_MAX_KEYS;
        private Scheduler scheduler = Schedulers.parallel();
        private @Nullable WebClient webClient;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /** The longest a fetch may take, connecting and reading included; a waiting request waits no longer. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The key TTL when the JWKS response does not say {@code Cache-Control: max-age}. */
        public Builder defaultTtl(Duration ttl) {
            this.defaultTtl = Objects.requireNonNull(ttl, "defaultTtl");
            return this;
        }

        /** The bounds within which the response's {@code max-age} is honoured as the TTL. */
        public Builder ttlBounds(Duration min, Duration max) {
            this.minTtl = Objects.requireNonNull(min, "min TTL");
            this.maxTtl = Objects.requireNonNull(max, "max TTL");
            return this;
        }

        /** How long past their TTL cached keys keep serving while fetches fail. */
        public Builder maxStaleness(Duration maxStaleness) {
            this.maxStaleness = Objects.requireNonNull(maxStaleness, "maxStaleness");
            return this;
        }

        /**
         * The refetch budget for unknown {@code kid}s: at most {@code burst} at once, one more per
         * {@code refill}. A refetch that finds its key does not use the budget.
         */
        public Builder refetchLimit(int burst, Duration refill) {
            this.refetchBurst = burst;
            this.refetchRefill = Objects.requireNonNull(refill, "refill");
            return this;
        }

        /** The wait after a failed fetch, doubling per failure up to {@code max}. */
        public Builder retryBackoff(Duration initial, Duration max) {
            this.initialBackoff = Objects.requireNonNull(initial, "initial backoff");
            this.maxBackoff = Objects.requireNonNull(max, "max backoff");
            return this;
        }

        /** The largest JWKS body accepted, in bytes. */
        public Builder maxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** The largest number of keys a JWKS may list. */
        public Builder maxKeys(int maxKeys) {
            this.maxKeys = maxKeys;
            return this;
        }

        /** The scheduler for timeouts and the clock of TTLs, backoff and rate limits. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The client to fetch with (for proxies or TLS settings); the body-size cap is applied to it. */
        public Builder webClient(WebClient webClient) {
            this.webClient = Objects.requireNonNull(webClient, "webClient");
            return this;
        }

        /**
         * A key source with these options.
         *
         * @throws IllegalArgumentException naming the option that is out of range or contradicts another
         */
        public JwksKeySource build() {
            String scheme = uri.getScheme();
            require("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme),
                    "uri must be an absolute http or https URI, not '" + uri + "'");
            requirePositive(timeout, "timeout");
            requirePositive(minTtl, "min TTL");
            require(minTtl.compareTo(maxTtl) <= 0, "min TTL must not be longer than max TTL");
            require(defaultTtl.compareTo(minTtl) >= 0 && defaultTtl.compareTo(maxTtl) <= 0,
                    "defaultTtl must lie within the TTL bounds");
            require(!maxStaleness.isNegative(), "maxStaleness must not be negative");
            require(refetchBurst >= 1, "refetch burst must be at least 1");
            requirePositive(refetchRefill, "refetch refill");
            requirePositive(initialBackoff, "initial backoff");
            require(initialBackoff.compareTo(maxBackoff) <= 0, "initial backoff must not be longer than max backoff");
            require(maxBodyBytes >= 1024, "maxBodyBytes must be at least 1024");
            require(maxKeys >= 1, "maxKeys must be at least 1");
            return new JwksKeySource(this);
        }

        private static void requirePositive(Duration duration, String name) {
            require(!duration.isNegative() && !duration.isZero(), name + " must be positive");
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
