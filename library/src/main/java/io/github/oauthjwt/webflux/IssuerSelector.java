package io.github.oauthjwt.webflux;

import java.util.Map;

/**
 * Picks the {@link IssuerTrust} a parsed token is checked against, by its {@code iss} claim, before
 * any key is looked up: so a token from an issuer nobody trusts costs no fetch, and an attacker's
 * {@code iss} never becomes a URL this API reads. Thread-safe.
 */
interface IssuerSelector {

    Rejection NO_ISSUER = Rejection.invalidToken(Rejection.Reason.UNTRUSTED_ISSUER, "The access token has no issuer (iss claim); this API accepts"
            + " tokens only from the issuers it trusts.");
    Rejection UNTRUSTED_ISSUER = Rejection.invalidToken(Rejection.Reason.UNTRUSTED_ISSUER, "The access token was issued by an issuer this API does"
            + " not trust.");

    /** What a selection found: the issuer's trust, or the rejection of a token no trusted issuer vouches for. */
    sealed interface Selection permits IssuerTrust, Rejection {
    }

    /** The trust for a token with these (not yet verified) claims. */
    Selection select(Map<String, Object> claims);

    /** A selector that has one trust for every token, whatever its {@code iss}: the single-issuer filter. */
    static IssuerSelector only(IssuerTrust trust) {
        return claims -> trust;
    }

    /** A selector that trusts exactly the issuers of this map, by their exact identifier. */
    static IssuerSelector exactly(Map<String, IssuerTrust> trusts) {
        Map<String, IssuerTrust> copy = Map.copyOf(trusts);
        return claims -> {
            Object iss = claims.get("iss");
            if (!(iss instanceof String issuer)) {
                return iss == null ? NO_ISSUER : UNTRUSTED_ISSUER;
            }
            IssuerTrust trust = copy.get(issuer);
            return trust != null ? trust : UNTRUSTED_ISSUER;
        };
    }
}
