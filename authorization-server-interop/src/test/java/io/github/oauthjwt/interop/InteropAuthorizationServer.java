package io.github.oauthjwt.interop;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Authorization Server as Spring Boot sets one up, and nothing more: the registered client
 * comes from {@code application.yml}, and Boot's auto-configuration supplies the
 * {@code InMemoryRegisteredClientRepository}, a {@code JWKSource} with an RSA key generated at start,
 * the {@code AuthorizationServerSettings} (issuer from
 * {@code spring.security.oauth2.authorizationserver.issuer}) and the endpoints. A servlet app on
 * Tomcat; {@link RunningAuthorizationServer} starts it.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class InteropAuthorizationServer {
}
