package io.github.oauthjwt.webflux;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import org.jspecify.annotations.Nullable;

/**
 * One authorization server a filter trusts among several ({@link TrustedIssuers}): its issuer
 * identifier, where its signing keys come from, and the options that may differ from one issuer to
 * the next (audiences, algorithms, required scopes). Every other option is the filter's own.
 *
 * <p>Without {@link Builder#keys keys}, the keys are found through the issuer's metadata
 * ({@link JwksKeySource#forIssuer}); either way each issuer has a key cache of its own, with its own
 * refetch interval. Immutable.
 *
 * <pre>{@code
 * TrustedIssuer partners = TrustedIssuer.builder("https://login.partner.example")
 *         .audience("api.example.com")
 *         .requiredScopes("partner")
 *         .build();
 * }</pre>
 */
public final class TrustedIssuer {

    private final String issuer;
    private final JwksKeySource keys;
    private final Set<String> audiences;
    private final @Nullable Set<JWSAlgorithm> algorithms;
    private final Set<String> requiredScopes;

    private TrustedIssuer(Builder builder) {
        this.issuer = builder.issuer;
        this.keys = builder.keys != null ? builder.keys : JwksKeySource.forIssuer(URI.create(issuer)).build();
        this.audiences = Set.copyOf(builder.audiences);
        this.algorithms = builder.algorithms;
        this.requiredScopes = Set.copyOf(builder.requiredScopes);
    }

    /** Options for trusting tokens whose {@code iss} is exactly {@code issuer}. */
    public static Builder builder(String issuer) {
        return new Builder(issuer);
    }

    /** The issuer identifier, compared exactly with a token's {@code iss}. */
    public String issuer() {
        return issuer;
    }

    /** Where this issuer's signing keys come from. */
    public JwksKeySource keys() {
        return keys;
    }

    /**
     * The filter's policy for this issuer's tokens: its {@code iss}, its audiences and algorithms
     * where it has its own, and its required scopes on top of the filter's.
     *
     * @throws IllegalArgumentException naming the option the policy refuses
     */
    ValidationPolicy policy(ValidationPolicy filterPolicy) {
        Set<String> scopes = new LinkedHashSet<>(filterPolicy.requiredScopes());
        scopes.addAll(requiredScopes);
        return filterPolicy.forIssuer(issuer, audiences.isEmpty() ? filterPolicy.audiences() : audiences,
                algorithms != null ? algorithms : filterPolicy.algorithms(), scopes);
    }

    @Override
    public String toString() {
        return "TrustedIssuer[" + issuer + "]";
    }

    /** Options of a {@link TrustedIssuer}; those left unset are the filter's. */
    public static final class Builder {

        private final String issuer;
        private @Nullable JwksKeySource keys;
        private final List<String> audiences = new ArrayList<>();
        private @Nullable Set<JWSAlgorithm> algorithms;
        private final List<String> requiredScopes = new ArrayList<>();

        private Builder(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
        }

        /** The key source of this issuer's signing keys, instead of discovering them from its metadata. */
        public Builder keys(JwksKeySource keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** An audience this issuer's tokens must hold in {@code aud}; several calls accept any of them. */
        public Builder audience(String audience) {
            this.audiences.add(Objects.requireNonNull(audience, "audience"));
            return this;
        }

        /** The {@code alg} values accepted from this issuer, instead of the filter's. */
        public Builder algorithms(String... algorithms) {
            this.algorithms = ValidationPolicy.algorithmsNamed(algorithms);
            return this;
        }

        /** Scopes this issuer's tokens must grant, besides those the filter requires of every token. */
        public Builder requiredScopes(String... scopes) {
            this.requiredScopes.addAll(Arrays.asList(scopes));
            return this;
        }

        /**
         * The trusted issuer.
         *
         * @throws IllegalArgumentException if the issuer is blank, or has no keys and is not an
         *     absolute http(s) URI whose metadata could be read
         */
        public TrustedIssuer build() {
            if (issuer.isBlank()) {
                throw new IllegalArgumentException("issuer must not be blank");
            }
            return new TrustedIssuer(this);
        }
    }
}
