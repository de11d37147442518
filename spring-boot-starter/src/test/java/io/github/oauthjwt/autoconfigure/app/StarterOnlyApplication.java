package io.github.oauthjwt.autoconfigure.app;

import io.github.oauthjwt.webflux.JwtClaims;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * An application that has only the starter and {@code application.yml}'s three {@code oauth-jwt.*}
 * properties: no security bean of its own, one controller.
 */
@SpringBootApplication
public class StarterOnlyApplication {

    /** The API. */
    @RestController
    static class HelloController {

        @GetMapping("/api/hello")
        String hello(ServerWebExchange exchange) {
            return "Hello " + JwtClaims.from(exchange).subject();
        }
    }
}
