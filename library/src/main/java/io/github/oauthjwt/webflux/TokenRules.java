package io.github.oauthjwt.webflux;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The rules a verified token's claims must pass, in order: time, issuer, audience, scopes, required
 * claims (the built-in ones a {@link ValidationPolicy} asks for), then the policy's own
 * {@link TokenRule}s. Composed like Spring Security's {@code DelegatingOAuth2TokenValidator}: the
 * first rejection wins. Adding a built-in rule touches one new class and one line here. The
 * {@code typ} rule is a header rule ({@link HeaderRules}): it runs before any key is looked up.
 * Immutable and thread-safe.
 */
final class TokenRules {

    private final List<TokenRule> rules;
    /** How many of {@link #rules} are built in; the rest are the application's. */
    private final int builtIn;

    TokenRules(ValidationPolicy policy) {
        List<TokenRule> all = new ArrayList<>();
        all.add(new TimeRule(policy.clock(), policy.clockSkew().toSeconds()));
        if (policy.issuer() != null) {
            all.add(new IssuerRule(policy.issuer()));
        }
        if (!policy.audiences().isEmpty()) {
            all.add(new AudienceRule(policy.audiences()));
        }
        all.add(new ScopeRule(policy.scopeClaims(), List.copyOf(policy.requiredScopes())));
        String scopeAttribute = policy.requiredScopes().isEmpty() ? null : String.join(" ", policy.requiredScopes());
        for (RequiredClaim required : policy.requiredClaims()) {
            all.add(new ClaimRule(required, scopeAttribute));
        }
        this.builtIn = all.size();
        all.addAll(policy.rules());
        this.rules = List.copyOf(all);
    }

    /**
     * The first rule's reason to refuse these claims, or {@code null} when every rule passes. An
     * application rule's rejection has the reason {@link Rejection.Reason#RULE}, whatever it was made with.
     */
    @Nullable Rejection check(JwtClaims claims) {
        for (int i = 0; i < rules.size(); i++) {
            Optional<Rejection> rejection = rules.get(i).check(claims);
            if (rejection.isPresent()) {
                return i < builtIn ? rejection.get() : rejection.get().withReason(Rejection.Reason.RULE);
            }
        }
        return null;
    }
}
