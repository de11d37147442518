package io.github.oauthjwt.webflux.jwks;

/**
 * Hears the {@link JwksEvent}s of a {@link JwksKeySource}, added with
 * {@link JwksKeySource.Builder#listener}. Called on the thread that made the event happen (an
 * event loop or the caller of a lookup), so it must return quickly and must not block; an
 * exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface JwksListener {

    /** Hears one event. */
    void onEvent(JwksEvent event);
}
