package io.github.oauthjwt.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: without a registry the library never asks for a Micrometer class. The
 * proof runs the library's classes in a class loader of their own (the compiled library and these
 * tests, loaded child-first) which records every class the library's code asks for and, in the
 * first test, refuses {@code io.micrometer}: for the library's code, Micrometer is absent. (Spring
 * Framework itself needs {@code micrometer-observation}, so a WebFlux application always has that
 * jar; {@code micrometer-core} it does not need, and the library does not either.)
 */
class MicrometerOptionalTests {

    /** Loads {@code io.github.oauthjwt.webflux} itself, records every request, and may refuse Micrometer. */
    private static final class LibraryClassLoader extends URLClassLoader {

        private final boolean refuseMicrometer;
        final Set<String> requested = ConcurrentHashMap.newKeySet();

        LibraryClassLoader(boolean refuseMicrometer) {
            super(new URL[] {location(OAuthJwtFilter.class), location(MicrometerOptionalTests.class)},
                    MicrometerOptionalTests.class.getClassLoader());
            this.refuseMicrometer = refuseMicrometer;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            if (refuseMicrometer && name.startsWith("io.micrometer.")) {
                throw new ClassNotFoundException(name + " (refused: Micrometer is absent here)");
            }
            if (!name.startsWith("io.github.oauthjwt.webflux.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }

        String run(String scenario) throws Exception {
            Callable<?> callable = (Callable<?>) loadClass(scenario).getConstructor().newInstance();
            return String.valueOf(callable.call());
        }

        private static URL location(Class<?> type) {
            return type.getProtectionDomain().getCodeSource().getLocation();
        }
    }

    @Test
    void filterAndKeySourceWorkWhileTheLibrarysCodeCannotSeeMicrometer() throws Exception {
        try (LibraryClassLoader loader = new LibraryClassLoader(true)) {
            assertThat(loader.run("io.github.oauthjwt.webflux.MicrometerFreeScenario"))
                    .isEqualTo("passed 401 1 key(s), introspected");
            assertThat(loader.requested).filteredOn(name -> name.startsWith("io.micrometer.")).isEmpty();
            assertThat(loader.requested).contains("io.github.oauthjwt.webflux.ExchangeVerifier",
                    "io.github.oauthjwt.webflux.jwks.KeyCache");
            assertThat(loader.requested).doesNotContain("io.github.oauthjwt.webflux.ValidationObservations",
                    "io.github.oauthjwt.webflux.jwks.JwksFetchObservations", "io.github.oauthjwt.webflux.jwks.JwksMetrics");
        }
    }

    @Test
    void theSameLoaderSeesTheLibraryAskForMicrometerOnceARegistryIsSet() throws Exception {
        try (LibraryClassLoader loader = new LibraryClassLoader(false)) {
            assertThat(loader.run("io.github.oauthjwt.webflux.ObservedScenario")).isEqualTo("passed");
            assertThat(loader.requested).contains("io.micrometer.observation.ObservationRegistry",
                    "io.micrometer.observation.Observation", "io.github.oauthjwt.webflux.ValidationObservations",
                    "io.github.oauthjwt.webflux.jwks.JwksFetchObservations");
        }
    }
}
