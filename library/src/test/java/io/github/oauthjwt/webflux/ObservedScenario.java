package io.github.oauthjwt.webflux;

import java.util.concurrent.Callable;

import io.github.oauthjwt.testing.JwksServer;
import io.github.oauthjwt.testing.TestKey;
import io.github.oauthjwt.testing.TestTokens;
import io.github.oauthjwt.webflux.jwks.JwksKeySource;
import io.micrometer.observation.ObservationRegistry;

/**
 * {@link MicrometerFreeScenario} with registries set: the control of {@link MicrometerOptionalTests},
 * showing that its class loader does see the library ask for Micrometer when it is used.
 */
public final class ObservedScenario implements Callable<String> {

    @Override
    public String call() throws Exception {
        TestKey key = TestKey.rsa("observed");
        ObservationRegistry registry = ObservationRegistry.create();
        try (JwksServer jwks = JwksServer.serving(key)) {
            JwksKeySource keys = JwksKeySource.builder(jwks.uri()).observationRegistry(registry).build();
            OAuthJwtFilter filter = OAuthJwtFilter.builder(keys).paths("/api/**").observationRegistry(registry).build();
            return MicrometerFreeScenario.run(filter, "Bearer " + TestTokens.signedBy(key).build());
        }
    }
}
