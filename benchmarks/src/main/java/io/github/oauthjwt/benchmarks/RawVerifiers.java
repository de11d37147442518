package io.github.oauthjwt.benchmarks;

import java.security.GeneralSecurityException;
import java.security.Signature;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Each thread's reused {@link Signature} objects for the floor: no provider lookup is measured. */
@State(Scope.Thread)
public class RawVerifiers {
    Signature jdk;
    Signature bouncyCastle;

    /** Looks the algorithm up in the JDK's providers and in the fixture's BouncyCastle instance. */
    @Setup(Level.Trial)
    public void setUp(VerifyBenchmark.Fixture fixture) throws GeneralSecurityException {
        jdk = Signature.getInstance(fixture.key.jdkName);
        bouncyCastle = Signature.getInstance(fixture.key.bouncyCastleName, fixture.bouncyCastle);
    }
}
