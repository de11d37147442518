package io.github.oauthjwt.webflux;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import io.github.oauthjwt.webflux.jwks.JwksKeySource;

/**
 * The issuers a filter trusts when there are several, and how a token's {@code iss} picks one:
 * either a fixed list, or a resolver the application asks at run time. The {@code iss} is read from
 * the token before anything is verified, and only ever compared: a token from an issuer that is not
 * trusted is refused with 401 {@code invalid_token} and costs no fetch, so {@code iss} can never make
 * the API read a URL an attacker chose. Immutable.
 *
 * <pre>{@code
 * OAuthJwtFilter filter = OAuthJwtFilter.builder(TrustedIssuers.of(
 *                 TrustedIssuer.builder("https://login.example.com").audience("api.example.com").build(),
 *                 TrustedIssuer.builder("https://login.partner.example").audience("partner-api").build()))
 *         .paths("/api/**")
 *         .build();
 * }</pre>
 */
public final class TrustedIssuers {

    /** The most issuers a resolver's filter holds at once by default. */
    public static final int DEFAULT_MAX_ISSUERS = 100;
    /** How long by default a resolved issuer whose tokens stopped coming is held before it is dropped. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

    private final Function<ValidationPolicy, IssuerSelector> selector;
    private final List<String> issuers;

    private TrustedIssuers(Function<ValidationPolicy, IssuerSelector> selector, List<String> issuers) {
        this.selector = selector;
        this.issuers = issuers;
    }

    /**
     * Trusts exactly these issuers, each picked by the exact {@code iss} of a token.
     *
     * @throws IllegalArgumentException if the list is empty or names an issuer twice
     */
    public static TrustedIssuers of(TrustedIssuer... issuers) {
        return of(List.of(issuers));
    }

    /**
     * Trusts exactly these issuers, each picked by the exact {@code iss} of a token.
     *
     * @throws IllegalArgumentException if the list is empty or names an issuer twice
     */
    public static TrustedIssuers of(List<TrustedIssuer> issuers) {
        if (issuers.isEmpty()) {
            throw new IllegalArgumentException("trusted issuers must not be empty");
        }
        Map<String, TrustedIssuer> byIssuer = new LinkedHashMap<>();
        for (TrustedIssuer issuer : issuers) {
            if (byIssuer.put(issuer.issuer(), issuer) != null) {
                throw new IllegalArgumentException("trusted issuers name " + issuer.issuer() + " twice");
            }
        }
        return new TrustedIssuers(policy -> {
            Map<String, IssuerTrust> trusts = new LinkedHashMap<>();
            byIssuer.forEach((name, issuer) -> trusts.put(name, IssuerTrust.of(issuer.policy(policy), issuer.keys())));
            return IssuerSelector.exactly(trusts);
        }, List.copyOf(byIssuer.keySet()));
    }

    /**
     * Trusts the issuers {@code resolver} vouches for, holding at most {@link #DEFAULT_MAX_ISSUERS}
     * and dropping those idle for {@link #DEFAULT_IDLE_TIMEOUT}; see
     * {@link #resolvedBy(Function, int, Duration)}.
     */
    public static TrustedIssuers resolvedBy(Function<String, Optional<TrustedIssuer>> resolver) {
        return resolvedBy(resolver, DEFAULT_MAX_ISSUERS, DEFAULT_IDLE_TIMEOUT);
    }

    /**
     * Trusts the issuers {@code resolver} vouches for. It is asked, on the request's thread, about
     * each {@code iss} not held yet, and answers the issuer's options (its {@link TrustedIssuer#issuer}
     * must be that {@code iss} exactly) or empty to refuse it. It must decide from the string alone,
     * quickly and without I/O: for example by matching {@code https://login.example.com/tenants/}
     * followed by one path segment of a known form. Each issuer it trusts gets a key cache of its
     * own; at most {@code maxIssuers} are held, and one whose tokens stopped coming is dropped after
     * {@code idleTimeout}.
     *
     * @throws IllegalArgumentException if {@code maxIssuers} is not positive or {@code idleTimeout} is not
     */
    public static TrustedIssuers resolvedBy(Function<String, Optional<TrustedIssuer>> resolver, int maxIssuers,
            Duration idleTimeout) {
        Objects.requireNonNull(resolver, "resolver");
        if (maxIssuers < 1) {
            throw new IllegalArgumentException("maxIssuers must be at least 1");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        return new TrustedIssuers(policy -> new ResolvedIssuers(resolver, policy, maxIssuers, idleTimeout), List.of());
    }

    /** The one issuer (or any issuer, when the filter names none) whose keys are {@code keys}. */
    static TrustedIssuers single(JwksKeySource keys) {
        return new TrustedIssuers(policy -> IssuerSelector.only(IssuerTrust.of(policy, keys)), List.of());
    }

    /** The selector of these issuers for a filter with this policy. */
    IssuerSelector selector(ValidationPolicy filterPolicy) {
        return selector.apply(filterPolicy);
    }

    /** The issuers of a fixed list, in order; empty for a resolver or a single issuer. */
    List<String> listed() {
        return issuers;
    }
}
