package io.github.oauthjwt.webflux;

import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * One secured exchange from end to end: the bearer token from the {@code Authorization} header, its
 * validation, then either the chain with the verified {@link JwtClaims} in the exchange attributes
 * and the Reactor {@code Context}, or the one response that says why not. The only place where a
 * failure value becomes an HTTP response. Immutable and thread-safe.
 */
final class ExchangeVerifier {

    private static final Log log = LogFactory.getLog(OAuthJwtFilter.class);

    private static final Rejection UNEXPECTED = Rejection.invalidToken(Rejection.Reason.INTERNAL_ERROR,
            "The access token could not be validated.");

    private final TokenValidator validator;
    private final BearerTokenExtractor extractor = new BearerTokenExtractor();
    private final @Nullable String realm;
    private final @Nullable ResourceMetadataEndpoint metadata;
    private final @Nullable ValidationObserver observer;

    ExchangeVerifier(TokenValidator validator, @Nullable String realm, @Nullable ResourceMetadataEndpoint metadata,
            @Nullable ValidationObserver observer) {
        this.validator = validator;
        this.realm = realm;
        this.metadata = metadata;
        this.observer = observer;
    }

    /** Continues the chain with the verified claims, or answers the exchange with a rejection. */
    Mono<Void> verify(ServerWebExchange exchange, WebFilterChain chain) {
        if (observer != null) {
            return observer.observe(facts -> outcome(exchange, facts))
                    .flatMap(outcome -> proceedOrReject(exchange, chain, outcome));
        }
        BearerCredentials credentials = extractor.extract(exchange.getRequest());
        if (credentials.rejection() != null) {
            return reject(exchange, credentials.rejection());
        }
        return validate(Objects.requireNonNull(credentials.token()), null)
                .flatMap(outcome -> proceedOrReject(exchange, chain, outcome));
    }

    /** The outcome for this exchange: why its credentials are refused, or what validating its token gave. */
    private Mono<Outcome> outcome(ServerWebExchange exchange, @Nullable ValidationFacts facts) {
        BearerCredentials credentials = extractor.extract(exchange.getRequest());
        if (credentials.rejection() != null) {
            return Mono.just(credentials.rejection());
        }
        return validate(Objects.requireNonNull(credentials.token()), facts);
    }

    /** The validator's outcome; a bug in it, thrown or emitted, becomes a 401 and an ERROR log, never a 5xx. */
    /** The token's outcome, observed like a request's when the filter has a registry. */
    Mono<Outcome> validate(String token) {
        return observer != null ? observer.observe(facts -> validate(token, facts)) : validate(token, null);
    }

    /** {@link #validate(String)}, noting what it learns in {@code facts} when given. */
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

    private Mono<Void> proceedOrReject(ServerWebExchange exchange, WebFilterChain chain, Outcome outcome) {
        if (outcome instanceof Verified verified) {
            JwtClaims claims = verified.claims();
            exchange.getAttributes().put(JwtClaims.ATTRIBUTE, claims);
            return chain.filter(exchange).contextWrite(context -> context.put(JwtClaims.CONTEXT_KEY, claims));
        }
        return reject(exchange, outcome instanceof Rejection rejection ? rejection : UNEXPECTED);
    }

    /** Answers the exchange with the rejection, as the filter itself would. */
    Mono<Void> reject(ServerWebExchange exchange, Rejection rejection) {
        if (log.isDebugEnabled()) {
            log.debug("Refusing " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value()
                    + ": " + rejection.status() + " " + rejection.error() + " - " + rejection.description());
        }
        return RejectionResponses.write(exchange, rejection, realm,
                metadata != null ? metadata.url(exchange.getRequest()) : null);
    }
}
