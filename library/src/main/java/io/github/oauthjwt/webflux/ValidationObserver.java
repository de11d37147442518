package io.github.oauthjwt.webflux;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Observes the validation of each secured request: kept free of any Micrometer type, so that the
 * filter loads and runs without Micrometer; {@link ValidationObservations} is the one
 * implementation, made only when a registry is set.
 */
interface ValidationObserver {

    /**
     * Emits what {@code validation} emits, observing it.
     *
     * @param validation makes the outcome of one request, noting what it learns in the facts it is
     *     given ({@code null}: nothing needs noting)
     */
    Mono<Outcome> observe(Function<@Nullable ValidationFacts, Mono<Outcome>> validation);
}
