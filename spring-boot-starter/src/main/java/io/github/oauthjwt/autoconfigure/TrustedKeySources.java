package io.github.oauthjwt.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.oauthjwt.webflux.jwks.JwksKeySource;

/**
 * The key sources of the authorization servers the application trusts, by issuer identifier, in
 * the order they are configured. The starter's filter, warm-up and {@code jwks} health indicator
 * all read this one bean, so each key cache is shared.
 *
 * <p>An application whose issuer is known only once it runs (such as one that is its own demo
 * issuer, whose identifier holds the port the server bound) implements this itself: the map is
 * then empty until the key sources are known, and holds the same instances from then on.
 */
@FunctionalInterface
public interface TrustedKeySources {

    /** The key sources by issuer identifier; empty while not yet known, never changing once known. */
    Map<String, JwksKeySource> byIssuer();

    /** Key sources known from the start; iteration keeps the map's order. */
    static TrustedKeySources of(Map<String, JwksKeySource> byIssuer) {
        Map<String, JwksKeySource> copy = Collections.unmodifiableMap(new LinkedHashMap<>(byIssuer));
        return () -> copy;
    }
}
