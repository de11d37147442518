package io.github.oauthjwt.webflux.jwks;

import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Finds an issuer's JWKS endpoint in its metadata (RFC 8414, OpenID Connect Discovery 1.0) and
 * keeps it.
 *
 * <p>The metadata is looked for at {@link #locations these places, in this order}; a 4xx answer, or
 * a 2xx answer that is not a JSON object, moves on to the next. The first document found must name
 * exactly the configured issuer (RFC 8414 §3.3) and an absolute {@code jwks_uri} (https when the
 * issuer is https); otherwise discovery fails, whatever the other places hold.
 *
 * <p>Lazy and non-blocking: nothing is read until the first key fetch needs the endpoint. The
 * metadata is kept for a TTL taken from its {@code Cache-Control: max-age}, like the keys. Once
 * it is past that, the endpoint read before keeps being used while the metadata is read again in
 * the background, so key fetches never wait on it after the first success, and a failed re-read
 * keeps the last good endpoint. Failures are never cached: the next key fetch tries again, at the
 * pace the key cache's backoff and refetch interval allow. One read at a time; it times out.
 */
final class IssuerMetadataCache implements JwksLocation {

    private static final MediaType[] METADATA_TYPES = {MediaType.APPLICATION_JSON};

    private final URI issuer;
    private final String issuerId;
    private final List<URI> locations;
    private final HttpDocuments documents;
    private final KeyTimings timings;
    private final Duration timeout;
    private final Scheduler scheduler;
    private final JwksListeners listeners;
    private final AtomicReference<@Nullable Discovered> last = new AtomicReference<>();
    private final SingleFlight<Discovered> reading = new SingleFlight<>();

    IssuerMetadataCache(URI issuer, HttpDocuments documents, KeyTimings timings, Duration timeout, Scheduler scheduler,
            JwksListeners listeners) {
        this.issuer = issuer;
        this.issuerId = issuer.toString();
        this.locations = locations(issuer);
        this.documents = documents;
        this.timings = timings;
        this.timeout = timeout;
        this.scheduler = scheduler;
        this.listeners = listeners;
    }

    /** What a read found: where, the JWKS endpoint, and until when it is fresh. */
    private record Discovered(URI metadataUri, URI jwksUri, long expiresAt) {
    }

    /**
     * The places metadata is looked for, in order: {@code {issuer}/.well-known/openid-configuration}
     * (OpenID Connect Discovery §4), then {@code {origin}/.well-known/oauth-authorization-server{path}}
     * (RFC 8414 §3.1), then {@code {origin}/.well-known/openid-configuration{path}} (RFC 8414 §5), each
     * once. A trailing {@code /} of the issuer is dropped first.
     */
    static List<URI> locations(URI issuer) {
        String id = issuer.toString();
        String base = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        String path = issuer.getRawPath() == null ? "" : issuer.getRawPath();
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String origin = issuer.getScheme() + "://" + issuer.getRawAuthority();
        Set<URI> places = new LinkedHashSet<>();
        places.add(URI.create(base + "/.well-known/openid-configuration"));
        places.add(URI.create(origin + "/.well-known/oauth-authorization-server" + path));
        places.add(URI.create(origin + "/.well-known/openid-configuration" + path));
        return List.copyOf(places);
    }

    @Override
    public Mono<URI> jwksUri() {
        return Mono.defer(() -> {
            Discovered known = last.get();
            if (known == null) {
                return read().map(Discovered::jwksUri);
            }
            if (now() >= known.expiresAt()) {
                // Failures are announced when settled; the endpoint read before serves meanwhile.
                read().subscribe(fresh -> { }, error -> { });
            }
            return Mono.just(known.jwksUri());
        });
    }

    private Mono<Discovered> read() {
        return reading.join(() -> readFrom(0).timeout(timeout, scheduler), this::settle);
    }

    private Mono<Discovered> readFrom(int index) {
        URI location = locations.get(index);
        boolean more = index + 1 < locations.size();
        return documents.get(location, METADATA_TYPES).flatMap(response -> {
            if (response.status() >= 400 && response.status() < 500 && more) {
                return readFrom(index + 1);
            }
            if (!response.ok()) {
                return Mono.error(new JwksFetchException("issuer metadata: HTTP status " + response.status()
                        + " from " + location));
            }
            Map<String, Object> metadata;
            try {
                metadata = JSONObjectUtils.parse(response.body());
            } catch (ParseException e) {
                return more ? readFrom(index + 1) : Mono.error(new JwksFetchException(
                        "issuer metadata: " + location + " did not answer a JSON object"));
            }
            return Mono.just(discovered(response, metadata));
        });
    }

    private Discovered discovered(HttpDocuments.Response response, Map<String, Object> metadata) {
        Object named = metadata.get("issuer");
        if (!issuerId.equals(named)) {
            throw new JwksFetchException("issuer metadata at " + response.uri() + " names "
                    + (named instanceof String s && SafeLog.isPlain(s) ? "the issuer '" + s + "'" : "another issuer")
                    + ", not " + issuerId + " (RFC 8414 §3.3)");
        }
        Object jwks = metadata.get("jwks_uri");
        URI jwksUri = jwks instanceof String s ? parseHttpUri(s) : null;
        if (jwksUri == null || ("https".equalsIgnoreCase(issuer.getScheme()) && !"https".equalsIgnoreCase(jwksUri.getScheme()))) {
            throw new JwksFetchException("issuer metadata at " + response.uri() + " names no usable jwks_uri"
                    + ("https".equalsIgnoreCase(issuer.getScheme()) ? " (an absolute https URI)" : " (an absolute http(s) URI)"));
        }
        return new Discovered(response.uri(), jwksUri, now() + timings.ttlMillis(response.maxAge()));
    }

    private static @Nullable URI parseHttpUri(String value) {
        try {
            URI uri = new URI(value);
            boolean http = "https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme());
            return http && uri.getRawAuthority() != null ? uri : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private void settle(@Nullable Discovered fresh, @Nullable Throwable error) {
        if (fresh != null) {
            last.set(fresh);
            listeners.announce(new JwksEvent.MetadataFetched(issuer, fresh.metadataUri(), fresh.jwksUri(),
                    Duration.ofMillis(Math.max(0, fresh.expiresAt() - now()))));
        } else if (error != null) {
            listeners.announce(new JwksEvent.MetadataFetchFailed(issuer, describe(error), last.get() != null));
        }
    }

    private String describe(Throwable error) {
        String reason = KeyCache.describe(error, timeout);
        return error instanceof JwksFetchException ? reason : "issuer metadata: " + reason;
    }

    private long now() {
        return scheduler.now(TimeUnit.MILLISECONDS);
    }
}
