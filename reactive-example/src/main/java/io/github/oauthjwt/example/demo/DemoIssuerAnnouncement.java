package io.github.oauthjwt.example.demo;

import java.time.Duration;

import io.github.oauthjwt.autoconfigure.TrustedKeySources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Tells the person who just started the example, once the app is ready and its keys are cached,
 * that the demo issuer is on and what it is for, then prints a ready-to-paste {@code curl} with a
 * fresh demo token and one that mints others.
 *
 * <p>Printing a token breaks the rule of never logging one on purpose: this token is signed by a
 * throwaway key that only this process trusts, and handing it over is the point of the demo.
 */
final class DemoIssuerAnnouncement implements ApplicationListener<ApplicationReadyEvent> {

    private static final Log log = LogFactory.getLog(DemoIssuerAnnouncement.class);

    private final DemoTokenIssuer issuer;
    private final TrustedKeySources trustedKeys;

    DemoIssuerAnnouncement(DemoTokenIssuer issuer, TrustedKeySources trustedKeys) {
        this.issuer = issuer;
        this.trustedKeys = trustedKeys;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext server)) {
            return;
        }
        String base = "http://localhost:" + server.getWebServer().getPort();
        DemoTokenRequest startup = DemoTokenRequest.defaults();
        String token = issuer.mint(startup);
        // Wait for the first JWKS fetch (the warm-up's, shared) so the curl lines end the startup log.
        // The server has bound its port before the app is ready, so the demo's key source is known.
        Flux.fromIterable(trustedKeys.byIssuer().values()).next()
                .flatMap(keys -> keys.keys())
                .then()
                .onErrorResume(error -> Mono.empty())
                .subscribe(null, null, () -> announce(base, startup, token));
    }

    private void announce(String base, DemoTokenRequest startup, String token) {
        log.warn("DEMO ISSUER ON: no authorization server is configured, so this app is also a toy authorization"
                + " server, issuer " + issuer.issuer() + ", that publishes its keys at " + base + DemoIssuerHandlers.JWKS_PATH
                + " and gives a token to anyone who asks at " + base + DemoIssuerHandlers.TOKEN_PATH + ". It is for"
                + " trying the library only; set oauth-jwt.issuer (and oauth-jwt.audience) to trust a real authorization"
                + " server, which turns the demo issuer off.");
        log.info("Try the API with a demo token (scope '" + startup.scope() + "', role '" + startup.role()
                + "', valid for " + hours(startup.expiresIn()) + "):"
                + System.lineSeparator()
                + "curl -i -H \"Authorization: Bearer " + token + "\" " + base + "/api/data"
                + System.lineSeparator()
                + "Mint other tokens with the form fields scope, role, sub and expires_in, e.g. one with scope admin:"
                + System.lineSeparator()
                + "curl -s -d scope=admin -d role=admin " + base + DemoIssuerHandlers.TOKEN_PATH);
    }

    private static String hours(Duration duration) {
        long hours = duration.toHours();
        return hours == 1 ? "1 hour" : hours + " hours";
    }
}
