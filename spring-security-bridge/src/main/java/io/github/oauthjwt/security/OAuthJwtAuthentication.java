package io.github.oauthjwt.security;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import io.github.oauthjwt.webflux.JwtClaims;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by a verified access token: its {@link JwtClaims}, the token itself as
 * credentials, and one {@code SCOPE_x} authority per granted scope, as Spring Security's own
 * resource server grants them, so {@code hasAuthority('SCOPE_admin')} works. The name is the
 * {@code sub} claim. Immutable.
 */
public final class OAuthJwtAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    /** The prefix of the authority each granted scope becomes. */
    public static final String SCOPE_PREFIX = "SCOPE_";

    private final transient JwtClaims claims;
    private final String token;

    /** An authenticated request with these verified claims. */
    public OAuthJwtAuthentication(JwtClaims claims, String token) {
        super(authorities(claims));
        this.claims = Objects.requireNonNull(claims, "claims");
        this.token = Objects.requireNonNull(token, "token");
        setAuthenticated(true);
    }

    private static Collection<? extends GrantedAuthority> authorities(JwtClaims claims) {
        List<GrantedAuthority> authorities = claims.scopes().stream()
                .<GrantedAuthority>map(scope -> new SimpleGrantedAuthority(SCOPE_PREFIX + scope)).toList();
        return authorities;
    }

    /** The verified claims. */
    public JwtClaims claims() {
        return claims;
    }

    /** The {@code sub} claim, or {@code null} when the token has none. */
    @Override
    public @Nullable String getName() {
        return claims.subject();
    }

    /** The verified claims, as Spring Security's principal. */
    @Override
    public JwtClaims getPrincipal() {
        return claims;
    }

    /** The access token. */
    @Override
    public String getCredentials() {
        return token;
    }

    @Override
    public String toString() {
        // Never the token.
        return "OAuthJwtAuthentication[sub=" + claims.subject() + ", authorities=" + getAuthorities() + "]";
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof OAuthJwtAuthentication that && super.equals(that) && token.equals(that.token);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + token.hashCode();
    }
}
