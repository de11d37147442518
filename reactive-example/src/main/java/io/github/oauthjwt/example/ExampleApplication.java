package io.github.oauthjwt.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A Spring Boot WebFlux API secured by webflux-oauth-jwt: functional routes under {@code /api/}
 * that answer only requests with a valid OAuth JWT access token. With {@code oauth-jwt.jwks-uri}
 * set it trusts that authorization server; without it, an embedded demo issuer mints tokens so the
 * example runs on its own.
 */
@SpringBootApplication
@EnableConfigurationProperties({OAuthJwtProperties.class, DpopProperties.class, CertificateBindingProperties.class})
public class ExampleApplication {

    /** Starts the app; every {@code --name=value} argument overrides a setting. */
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
