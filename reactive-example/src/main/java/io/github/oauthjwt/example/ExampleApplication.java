package io.github.oauthjwt.example;

import io.github.oauthjwt.autoconfigure.OAuthJwtProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A Spring Boot WebFlux API secured by webflux-oauth-jwt: functional routes under {@code /api/}
 * that answer only requests with a valid OAuth JWT access token. With {@code oauth-jwt.issuer} (or
 * {@code jwks-uri}, or {@code issuers}) set, the starter secures it for that authorization server;
 * without, an embedded demo issuer mints tokens so the example runs on its own. The settings are
 * bound here too, for the demo issuer, which the starter leaves alone.
 */
@SpringBootApplication
@EnableConfigurationProperties(OAuthJwtProperties.class)
public class ExampleApplication {

    /** Starts the app; every {@code --name=value} argument overrides a setting. */
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
