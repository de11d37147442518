package io.github.oauthjwt.webflux.jwks;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.nimbusds.jose.JWSAlgorithm;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
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
 *   <li><b>Rotation is never refused for lack of a permit.</b> A token whose {@code kid} no cached
 *       key has is answered by the first fetch that started after that {@code kid} was first seen:
 *       the one in flight if it started since, else the next one. That next fetch starts as soon as
 *       the {@linkplain Builder#refetchInterval refetch interval} (default
 *       {@value Builder#DEFAULT_REFETCH_INTERVAL_SECONDS} s) has passed since the last fetch began,
 *       and every lookup waiting meanwhile shares it. So a key published a moment ago is accepted
 *       for its very first token, whatever noise came before.</li>
 *   <li><b>Refetches are bounded by time.</b> Fetches for unknown {@code kid}s start at most once
 *       per interval: N seconds of random {@code kid}s cost at most N / interval + 1 requests. A
 *       {@code kid} that a fetch started after its first sighting did not hold is answered at once
 *       (no key) until another fetch completes, so repeating one bogus {@code kid} holds no
 *       connection. At most {@link Builder#maxWaitingLookups} lookups wait at once (default
 *       {@value Builder#DEFAULT_MAX_WAITING_LOOKUPS}); further ones are answered at once. A lookup
 *       waits at most the interval plus the fetch timeout, and never blocks a thread.</li>
 *   <li><b>Lifetime.</b> Keys live for a TTL taken from the response's {@code Cache-Control:
 *       max-age} within {@link Builder#ttlBounds bounds} (else {@link Builder#defaultTtl}); a
 *       refresh starts in the background before they expire, and lookups never wait on it. A key
 *       the JWKS no longer lists stops verifying as soon as the fetch that dropped it completes.</li>
 *   <li><b>Outages.</b> When a fetch fails (timeout, connection refused, non-2xx, not a JWKS, no
 *       usable key), cached keys keep serving up to {@link Builder#maxStaleness} past their TTL and
 *       fetches are retried with exponential backoff. Lookups that need keys the cache cannot have
 *       answer {@link KeyResolution.Unavailable} within the fetch timeout, never a wrong verdict.</li>
 *   <li><b>Events.</b> Fetches, failures, outages, deferred lookups and key-set changes are
 *       announced as {@link JwksEvent}s to the {@link Builder#listener listeners}; the built-in one
 *       logs them (one INFO per fetch, one WARN per outage).</li>
 * </ul>
 *
 * <p>Why a 2-second interval: a rotated key then serves its first token within about 2 s plus one
 * fetch, which clients ride out; and the noisiest stream of bogus {@code kid}s costs the
 * authorization server one request every 2 s, which no JWKS endpoint notices. A longer interval
 * (panva's jose waits 30 s) makes fresh tokens wait or fail; a token bucket (this library until
 * 0.1, nimbus, jwks-rsa) lets a few bogus {@code kid}s spend the budget a real rotation needs.
 *
 * <p>Thread-safe and non-blocking: lookups of cached keys complete synchronously; fetches run on the
 * HTTP client's event loop. Time is read from the {@link Builder#scheduler scheduler}, so a
 * {@code VirtualTimeScheduler} drives TTLs, backoff, the refetch interval and timeouts in tests.
 */
public final class JwksKeySource {

    private final URI uri;
    private final KeyCache cache;

    private JwksKeySource(Builder builder, KeyTimings timings, RefetchPolicy policy) {
        this.uri = builder.uri;
        WebClient client = builder.webClient != null ? builder.webClient : defaultClient(builder.timeout);
        List<JwksListener> all = new ArrayList<>();
        all.add(new JwksLog());
        if (builder.observationRegistry != null) {
            all.add(new JwksFetchObservations(builder.uri, builder.observationRegistry));
        }
        all.addAll(builder.listeners);
        JwksListeners listeners = new JwksListeners(all);
        HttpDocuments documents = new HttpDocuments(client, builder.maxBodyBytes);
        JwksLocation location = builder.discover
                ? new IssuerMetadataCache(builder.uri, documents, timings, builder.timeout, builder.scheduler, listeners)
                : JwksLocation.fixed(builder.uri);
        this.cache = new KeyCache(builder.uri, new JwksFetcher(location, documents), new JwksParser(builder.maxKeys),
                timings, policy, builder.timeout, builder.scheduler, listeners);
    }

    /**
     * A key source for this issuer's keys with the default options; their endpoint is the
     * {@code jwks_uri} of the issuer's metadata. See {@link #forIssuer}.
     */
    public static JwksKeySource fromIssuer(String issuer) {
        return forIssuer(URI.create(issuer)).build();
    }

    /**
     * Options for a key source that finds the JWKS endpoint in the issuer's metadata (RFC 8414,
     * OpenID Connect Discovery): at {@code {issuer}/.well-known/openid-configuration}, else
     * {@code {origin}/.well-known/oauth-authorization-server{path}}, else
     * {@code {origin}/.well-known/openid-configuration{path}}. The document must name exactly this
     * issuer. It is read on the first key fetch (or {@link #keys()} warm-up), never at build time;
     * it is kept for a TTL like the keys and read again in the background, and a failed read keeps
     * the endpoint read before. Until a first read succeeds, lookups answer
     * {@link KeyResolution.Unavailable}.
     *
     * @param issuer the issuer identifier, exactly as tokens carry it in {@code iss}
     */
    public static Builder forIssuer(URI issuer) {
        return new Builder(issuer, true);
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
        return new Builder(uri, false);
    }

    /** The JWKS endpoint, or for a key source made {@link #forIssuer for an issuer}, the issuer. */
    public URI uri() {
        return uri;
    }

    /**
     * The cached key for a token, or {@code null} when there is none yet (then call
     * {@link #resolve}). Never waits: it may start a background refresh when the keys are due.
     */
    public @Nullable VerificationKey cachedKey(@Nullable String kid, JWSAlgorithm alg) {
        return cache.cachedKey(kid, alg);
    }

    /**
     * Emits the key for a token's {@code kid} and {@code alg}. Completes at once from the cache when
     * it can; otherwise shares the fetch in flight, or waits for the next one (see the class comment
     * for when). Never emits an error: failures are {@link KeyResolution.Missing} (no key fits the
     * token) or {@link KeyResolution.Unavailable} (keys cannot be had right now).
     */
    public Mono<KeyResolution> resolve(@Nullable String kid, JWSAlgorithm alg) {
        return cache.resolve(kid, alg);
    }

    /**
     * Emits the current keys, fetching them first if none are cached or they went stale: for
     * warming the cache at startup. Emits an error if the fetch fails.
     */
    public Mono<KeySet> keys() {
        return cache.keys();
    }

    /** A snapshot of the cache for logging and health checks. */
    public JwksCacheStats stats() {
        return cache.stats();
    }

    /** Seconds since the last successful fetch ended, on the key source's clock; NaN before the first: for {@link JwksMetrics}. */
    double secondsSinceLastSuccess() {
        return cache.secondsSinceLastSuccess();
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
        /** Default shortest time between the starts of fetches for unknown kids, in seconds. */
        public static final long DEFAULT_REFETCH_INTERVAL_SECONDS = 2;
        /** Default shortest time between the starts of fetches for unknown kids. */
        public static final Duration DEFAULT_REFETCH_INTERVAL = Duration.ofSeconds(DEFAULT_REFETCH_INTERVAL_SECONDS);
        /**
         * Default most lookups that may wait for a fetch at once: far more than the first tokens of
         * a rotation arriving together, and each holds only a pending request for a few seconds.
         */
        public static final int DEFAULT_MAX_WAITING_LOOKUPS = 1000;
        /** Default first wait after a failed fetch; it doubles with each further failure. */
        public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
        /** Default longest wait between failed fetches. */
        public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
        /** Default largest JWKS body accepted, in bytes. */
        public static final int DEFAULT_MAX_BODY_BYTES = 512 * 1024;
        /** Default largest number of keys a JWKS may list. */
        public static final int DEFAULT_MAX_KEYS = 100;

        private final URI uri;
        private final boolean discover;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration defaultTtl = DEFAULT_TTL;
        private Duration minTtl = DEFAULT_MIN_TTL;
        private Duration maxTtl = DEFAULT_MAX_TTL;
        private Duration maxStaleness = DEFAULT_MAX_STALENESS;
        private Duration refetchInterval = DEFAULT_REFETCH_INTERVAL;
        private int maxWaitingLookups = DEFAULT_MAX_WAITING_LOOKUPS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxKeys = DEFAULT_MAX_KEYS;
        private Scheduler scheduler = Schedulers.parallel();
        private @Nullable WebClient webClient;
        private final List<JwksListener> listeners = new ArrayList<>();
        private @Nullable ObservationRegistry observationRegistry;

        private Builder(URI uri, boolean discover) {
            this.uri = Objects.requireNonNull(uri, discover ? "issuer" : "uri");
            this.discover = discover;
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
         * The shortest time between the starts of two fetches made for unknown {@code kid}s; a
         * lookup that needs one sooner waits for it.
         */
        public Builder refetchInterval(Duration interval) {
            this.refetchInterval = Objects.requireNonNull(interval, "refetchInterval");
            return this;
        }

        /** How many lookups may wait for a fetch at once; further ones are answered at once. */
        public Builder maxWaitingLookups(int maxWaitingLookups) {
            this.maxWaitingLookups = maxWaitingLookups;
            return this;
        }

        /** Also tell this listener of every {@link JwksEvent}, after the built-in logging one. */
        public Builder listener(JwksListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Observe each fetch in this registry (README.md, "Metrics and traces"): one
         * {@code oauth.jwks.fetch} observation per JWKS request, with the low-cardinality keys
         * {@code outcome} ({@code success}, {@code failure}), {@code trigger} (a {@link FetchTrigger})
         * and {@code source} (the endpoint, or the issuer). For the cache's gauges see {@link JwksMetrics}.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "observationRegistry");
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

        /** The scheduler for timeouts and the clock of TTLs, backoff and the refetch interval. */
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
            String name = discover ? "issuer" : "uri";
            require(("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) && uri.getRawAuthority() != null,
                    name + " must be an absolute http or https URI, not '" + uri + "'");
            require(!discover || (uri.getRawQuery() == null && uri.getRawFragment() == null),
                    "issuer must have no query and no fragment (RFC 8414 §2), not '" + uri + "'");
            KeyTimings.requirePositive(timeout, "timeout");
            KeyTimings timings = new KeyTimings(defaultTtl, minTtl, maxTtl, maxStaleness, initialBackoff, maxBackoff);
            RefetchPolicy policy = new RefetchPolicy(refetchInterval, maxWaitingLookups);
            require(maxBodyBytes >= 1024, "maxBodyBytes must be at least 1024");
            require(maxKeys >= 1, "maxKeys must be at least 1");
            return new JwksKeySource(this, timings, policy);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
