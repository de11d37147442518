package io.github.oauthjwt.webflux.jwks;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The listeners of one key source, told of each {@link JwksEvent} in order. A listener that throws
 * is logged and skipped: what it failed to record never changes what the key source does.
 */
final class JwksListeners {

    private static final Log log = LogFactory.getLog(JwksKeySource.class);

    private final List<JwksListener> listeners;

    JwksListeners(List<JwksListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    void announce(JwksEvent event) {
        for (JwksListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                log.error("A JWKS listener failed on " + event.getClass().getSimpleName() + "; ignoring it", e);
            }
        }
    }
}
