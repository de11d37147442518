package io.github.oauthjwt.interop;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Authorization Server as Spring Boot sets one up: the registered clients come from
 * {@code application.yml}, the signing keys and the choice of ES256 for one client from
 * {@link SigningKeysConfiguration}, and Boot's auto-configuration supplies the
 * {@code InMemoryRegisteredClientRepository}, the {@code AuthorizationServerSettings} (issuer from
 * {@code spring.security.oauth2.authorizationserver.issuer}) and the endpoints. A servlet app on
 * Tomcat; {@link RunningAuthorizationServer} starts it.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class InteropAuthorizationServer {
}
