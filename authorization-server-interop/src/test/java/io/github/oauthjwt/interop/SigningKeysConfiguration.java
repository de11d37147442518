package io.github.oauthjwt.interop;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * What {@link InteropAuthorizationServer} adds to Spring Boot's set-up, by the extension points Spring
 * Authorization Server documents: a {@code JWKSource} bean, which takes the place of Boot's single
 * RSA key, with an RSA and an EC key that the tests can rotate ({@link RotatingSigningKeys}); a token
 * customizer that signs the access tokens of {@link #ES256_CLIENT_ID} with ES256 (the encoder then
 * picks the EC key) and leaves the others at the default RS256; and a {@link RequestLog} in front of
 * everything, so the tests can tell which of the server's endpoints the example called.
 */
@Configuration(proxyBeanMethods = false)
class SigningKeysConfiguration {

    /** The client, registered in {@code application.yml}, whose access tokens are signed with ES256. */
    static final String ES256_CLIENT_ID = "interop-es256-client";

    @Bean
    RotatingSigningKeys jwkSource() {
        return new RotatingSigningKeys();
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> es256ForItsClient() {
        return context -> {
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())
                    && ES256_CLIENT_ID.equals(context.getRegisteredClient().getClientId())) {
                context.getJwsHeader().algorithm(SignatureAlgorithm.ES256);
            }
        };
    }

    @Bean
    RequestLog requestLog() {
        return new RequestLog();
    }

    @Bean
    FilterRegistrationBean<RequestLog> requestLogRegistration(RequestLog requestLog) {
        FilterRegistrationBean<RequestLog> registration = new FilterRegistrationBean<>(requestLog);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
