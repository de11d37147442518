package io.github.oauthjwt.webflux.jwks;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import com.nimbusds.jose.JWSAlgorithm;
import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The engine behind {@link JwksKeySource}: the cached keys, the one fetch in flight, the lookups
 * that wait for the next fetch, and the events all of it announces. See {@link JwksKeySource} for
 * what it promises; {@link KeyTimings} and {@link RefetchPolicy} hold the arithmetic it follows.
 * Thread-safe and lock-free; it never blocks.
 */
final class KeyCache {

    private final URI uri;
    private final JwksFetcher fetcher;
    private final JwksParser parser;
    private final KeyTimings timings;
    private final RefetchPolicy policy;
    private final Duration timeout;
    private final Scheduler scheduler;
    private final JwksListeners listeners;

    private final AtomicReference<CacheState> state = new AtomicReference<>(CacheState.EMPTY);
    private final SingleFlight<Fetched> fetch = new SingleFlight<>();
    private final UnknownKids unknownKids = new UnknownKids();
    private final NextFetch nextFetch;
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile long lastStartedAt = Long.MIN_VALUE;
    private final AtomicLong fetchesStarted = new AtomicLong();
    private volatile long inFlightNumber;

    private final LongAdder failures = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder deferred = new LongAdder();
    private final LongAdder turnedAway = new LongAdder();

    KeyCache(URI uri, JwksFetcher fetcher, JwksParser parser, KeyTimings timings, RefetchPolicy policy,
            Duration timeout, Scheduler scheduler, JwksListeners listeners) {
        this.uri = uri;
        this.fetcher = fetcher;
        this.parser = parser;
        this.timings = timings;
        this.policy = policy;
        this.timeout = timeout;
        this.scheduler = scheduler;
        this.listeners = listeners;
        this.nextFetch = new NextFetch(scheduler, this::now, fetch::current, this::earliestNextStart,
                () -> startFetch(true));
    }

    @Nullable VerificationKey cachedKey(@Nullable String kid, JWSAlgorithm alg) {
        long now = now();
        CacheState current = state.get();
        if (!current.usable(now, timings.maxStalenessMillis())) {
            return null;
        }
        refreshIfDue(current, now);
        return Objects.requireNonNull(current.keys()).find(kid, alg);
    }

    Mono<KeyResolution> resolve(@Nullable String kid, JWSAlgorithm alg) {
        return Mono.defer(() -> {
            long now = now();
            CacheState current = state.get();
            if (!current.usable(now, timings.maxStalenessMillis())) {
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
            return lookUpUnknownKid(current, kid, alg, now);
        });
    }

    Mono<KeySet> keys() {
        return Mono.defer(() -> {
            CacheState current = state.get();
            return current.usable(now(), timings.maxStalenessMillis())
                    ? Mono.just(Objects.requireNonNull(current.keys()))
                    : startFetch(false);
        });
    }

    JwksCacheStats stats() {
        long now = now();
        CacheState current = state.get();
        KeySet keys = current.keys();
        JwksCacheStats.Freshness freshness = !current.usable(now, timings.maxStalenessMillis())
                ? JwksCacheStats.Freshness.UNAVAILABLE
                : now < current.expiresAt() ? JwksCacheStats.Freshness.FRESH : JwksCacheStats.Freshness.STALE;
        boolean everFetched = current.lastAttemptAt() != 0 || keys != null;
        return new JwksCacheStats(uri,
                keys != null ? List.copyOf(keys.kids()) : List.of(),
                everFetched ? Instant.ofEpochMilli(current.lastAttemptAt()) : null,
                everFetched && !current.failing(),
                current.lastFailure(),
                keys != null ? Instant.ofEpochMilli(current.expiresAt()) : null,
                fetchesStarted.get(), failures.sum(), misses.sum(), deferred.sum(), waiting.get(), turnedAway.sum(),
                fetch.current() != null, freshness,
                keys != null ? Instant.ofEpochMilli(current.refreshAt()) : null,
                keys != null ? Instant.ofEpochMilli(current.expiresAt() + timings.maxStalenessMillis()) : null);
    }

    /** Seconds since the last successful fetch ended, on the cache's clock; NaN before the first. */
    double secondsSinceLastSuccess() {
        CacheState current = state.get();
        return current.keys() == null ? Double.NaN : (now() - current.lastSuccessAt()) / 1000.0;
    }

    /**
     * A {@code kid} no cached key has: answered by the first fetch that started after it was first
     * seen, be it in flight, already done, or the next one the refetch interval allows.
     */
    private Mono<KeyResolution> lookUpUnknownKid(CacheState seenState, String kid, JWSAlgorithm alg,
            long now) {
        long firstSeen = unknownKids.sight(kid, fetchesStarted.get(), seenState.previousFetchNumber());
        CacheState current = state.get();
        if (current.keys() != null && current.fetchNumber() > firstSeen) {
            // A fetch that started after the kid was first seen has completed: its keys are the answer.
            VerificationKey key = current.keys().find(kid, alg);
            return Mono.just(key != null ? key.asResolution() : new KeyResolution.Missing(current.keys().whyMissing(kid)));
        }
        Mono<Fetched> running = fetch.current();
        if (running != null && inFlightNumber > firstSeen) {
            return awaitKey(running.map(Fetched::keys), kid, alg);
        }
        if (current.backingOff(now)) {
            return Mono.just(unavailable(current, now));
        }
        return awaitNextFetch(kid, alg, now);
    }

    private Mono<KeyResolution> awaitNextFetch(String kid, JWSAlgorithm alg, long now) {
        if (waiting.incrementAndGet() > policy.maxWaitingLookups()) {
            waiting.decrementAndGet();
            turnedAway.increment();
            announce(new JwksEvent.WaitingLookupsFull(uri, policy.maxWaitingLookups()));
            return Mono.just(new KeyResolution.Missing(KeyResolution.Reason.UNKNOWN_KID));
        }
        long startAt = policy.nextStart(lastStartedAt, now);
        if (startAt > now || fetch.current() != null) {
            deferred.increment();
            announce(new JwksEvent.RefetchDeferred(uri, Duration.ofMillis(Math.max(0, startAt - now))));
        }
        Mono<KeySet> next = nextFetch.join();
        // Counted out before the answer goes on (awaitKey never errs), or when the wait is given up.
        return awaitKey(next, kid, alg)
                .doOnSuccess(answer -> waiting.decrementAndGet())
                .doOnCancel(waiting::decrementAndGet)
                .timeout(policy.interval().plus(timeout),
                        Mono.fromSupplier(() -> unavailable(state.get(), now())), scheduler);
    }

    private Mono<KeyResolution> awaitKey(Mono<KeySet> keys, @Nullable String kid, JWSAlgorithm alg) {
        return keys.<KeyResolution>map(found -> {
            VerificationKey key = found.find(kid, alg);
            return key != null ? key.asResolution() : new KeyResolution.Missing(found.whyMissing(kid));
        }).onErrorResume(error -> Mono.just(unavailable(state.get(), now())));
    }

    /** When the next fetch may start: the refetch interval after the last start, and not while backing off. */
    private long earliestNextStart() {
        long now = now();
        long startAt = policy.nextStart(lastStartedAt, now);
        CacheState current = state.get();
        return current.backingOff(now) ? Math.max(startAt, current.nextAttemptAt()) : startAt;
    }

    private Mono<KeyResolution> fetchCold(@Nullable String kid, JWSAlgorithm alg, long now) {
        Mono<Fetched> running = fetch.current();
        if (running != null) {
            return awaitKey(running.map(Fetched::keys), kid, alg);
        }
        CacheState current = state.get();
        if (current.usable(now, timings.maxStalenessMillis())) {
            return resolve(kid, alg);
        }
        if (now < current.nextAttemptAt()) {
            return Mono.just(unavailable(current, now));
        }
        return awaitKey(startFetch(false), kid, alg);
    }

    private KeyResolution.Unavailable unavailable(CacheState current, long now) {
        long wait = Math.max(1000, current.nextAttemptAt() - now);
        return new KeyResolution.Unavailable(Duration.ofMillis(wait), current.lastFailure());
    }

    private void refreshIfDue(CacheState current, long now) {
        if (now >= current.refreshAt() && now >= current.nextAttemptAt() && fetch.current() == null) {
            startFetch(false);
        }
    }

    /** Returns the fetch in flight, starting one (for an unknown {@code kid}, or for due keys) if there is none. */
    private Mono<KeySet> startFetch(boolean forUnknownKid) {
        Mono<Fetched> running = fetch.current();
        return (running != null ? running : fetch.join(() -> fetchOnce(forUnknownKid), this::settle))
                .map(Fetched::keys)
                .onErrorMap(FetchFailure.class, Throwable::getCause);
    }

    private Mono<Fetched> fetchOnce(boolean forUnknownKid) {
        long started = now();
        FetchTrigger trigger = state.get().trigger(started, forUnknownKid);
        long number = fetchesStarted.incrementAndGet();
        inFlightNumber = number;
        lastStartedAt = started;
        Sinks.One<KeySet> waiters = nextFetch.take();
        announce(new JwksEvent.FetchStarted(uri, trigger));
        // Subscribed here and never cancelled: a fetch that times out is left to the HTTP client's own
        // timeouts, so a late failure of it reaches this subscriber instead of Reactor's dropped-error hook.
        Sinks.One<Fetched> result = Sinks.one();
        fetcher.fetch()
                .map(response -> new Fetched(parser.parse(response.body()).reusingUnchangedKeysOf(state.get().keys()),
                        response, number, started, waiters))
                .subscribe(result::tryEmitValue, result::tryEmitError);
        return result.asMono()
                .timeout(timeout, scheduler)
                .onErrorMap(error -> new FetchFailure(error, started, waiters));
    }

    private void settle(@Nullable Fetched fetched, @Nullable Throwable error) {
        if (fetched != null) {
            succeeded(fetched);
            if (fetched.waiters() != null) {
                fetched.waiters().tryEmitValue(fetched.keys());
            }
        } else if (error instanceof FetchFailure failure) {
            failed(failure.getCause(), failure.started);
            if (failure.waiters != null) {
                failure.waiters.tryEmitError(failure.getCause());
            }
        }
    }

    private void succeeded(Fetched fetched) {
        long now = now();
        CacheState previous = state.get();
        long ttl = timings.ttlMillis(fetched.response().maxAge());
        state.set(previous.fetched(fetched.keys(), fetched.number(), now, ttl));
        if (previous.failing()) {
            announce(new JwksEvent.OutageEnded(uri, previous.consecutiveFailures()));
        }
        announce(new JwksEvent.FetchSucceeded(uri, fetched.response().status(), fetched.keys().size(),
                Duration.ofMillis(now - fetched.started()), Duration.ofMillis(ttl)));
        Set<String> before = previous.keys() != null ? new LinkedHashSet<>(previous.keys().kids()) : Set.of();
        Set<String> after = new LinkedHashSet<>(fetched.keys().kids());
        if (!before.equals(after)) {
            Set<String> added = new LinkedHashSet<>(after);
            added.removeAll(before);
            Set<String> removed = new LinkedHashSet<>(before);
            removed.removeAll(after);
            removed.forEach(kid -> unknownKids.dropped(kid, fetched.number()));
            announce(new JwksEvent.KeySetChanged(uri, Set.copyOf(added), Set.copyOf(removed)));
        }
    }

    private void failed(Throwable error, long started) {
        failures.increment();
        long now = now();
        CacheState previous = state.get();
        long backoff = timings.backoffMillis(previous.consecutiveFailures() + 1);
        String reason = describe(error);
        CacheState next = previous.failed(now, backoff, reason);
        state.set(next);
        Duration elapsed = Duration.ofMillis(now - started);
        announce(new JwksEvent.FetchFailed(uri, reason, elapsed, next.consecutiveFailures(), Duration.ofMillis(backoff)));
        if (!previous.failing()) {
            boolean serving = next.usable(now, timings.maxStalenessMillis());
            announce(new JwksEvent.OutageBegan(uri, reason, elapsed,
                    serving ? Objects.requireNonNull(next.keys()).size() : 0,
                    serving ? Instant.ofEpochMilli(next.expiresAt() + timings.maxStalenessMillis()) : null));
        }
    }

    private void announce(JwksEvent event) {
        listeners.announce(event);
    }

    private String describe(Throwable error) {
        return describe(error, timeout);
    }

    /** Why a fetch failed, in words fit for a log: never a response body, never a stack trace. */
    static String describe(Throwable error, Duration timeout) {
        if (error instanceof TimeoutException || error instanceof io.netty.handler.timeout.TimeoutException) {
            // Ours or the HTTP client's own response timeout, whichever fired first: the same timeout.
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

    private long now() {
        return scheduler.now(TimeUnit.MILLISECONDS);
    }

    /** A fetch's keys with what it needs to settle: the response, when it started, and who waits for it. */
    private record Fetched(KeySet keys, HttpDocuments.Response response, long number, long started,
            Sinks.@Nullable One<KeySet> waiters) {
    }

    /** A failed fetch with when it started and who waits for it. */
    private static final class FetchFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient long started;
        private final transient Sinks.@Nullable One<KeySet> waiters;

        FetchFailure(Throwable cause, long started, Sinks.@Nullable One<KeySet> waiters) {
            super(cause.toString(), cause, false, false);
            this.started = started;
            this.waiters = waiters;
        }
    }
}
