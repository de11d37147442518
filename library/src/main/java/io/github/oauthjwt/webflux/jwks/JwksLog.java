package io.github.oauthjwt.webflux.jwks;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The built-in listener: logs a key source's events under the {@link JwksKeySource} logger. INFO
 * for each fetch and for a recovery, WARN once per outage, DEBUG for further failures and for
 * lookups that wait or are turned away.
 */
final class JwksLog implements JwksListener {

    private static final Log log = LogFactory.getLog(JwksKeySource.class);

    @Override
    public void onEvent(JwksEvent event) {
        if (event instanceof JwksEvent.FetchSucceeded e) {
            if (log.isInfoEnabled()) {
                log.info("Fetched JWKS from " + e.uri() + ": HTTP " + e.status() + ", " + e.keyCount()
                        + " usable key(s), " + e.elapsed().toMillis() + " ms, cached for " + e.ttl().toSeconds() + " s");
            }
        } else if (event instanceof JwksEvent.OutageEnded e) {
            log.info("JWKS endpoint " + e.uri() + " recovered after " + e.failedFetches() + " failed fetch(es)");
        } else if (event instanceof JwksEvent.OutageBegan e) {
            String serving = e.servingUntil() != null
                    ? "serving the " + e.cachedKeys() + " cached key(s) until " + e.servingUntil() + " at the latest"
                    : "no keys are cached, so tokens are answered 503 until it recovers";
            log.warn("JWKS fetch from " + e.uri() + " failed after " + e.elapsed().toMillis() + " ms (" + e.reason()
                    + "); " + serving + "; retrying with backoff");
        } else if (event instanceof JwksEvent.FetchFailed e) {
            if (e.consecutiveFailures() > 1 && log.isDebugEnabled()) {
                log.debug("JWKS fetch from " + e.uri() + " failed again (" + e.reason() + "); next try in "
                        + e.retryIn().toMillis() + " ms");
            }
        } else if (event instanceof JwksEvent.KeySetChanged e) {
            if (!e.removed().isEmpty() && log.isInfoEnabled()) {
                log.info("JWKS " + e.uri() + " no longer publishes " + e.removed().size()
                        + " key(s); tokens they signed are refused from now on");
            }
        } else if (event instanceof JwksEvent.MetadataFetched e) {
            if (log.isInfoEnabled()) {
                log.info("Discovered the JWKS endpoint of " + e.uri() + ": " + e.jwksUri() + " (metadata at "
                        + e.metadataUri() + ", read again in " + e.ttl().toSeconds() + " s)");
            }
        } else if (event instanceof JwksEvent.MetadataFetchFailed e) {
            if (e.servingLastGood()) {
                log.warn("Reading the metadata of " + e.uri() + " failed (" + e.reason()
                        + "); keeping the JWKS endpoint read before");
            } else if (log.isDebugEnabled()) {
                // The key fetch that needed it fails with the same reason, and that is logged.
                log.debug("Reading the metadata of " + e.uri() + " failed (" + e.reason() + ")");
            }
        } else if (log.isDebugEnabled()) {
            debug(event);
        }
    }

    private static void debug(JwksEvent event) {
        if (event instanceof JwksEvent.RefetchDeferred e) {
            log.debug("A lookup of an unknown kid waits " + e.delay().toMillis() + " ms for the next fetch of " + e.uri()
                    + " that the refetch interval allows");
        } else if (event instanceof JwksEvent.WaitingLookupsFull e) {
            log.debug("Not waiting for a fetch of " + e.uri() + " for an unknown kid: " + e.maxWaitingLookups()
                    + " lookups already wait");
        }
    }
}
