package io.github.oauthjwt.webflux;

import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One secured exchange from end to end: the token from the {@code Authorization} header, its
 * validation, its binding to the sender ({@link SenderConstraints}: DPoP), then either the chain
 * with the verified {@link JwtClaims} in the exchange attributes and the Reactor {@code Context},
 * or the one response that says why not. The only place where a failure value becomes an HTTP
 * response. Immutable and thread-safe.
 */
final class ExchangeVerifier {

    private static final Log log = LogFactory.getLog(OAuthJwtFilter.class);

    private static final Rejection UNEXPECTED = Rejection.invalidToken(Rejection.Reason.INTERNAL_ERROR,
            "The access token could not be validated.");

    private final TokenValidator validator;
    private final SenderConstraints senders;
    private final BearerTokenExtractor extractor;
    private final @Nullable ResourceMetadataEndpoint metadata;
    private final @Nullable ValidationObserver observer;

    ExchangeVerifier(TokenValidator validator, SenderConstraints senders, @Nullable ResourceMetadataEndpoint metadata,
            @Nullable ValidationObserver observer) {
        this.validator = validator;
        this.senders = senders;
        this.metadata = metadata;
        this.observer = observer;
        this.extractor = new BearerTokenExtractor(senders.acceptsDpop());
    }

    /** Continues the chain with the verified claims, or answers the exchange with a rejection. */
    Mono<Void> verify(ServerWebExchange exchange, WebFilterChain chain) {
        BearerCredentials credentials = extractor.extract(exchange.getRequest());
        Mono<Outcome> outcome = observer != null
                ? observer.observe(facts -> outcome(exchange, credentials, facts))
                : outcome(exchange, credentials, null);
        return outcome.flatMap(result -> proceedOrReject(exchange, chain, result, credentials.dpop()));
    }

    /**
     * The outcome for this exchange: why its credentials are refused, or what validating its token
     * and checking its binding to the sender gave; noting what it learns in {@code facts} when given.
     */
    private Mono<Outcome> outcome(ServerWebExchange exchange, BearerCredentials credentials,
            @Nullable ValidationFacts facts) {
        Rejection early = credentials.rejection() != null ? credentials.rejection()
                : senders.beforeValidation(exchange.getRequest(), credentials);
        if (early != null) {
            return Mono.just(early);
        }
        return validate(Objects.requireNonNull(credentials.token()), facts)
                .flatMap(outcome -> Mono.defer(() -> senders.bind(exchange, credentials, outcome))
                        .onErrorResume(error -> Mono.just(unexpected(error))));
    }

    /** The token's outcome, observed like a request's when the filter has a registry. */
    Mono<Outcome> validate(String token) {
        return observer != null ? observer.observe(facts -> validate(token, facts)) : validate(token, null);
    }

    /** The validator's outcome; a bug in it, thrown or emitted, becomes a 401 and an ERROR log, never a 5xx. */
    private Mono<Outcome> validate(String token, @Nullable ValidationFacts facts) {
        Mono<Outcome> outcome;
        try {
            outcome = validator.validate(token, facts);
        } catch (RuntimeException | StackOverflowError error) {
            return Mono.just(unexpected(error));
        }
        return outcome.onErrorResume(error -> Mono.just(unexpected(error)));
    }

    private static Outcome unexpected(Throwable error) {
        log.error("Token validation failed unexpectedly; answering 401 invalid_token", error);
        return UNEXPECTED;
    }

    private Mono<Void> proceedOrReject(ServerWebExchange exchange, WebFilterChain chain, Outcome outcome, boolean dpop) {
        if (outcome instanceof Verified verified) {
            JwtClaims claims = verified.claims();
            exchange.getAttributes().put(JwtClaims.ATTRIBUTE, claims);
            String realm = senders.challenges().realm();
            if (realm != null || metadata != null) {
                exchange.getAttributes().put(RouteChallenge.ATTRIBUTE, new RouteChallenge(realm,
                        metadata != null ? metadata.url(exchange.getRequest()) : null));
            }
            return chain.filter(exchange).contextWrite(context -> context.put(JwtClaims.CONTEXT_KEY, claims));
        }
        return reject(exchange, outcome instanceof Rejection rejection ? rejection : UNEXPECTED, dpop);
    }

    /** Answers the exchange with the rejection, as the filter itself would for a Bearer request. */
    Mono<Void> reject(ServerWebExchange exchange, Rejection rejection) {
        return reject(exchange, rejection, false);
    }

    private Mono<Void> reject(ServerWebExchange exchange, Rejection rejection, boolean dpop) {
        if (log.isDebugEnabled()) {
            log.debug("Refusing " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value()
                    + ": " + rejection.status() + " " + rejection.error() + " - " + rejection.description());
        }
        return RejectionResponses.write(exchange, rejection, senders.challenges(), dpop,
                metadata != null ? metadata.url(exchange.getRequest()) : null);
    }
}
