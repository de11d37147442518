package io.github.oauthjwt.example.demo;

import java.net.URI;
import java.util.Optional;

import io.github.oauthjwt.example.OAuthJwtProperties;
import io.github.oauthjwt.example.TrustedKeys;
import io.github.oauthjwt.webflux.OAuthJwtFilter;
import io.github.oauthjwt.webflux.dpop.DpopOptions;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.github.oauthjwt.webflux.mtls.CertificateBinding;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The filter of demo mode: an {@link OAuthJwtFilter} that fetches its keys over HTTP from this
 * app's own {@code /demo/jwks}. That URL holds the port the server actually bound (which
 * {@code --server.port=0} leaves open until startup), so the key source and the filter are built
 * when the server reports its port, with exactly the settings a real authorization server would
 * get. A request that arrives before then waits for them without blocking a thread.
 *
 * <p>Thread-safe; the filter and key source are built once and shared by every request.
 */
final class PortBoundOAuthJwtFilter
        implements WebFilter, Ordered, TrustedKeys, ApplicationListener<WebServerInitializedEvent> {

    private final OAuthJwtProperties properties;
    private final DpopOptions dpop;
    private final Optional<CertificateBinding> certificates;
    private final Sinks.One<JwksKeySource> keys = Sinks.one();
    private final Sinks.One<OAuthJwtFilter> filter = Sinks.one();

    /**
     * Checks the settings at once, so bad ones stop the app before its server starts.
     *
     * @throws IllegalArgumentException naming the option that the library refuses
     */
    PortBoundOAuthJwtFilter(OAuthJwtProperties properties, DpopOptions dpop, Optional<CertificateBinding> certificates) {
        this.properties = properties;
        this.dpop = dpop;
        this.certificates = certificates;
        // Building is cheap and opens no connection; this copy is dropped unused.
        properties.newFilter(properties.jwks().newKeySource(URI.create("http://localhost" + DemoIssuerHandlers.JWKS_PATH)),
                dpop, certificates);
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return; // another server of the app, such as a management port, does not serve /demo/jwks
        }
        URI jwksUri = URI.create("http://localhost:" + event.getWebServer().getPort() + DemoIssuerHandlers.JWKS_PATH);
        JwksKeySource keySource = properties.jwks().newKeySource(jwksUri);
        OAuthJwtFilter oauthJwtFilter = properties.newFilter(keySource, dpop, certificates);
        keys.tryEmitValue(keySource);
        filter.tryEmitValue(oauthJwtFilter);
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

    @Override
    public Mono<JwksKeySource> keySource() {
        return keys.asMono();
    }
}
