package io.github.oauthjwt.example;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Starts the first JWKS fetch as soon as the application is ready, so the first request finds the
 * keys cached. It does not wait for the fetch and does not fail startup: an unreachable endpoint is
 * logged by the key source (one WARN), requests then answer 503 until it recovers.
 */
@Component
class KeyWarmUp implements ApplicationListener<ApplicationReadyEvent> {

    private static final Log log = LogFactory.getLog(KeyWarmUp.class);

    private final TrustedKeys trustedKeys;

    KeyWarmUp(TrustedKeys trustedKeys) {
        this.trustedKeys = trustedKeys;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        trustedKeys.keySources()
                .flatMapMany(Flux::fromIterable)
                .flatMap(keys -> keys.keys().onErrorResume(error -> {
                    // The key source has logged the failure already; a second line would only repeat it.
                    log.debug("JWKS warm-up failed", error);
                    return Mono.empty();
                }))
                .subscribe(keys -> log.debug("JWKS warm-up done"));
    }
}
