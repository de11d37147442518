package io.github.oauthjwt.webflux;

import io.github.oauthjwt.webflux.jwks.JwksKeySource;

/**
 * What the filter checks a token against once its issuer is known: that issuer's policy, the
 * header and claim rules made from it, and the key source of its signing keys. Immutable.
 *
 * @param policy the options for tokens of this issuer
 * @param keys where this issuer's signing keys come from
 * @param headerRules the header checks of {@code policy}
 * @param rules the claim rules of {@code policy}
 */
record IssuerTrust(ValidationPolicy policy, JwksKeySource keys, HeaderRules headerRules, TokenRules rules)
        implements IssuerSelector.Selection {

    static IssuerTrust of(ValidationPolicy policy, JwksKeySource keys) {
        return new IssuerTrust(policy, keys, new HeaderRules(policy), new TokenRules(policy));
    }
}
