package io.github.oauthjwt.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Starts the first JWKS fetch of every trusted issuer as soon as the application is ready, so the
 * first request finds the keys cached. It does not wait for the fetches and never fails or delays
 * startup: an unreachable endpoint is logged by its key source (one WARN), and requests answer 503
 * until it recovers.
 */
final class KeyWarmUp implements ApplicationListener<ApplicationReadyEvent> {

    private static final Log log = LogFactory.getLog(KeyWarmUp.class);

    private final TrustedKeySources keySources;

    KeyWarmUp(TrustedKeySources keySources) {
        this.keySources = keySources;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Flux.fromIterable(keySources.byIssuer().values())
                .flatMap(keys -> keys.keys().onErrorResume(error -> {
                    // The key source has logged the failure already; a second line would only repeat it.
                    log.debug("JWKS warm-up failed", error);
                    return Mono.empty();
                }))
                .subscribe(keys -> log.debug("JWKS warm-up done"));
    }
}
