package io.github.oauthjwt.example.demo;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.github.oauthjwt.autoconfigure.JwksKeySourceCustomizer;
import io.github.oauthjwt.autoconfigure.OAuthJwtFilterCustomizer;
import io.github.oauthjwt.autoconfigure.OAuthJwtProperties;
import io.github.oauthjwt.autoconfigure.TrustedKeySources;
import io.github.oauthjwt.webflux.OAuthJwtFilterBuilder;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The filter of demo mode: an {@link OAuthJwtFilter} for tokens of the demo issuer, whose
 * identifier is this app's origin, that fetches its keys over HTTP from this app's own
 * {@code /demo/jwks}. Both hold the port the server actually bound (which
 * {@code --server.port=0} leaves open until startup), so the key source and the filter are built
 * when the server reports its port, with exactly the settings a real authorization server would
 * get. A request that arrives before then waits for them without blocking a thread.
 *
 * <p>Thread-safe; the filter and key source are built once and shared by every request.
 */
final class PortBoundOAuthJwtFilter
        implements WebFilter, Ordered, TrustedKeySources, ApplicationListener<WebServerInitializedEvent> {

    private final OAuthJwtProperties properties;
    private final List<OAuthJwtFilterCustomizer> filterCustomizers;
    private final List<JwksKeySourceCustomizer> keySourceCustomizers;
    private final Sinks.One<OAuthJwtFilter> filter = Sinks.one();
    private volatile Map<String, JwksKeySource> keys = Map.of();
    private volatile @Nullable String issuer;

    /**
     * Checks the settings at once, so bad ones stop the app before its server starts.
     *
     * @param filterCustomizers the application's adjustments of the filter, as the starter applies them
     * @param keySourceCustomizers the application's adjustments of the key source, likewise
     * @throws IllegalArgumentException naming the option that the library refuses
     */
    PortBoundOAuthJwtFilter(OAuthJwtProperties properties, List<OAuthJwtFilterCustomizer> filterCustomizers,
            List<JwksKeySourceCustomizer> keySourceCustomizers) {
        this.properties = properties;
        this.filterCustomizers = List.copyOf(filterCustomizers);
        this.keySourceCustomizers = List.copyOf(keySourceCustomizers);
        // Building is cheap and opens no connection; this copy is dropped unused.
        newFilter(newKeySource("http://localhost"), "http://localhost");
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return; // another server of the app, such as a management port, does not serve /demo/jwks
        }
        String origin = "http://localhost:" + event.getWebServer().getPort();
        JwksKeySource keySource = newKeySource(origin);
        OAuthJwtFilter oauthJwtFilter = newFilter(keySource, origin);
        issuer = origin;
        keys = Map.of(origin, keySource);
        filter.tryEmitValue(oauthJwtFilter);
    }

    private JwksKeySource newKeySource(String origin) {
        JwksKeySource.Builder builder = properties.jwks()
                .applyTo(JwksKeySource.builder(URI.create(origin + DemoIssuerHandlers.JWKS_PATH)));
        keySourceCustomizers.forEach(customizer -> customizer.customize(origin, builder));
        return builder.build();
    }

    private OAuthJwtFilter newFilter(JwksKeySource keySource, String origin) {
        OAuthJwtFilterBuilder builder = properties.applyTo(OAuthJwtFilter.builder(keySource).issuer(origin));
        filterCustomizers.forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return filter.asMono().flatMap(ready -> ready.filter(exchange, chain));
    }

    /** Where the filter it stands for sits: {@link OAuthJwtFilter#DEFAULT_ORDER}. */
    @Override
    public int getOrder() {
        return OAuthJwtFilter.DEFAULT_ORDER;
    }

    /** The demo issuer's key source, once the server has bound its port; empty before. */
    @Override
    public Map<String, JwksKeySource> byIssuer() {
        return keys;
    }

    /**
     * The demo issuer's identifier, {@code http://localhost:{port}}: this app's own origin, where it
     * publishes its metadata.
     *
     * @throws IllegalStateException before the server has bound its port
     */
    String issuer() {
        String known = issuer;
        if (known == null) {
            throw new IllegalStateException("The demo issuer's identifier is known once the server has bound its port");
        }
        return known;
    }
}
