package io.github.oauthjwt.webflux.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.testing.Await;
import io.github.oauthjwt.testing.IssuerServer;
import io.github.oauthjwt.testing.IssuerServer.Location;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A key source made for an issuer alone, against a real authorization server's discovery
 * endpoints: where it looks and in which order, the issuer check, the metadata's TTL, and what
 * happens when the metadata cannot be read.
 */
class IssuerDiscoveryTests {

    private static final TestKey K1 = TestKey.rsa("k1");
    private static final TestKey K2 = TestKey.rsa("k2");
    private static final String TENANT = "/tenants/a";

    private IssuerServer server;
    private VirtualTimeScheduler time;
    private final List<JwksEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        server = IssuerServer.servingAt(TENANT, K1);
        time = VirtualTimeScheduler.create();
    }

    @AfterEach
    void stop() {
        server.close();
        time.dispose();
    }

    private JwksKeySource source() {
        return JwksKeySource.forIssuer(URI.create(server.issuer())).scheduler(time).listener(events::add)
                .retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1)).build();
    }

    private static KeyResolution lookUp(JwksKeySource source, String kid) {
        try {
            return source.resolve(kid, JWSAlgorithm.RS256).toFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("lookup of " + kid + " failed", e);
        }
    }

    private static void assertFound(JwksKeySource source, String kid) {
        assertThat(lookUp(source, kid)).isInstanceOfSatisfying(KeyResolution.Found.class,
                found -> assertThat(found.key().kid()).isEqualTo(kid));
    }

    private String metadataPath() {
        return server.path(Location.OPENID_ISSUER_SUFFIX);
    }

    @Test
    void looksForMetadataInTheDocumentedOrderAndAtEachPlaceOnce() {
        assertThat(IssuerMetadataCache.locations(URI.create("https://login.example.com/tenants/a/"))).containsExactly(
                URI.create("https://login.example.com/tenants/a/.well-known/openid-configuration"),
                URI.create("https://login.example.com/.well-known/oauth-authorization-server/tenants/a"),
                URI.create("https://login.example.com/.well-known/openid-configuration/tenants/a"));
        assertThat(IssuerMetadataCache.locations(URI.create("https://login.example.com"))).containsExactly(
                URI.create("https://login.example.com/.well-known/openid-configuration"),
                URI.create("https://login.example.com/.well-known/oauth-authorization-server"));
    }

    @ParameterizedTest
    @EnumSource(Location.class)
    void findsTheKeysThroughMetadataAtEachWellKnownPlaceAskingTheEarlierPlacesFirst(Location location) {
        server.serveMetadataAt(location);

        assertFound(source(), "k1");

        List<String> expected = new java.util.ArrayList<>();
        for (Location earlier : Location.values()) {
            expected.add(server.path(earlier));
            if (earlier == location) {
                break;
            }
        }
        expected.add("/jwks");
        assertThat(server.requestedPaths()).containsExactlyElementsOf(expected);
    }

    @Test
    void refusesMetadataThatNamesAnotherIssuerAndFetchesNoKeys() {
        server.serveMetadata(Location.OPENID_ISSUER_SUFFIX,
                IssuerServer.metadata(server.issuer() + "/", server.jwksUri().toString()), null);

        assertThat(lookUp(source(), "k1")).isInstanceOf(KeyResolution.Unavailable.class);

        assertThat(server.requestedPaths()).containsExactly(metadataPath());
        assertThat(events).filteredOn(JwksEvent.MetadataFetchFailed.class::isInstance).singleElement()
                .satisfies(event -> assertThat(((JwksEvent.MetadataFetchFailed) event).reason())
                        .contains("names the issuer '" + server.issuer() + "/'").contains("RFC 8414"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/jwks", "ftp://login.example.com/jwks", "https:///jwks"})
    void refusesMetadataWithoutAnAbsoluteHttpJwksUri(String jwksUri) {
        server.serveMetadata(Location.OPENID_ISSUER_SUFFIX, IssuerServer.metadata(server.issuer(), jwksUri), null);

        assertThat(lookUp(source(), "k1")).isInstanceOf(KeyResolution.Unavailable.class);

        assertThat(server.requests("/jwks")).isZero();
        assertThat(events).filteredOn(JwksEvent.MetadataFetchFailed.class::isInstance).containsExactly(
                new JwksEvent.MetadataFetchFailed(URI.create(server.issuer()), "issuer metadata at " + server.issuer()
                        + "/.well-known/openid-configuration names no usable jwks_uri (an absolute http(s) URI)", false));
    }

    /** A client that sends every request, whatever its scheme and host, to the issuer server over http. */
    private WebClient forwardingToTheServer() {
        URI target = URI.create(server.issuer());
        return WebClient.builder().filter((request, next) -> next.exchange(ClientRequest.from(request)
                .url(UriComponentsBuilder.fromUri(request.url()).scheme("http").host(target.getHost())
                        .port(target.getPort()).build(true).toUri())
                .build())).build();
    }

    private JwksKeySource httpsSource(String issuer) {
        return JwksKeySource.forIssuer(URI.create(issuer)).scheduler(time).listener(events::add)
                .webClient(forwardingToTheServer()).build();
    }

    @Test
    void anHttpsIssuersMetadataMayNameAnHttpsJwksUri() {
        String issuer = "https://login.example.com" + TENANT;
        server.serveMetadata(Location.OPENID_ISSUER_SUFFIX,
                IssuerServer.metadata(issuer, "https://keys.example.com/jwks"), null);

        assertFound(httpsSource(issuer), "k1");

        assertThat(server.requestedPaths()).containsExactly(metadataPath(), "/jwks");
    }

    @Test
    void refusesAnHttpJwksUriInAnHttpsIssuersMetadata() {
        String issuer = "https://login.example.com" + TENANT;
        server.serveMetadata(Location.OPENID_ISSUER_SUFFIX, IssuerServer.metadata(issuer, "http://login.example.com/jwks"),
                null);

        assertThat(lookUp(httpsSource(issuer), "k1")).isInstanceOf(KeyResolution.Unavailable.class);

        assertThat(server.requests("/jwks")).isZero();
        assertThat(events).filteredOn(JwksEvent.MetadataFetchFailed.class::isInstance).containsExactly(
                new JwksEvent.MetadataFetchFailed(URI.create(issuer), "issuer metadata at " + issuer
                        + "/.well-known/openid-configuration names no usable jwks_uri (an absolute https URI)", false));
    }

    @Test
    void anHttpIssuersMetadataMayNameAnHttpsJwksUri() {
        server.serveMetadata(Location.OPENID_ISSUER_SUFFIX,
                IssuerServer.metadata(server.issuer(), "https://keys.example.com/jwks"), null);

        assertFound(httpsSource(server.issuer()), "k1");

        assertThat(server.requestedPaths()).containsExactly(metadataPath(), "/jwks");
    }

    private String origin() {
        return server.issuer().substring(0, server.issuer().length() - TENANT.length());
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 499})
    void movesOnToTheNextPlaceFromEvery4xxAnswer(int status) {
        server.serveMetadataAt(Location.OAUTH_PATH_INSERTED)
                .answer(server.path(Location.OPENID_ISSUER_SUFFIX), status, "text/plain", "not for you");

        assertFound(source(), "k1");

        assertThat(server.requestedPaths()).containsExactly(server.path(Location.OPENID_ISSUER_SUFFIX),
                server.path(Location.OAUTH_PATH_INSERTED), "/jwks");
    }

    @Test
    void stopsAtA5xxAnswerThoughLaterPlacesHoldMetadata() {
        server.serveMetadataAt(Location.OAUTH_PATH_INSERTED)
                .answer(server.path(Location.OPENID_ISSUER_SUFFIX), 500, "text/plain", "upstream trouble");

        assertThat(lookUp(source(), "k1")).isEqualTo(new KeyResolution.Unavailable(Duration.ofSeconds(1),
                "issuer metadata: HTTP status 500 from " + origin() + server.path(Location.OPENID_ISSUER_SUFFIX)));

        assertThat(server.requestedPaths()).containsExactly(server.path(Location.OPENID_ISSUER_SUFFIX));
    }

    @Test
    void movesOnToTheNextPlaceFromAnAnswerThatIsNotJson() {
        server.serveMetadataAt(Location.OAUTH_PATH_INSERTED)
                .answer(server.path(Location.OPENID_ISSUER_SUFFIX), 200, "text/html", "<html>sign in</html>");

        assertFound(source(), "k1");

        assertThat(server.requestedPaths()).containsExactly(server.path(Location.OPENID_ISSUER_SUFFIX),
                server.path(Location.OAUTH_PATH_INSERTED), "/jwks");
    }

    @Test
    void failsNamingTheLastPlaceWhenNoPlaceAnswersJson() {
        for (Location location : Location.values()) {
            server.answer(server.path(location), 200, "text/html", "<html>sign in</html>");
        }

        assertThat(lookUp(source(), "k1")).isEqualTo(new KeyResolution.Unavailable(Duration.ofSeconds(1),
                "issuer metadata: " + origin() + server.path(Location.OPENID_PATH_INSERTED)
                        + " did not answer a JSON object"));

        assertThat(server.requestedPaths()).containsExactly(server.path(Location.OPENID_ISSUER_SUFFIX),
                server.path(Location.OAUTH_PATH_INSERTED), server.path(Location.OPENID_PATH_INSERTED));
    }

    private IssuerMetadataCache metadataCache() {
        KeyTimings timings = new KeyTimings(JwksKeySource.Builder.DEFAULT_TTL, JwksKeySource.Builder.DEFAULT_MIN_TTL,
                JwksKeySource.Builder.DEFAULT_MAX_TTL, JwksKeySource.Builder.DEFAULT_MAX_STALENESS,
                JwksKeySource.Builder.DEFAULT_INITIAL_BACKOFF, JwksKeySource.Builder.DEFAULT_MAX_BACKOFF);
        return new IssuerMetadataCache(URI.create(server.issuer()),
                new HttpDocuments(WebClient.create(), JwksKeySource.Builder.DEFAULT_MAX_BODY_BYTES), timings,
                JwksKeySource.Builder.DEFAULT_TIMEOUT, time, new JwksListeners(List.of(events::add)));
    }

    @Test
    void keepsTheMetadataForItsMaxAgeAndReadsItAgainFromTheInstantThatEnds() {
        server.serveMetadata(Location.OPENID_ISSUER_SUFFIX,
                IssuerServer.metadata(server.issuer(), server.jwksUri().toString()), "max-age=60");
        time.advanceTimeBy(Duration.ofSeconds(10));
        IssuerMetadataCache metadata = metadataCache();
        JwksEvent.MetadataFetched fetched = new JwksEvent.MetadataFetched(URI.create(server.issuer()),
                URI.create(origin() + metadataPath()), server.jwksUri(), Duration.ofSeconds(60));

        assertThat(metadata.jwksUri().toFuture()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(server.jwksUri());
        assertThat(events).containsExactly(fetched);

        time.advanceTimeBy(Duration.ofSeconds(60));
        assertThat(metadata.jwksUri().toFuture()).isCompletedWithValue(server.jwksUri());
        Await.until("the metadata is read again", () -> events.size() == 2);
        assertThat(events).containsExactly(fetched, fetched);
        assertThat(server.requests(metadataPath())).isEqualTo(2);
    }

    @Test
    void readsTheMetadataOnceWhileItIsFreshThoughTheKeysAreFetchedAgain() {
        JwksKeySource source = source();
        assertFound(source, "k1");
        server.publish(K1, K2);
        time.advanceTimeBy(Duration.ofSeconds(2));

        assertFound(source, "k2");

        assertThat(server.requests(metadataPath())).isEqualTo(1);
        assertThat(server.requests("/jwks")).isEqualTo(2);
    }

    @Test
    void readsTheMetadataAgainOnceItsMaxAgeHasPassedWithoutMakingTheKeyFetchWait() {
        server.serveMetadata(Location.OPENID_ISSUER_SUFFIX,
                IssuerServer.metadata(server.issuer(), server.jwksUri().toString()), "max-age=60");
        JwksKeySource source = source();
        assertFound(source, "k1");
        server.publish(K1, K2);
        time.advanceTimeBy(Duration.ofSeconds(61));

        assertFound(source, "k2");

        Await.until("the metadata is read again",
                () -> events.stream().filter(JwksEvent.MetadataFetched.class::isInstance).count() == 2);
        assertThat(server.requests(metadataPath())).isEqualTo(2);
    }

    @Test
    void keepsUsingTheLastGoodMetadataWhenReadingItAgainFails() {
        server.serveMetadata(Location.OPENID_ISSUER_SUFFIX,
                IssuerServer.metadata(server.issuer(), server.jwksUri().toString()), "max-age=60");
        JwksKeySource source = source();
        assertFound(source, "k1");
        server.failMetadataWith(500).publish(K1, K2);
        time.advanceTimeBy(Duration.ofSeconds(61));

        assertFound(source, "k2");

        Await.until("the failed read is announced",
                () -> events.stream().anyMatch(JwksEvent.MetadataFetchFailed.class::isInstance));
        assertThat(events).filteredOn(JwksEvent.MetadataFetchFailed.class::isInstance).singleElement()
                .isEqualTo(new JwksEvent.MetadataFetchFailed(URI.create(server.issuer()),
                        "issuer metadata: HTTP status 500 from " + server.issuer() + "/.well-known/openid-configuration",
                        true));
    }

    @Test
    void doesNotRememberAFailedReadAndFindsTheKeysOnceTheMetadataIsBack() {
        server.failMetadataWith(503);
        JwksKeySource source = source();
        assertThat(lookUp(source, "k1")).isEqualTo(new KeyResolution.Unavailable(Duration.ofSeconds(1),
                "issuer metadata: HTTP status 503 from " + server.issuer() + "/.well-known/openid-configuration"));
        server.serveMetadataAt(Location.OPENID_ISSUER_SUFFIX);
        time.advanceTimeBy(Duration.ofSeconds(1));

        assertFound(source, "k1");

        assertThat(server.requests(metadataPath())).isEqualTo(2);
    }

    @Test
    void answersUnavailableWhenNoWellKnownPlaceHoldsMetadata() {
        server.failMetadataWith(404);
        JwksKeySource source = source();

        assertThat(lookUp(source, "k1")).isInstanceOf(KeyResolution.Unavailable.class);

        assertThat(server.requestedPaths()).containsExactly(server.path(Location.OPENID_ISSUER_SUFFIX),
                server.path(Location.OAUTH_PATH_INSERTED), server.path(Location.OPENID_PATH_INSERTED));
        assertThat(source.stats().lastFetchSucceeded()).isFalse();
        assertThat(events).filteredOn(JwksEvent.MetadataFetchFailed.class::isInstance).containsExactly(
                new JwksEvent.MetadataFetchFailed(URI.create(server.issuer()), "issuer metadata: HTTP status 404 from "
                        + origin() + server.path(Location.OPENID_PATH_INSERTED), false));
    }

    @Test
    void answers503WithRetryAfterThroughTheFilterUntilTheIssuerCanBeDiscovered() {
        server.failMetadataWith(500);
        WebTestClient client = WebTestClient.bindToRouterFunction(RouterFunctions.route(RequestPredicates.GET("/api"),
                        request -> ServerResponse.ok().bodyValue("ok")))
                .webFilter(OAuthJwtFilter.builder(source()).issuer(server.issuer()).build())
                .build();
        String token = TestTokens.signedBy(K1).claim("iss", server.issuer()).build();

        client.get().uri("/api").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectHeader().doesNotExist(HttpHeaders.WWW_AUTHENTICATE);
        server.serveMetadataAt(Location.OPENID_ISSUER_SUFFIX);
        time.advanceTimeBy(Duration.ofSeconds(1));

        client.get().uri("/api").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk();
    }

    @Test
    void readsNothingUntilKeysAreFirstNeeded() {
        source();

        assertThat(server.requestedPaths()).isEmpty();
    }

    @Test
    void refusesAnIssuerWithAQueryOrThatIsNotAnAbsoluteHttpUri() {
        assertThatIllegalArgumentException().isThrownBy(
                () -> JwksKeySource.forIssuer(URI.create("https://login.example.com?tenant=a")).build())
                .withMessage("issuer must have no query and no fragment (RFC 8414 §2), not 'https://login.example.com?tenant=a'");
        assertThatIllegalArgumentException().isThrownBy(() -> JwksKeySource.forIssuer(URI.create("login.example.com")).build())
                .withMessage("issuer must be an absolute http or https URI, not 'login.example.com'");
    }

    @Test
    void sharesOneReadAmongConcurrentColdLookups() {
        JwksKeySource source = source();

        List<CompletableFuture<KeyResolution>> lookups = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> source.resolve("k1", JWSAlgorithm.RS256).toFuture()).toList();

        lookups.forEach(lookup -> assertThat(lookup.join()).isInstanceOf(KeyResolution.Found.class));
        assertThat(server.requests(metadataPath())).isEqualTo(1);
        assertThat(server.requests("/jwks")).isEqualTo(1);
    }
}
