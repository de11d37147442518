package io.github.oauthjwt.webflux;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Issuers trusted by an application's resolver, decided when a token of theirs first arrives and
 * then held, each with its own key source, up to a maximum number and for as long as their tokens
 * keep coming. An issuer left idle for the idle timeout, or pushed out by the maximum, is dropped
 * with its keys, and asked about again when its next token comes. The resolver is asked only about
 * an {@code iss} that is a string, and never for an issuer already held. Thread-safe; entries age
 * by the policy's clock.
 */
final class ResolvedIssuers implements IssuerSelector {

    private static final Log log = LogFactory.getLog(OAuthJwtFilter.class);

    private final Function<String, Optional<TrustedIssuer>> resolver;
    private final ValidationPolicy template;
    private final Cache<String, IssuerTrust> held;

    ResolvedIssuers(Function<String, Optional<TrustedIssuer>> resolver, ValidationPolicy template, int maxIssuers,
            Duration idleTimeout) {
        this.resolver = resolver;
        this.template = template;
        this.held = Caffeine.newBuilder()
                .maximumSize(maxIssuers)
                .expireAfterAccess(idleTimeout)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(template.clock().millis()))
                .executor(Runnable::run)
                .build();
    }

    @Override
    public Selection select(Map<String, Object> claims) {
        Object iss = claims.get("iss");
        if (!(iss instanceof String issuer)) {
            return iss == null ? NO_ISSUER : UNTRUSTED_ISSUER;
        }
        IssuerTrust trust = held.get(issuer, this::resolve);
        return trust != null ? trust : UNTRUSTED_ISSUER;
    }

    private @Nullable IssuerTrust resolve(String issuer) {
        Optional<TrustedIssuer> trusted = resolver.apply(issuer);
        if (trusted == null || trusted.isEmpty()) {
            return null;
        }
        if (!trusted.get().issuer().equals(issuer)) {
            log.error("The issuer resolver answered an issuer other than the one it was asked about; not trusting it");
            return null;
        }
        return IssuerTrust.of(trusted.get().policy(template), trusted.get().keys());
    }
}
