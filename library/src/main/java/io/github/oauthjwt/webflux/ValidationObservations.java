package io.github.oauthjwt.webflux;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The {@code oauth.jwt.validation} observations: one per secured request, from before its
 * {@code Authorization} header is read until its outcome is known (the handler's time is not in
 * it), with four low-cardinality keys: {@code outcome}, {@code reason}, {@code alg} and
 * {@code cache}. The observation is a child of the request's own (the server observation Spring
 * WebFlux puts in the Reactor context), so a trace shows validation inside the request. While the
 * registry has no handler, or a predicate turns the observation off, nothing is made per request.
 * Thread-safe.
 */
final class ValidationObservations implements ValidationObserver {

    /** The observation's name; Micrometer's default handler makes it the timer {@code oauth.jwt.validation}. */
    static final String NAME = "oauth.jwt.validation";

    private static final KeyValue VERIFIED = KeyValue.of("outcome", "verified");
    private static final KeyValue MISSING_TOKEN = KeyValue.of("outcome", "missing_token");
    private static final KeyValue INVALID_REQUEST = KeyValue.of("outcome", ErrorCodes.INVALID_REQUEST);
    private static final KeyValue INVALID_TOKEN = KeyValue.of("outcome", ErrorCodes.INVALID_TOKEN);
    private static final KeyValue INSUFFICIENT_SCOPE = KeyValue.of("outcome", ErrorCodes.INSUFFICIENT_SCOPE);
    private static final KeyValue UNAVAILABLE = KeyValue.of("outcome", "unavailable");
    private static final KeyValue OTHER = KeyValue.of("outcome", "other");
    private static final KeyValue CANCELLED = KeyValue.of("outcome", "cancelled");
    private static final KeyValue ERROR = KeyValue.of("outcome", "error");
    private static final KeyValue NO_REASON = KeyValue.of("reason", "none");
    private static final KeyValue[] REASONS = reasons();
    private static final KeyValue UNKNOWN_ALG = KeyValue.of("alg", "unknown");
    private static final KeyValue CACHE_HIT = KeyValue.of("cache", "hit");
    private static final KeyValue CACHE_MISS = KeyValue.of("cache", "miss");

    private final ObservationRegistry registry;
    /** One key value per accepted {@code alg}: a short list, fixed by the filter's options. */
    private final Map<String, KeyValue> algs = new ConcurrentHashMap<>();

    ValidationObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Mono<Outcome> observe(Function<@Nullable ValidationFacts, Mono<Outcome>> validation) {
        if (registry.isNoop()) {
            return validation.apply(null);
        }
        return Mono.deferContextual(context -> {
            Observation observation = Observation.createNotStarted(NAME, registry);
            if (observation.isNoop()) {
                return validation.apply(null);
            }
            if (context.getOrDefault(ObservationThreadLocalAccessor.KEY, null) instanceof Observation request) {
                observation.parentObservation(request);
            }
            Run run = new Run(observation.start());
            return validation.apply(run.facts)
                    .doOnNext(run::stop)
                    .doOnError(run::error)
                    .doOnCancel(run::cancel);
        });
    }

    /** One observed request, stopped exactly once: by its outcome, an error, or its cancellation. */
    private final class Run extends AtomicBoolean {

        private static final long serialVersionUID = 1L;

        private final transient Observation observation;
        private final transient ValidationFacts facts = new ValidationFacts();

        Run(Observation observation) {
            this.observation = observation;
        }

        void stop(Outcome outcome) {
            if (outcome instanceof Rejection rejection) {
                stop(outcomeOf(rejection), REASONS[rejection.reason().ordinal()]);
            } else {
                stop(VERIFIED, NO_REASON);
            }
        }

        void error(Throwable error) {
            observation.error(error);
            stop(ERROR, REASONS[Rejection.Reason.INTERNAL_ERROR.ordinal()]);
        }

        void cancel() {
            stop(CANCELLED, NO_REASON);
        }

        private void stop(KeyValue outcome, KeyValue reason) {
            if (!compareAndSet(false, true)) {
                return;
            }
            String alg = facts.alg();
            observation.lowCardinalityKeyValue(outcome)
                    .lowCardinalityKeyValue(reason)
                    .lowCardinalityKeyValue(alg == null ? UNKNOWN_ALG : algs.computeIfAbsent(alg, name -> KeyValue.of("alg", name)))
                    .lowCardinalityKeyValue(facts.isRemembered() ? CACHE_HIT : CACHE_MISS)
                    .stop();
        }
    }

    /** The outcome key of a rejection, by its error code; a code of the application's own is {@code other}. */
    private static KeyValue outcomeOf(Rejection rejection) {
        String error = rejection.error();
        if (error == null) {
            return MISSING_TOKEN;
        }
        return switch (error) {
            case ErrorCodes.INVALID_TOKEN -> INVALID_TOKEN;
            case ErrorCodes.INSUFFICIENT_SCOPE -> INSUFFICIENT_SCOPE;
            case ErrorCodes.INVALID_REQUEST -> INVALID_REQUEST;
            case ErrorCodes.TEMPORARILY_UNAVAILABLE -> UNAVAILABLE;
            default -> OTHER;
        };
    }

    private static KeyValue[] reasons() {
        Rejection.Reason[] all = Rejection.Reason.values();
        KeyValue[] values = new KeyValue[all.length];
        for (Rejection.Reason reason : all) {
            values[reason.ordinal()] = KeyValue.of("reason", reason.value());
        }
        return values;
    }
}
