package io.github.oauthjwt.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/** Each thread's place in the token pool; threads start half a pool apart, so they use different requests. */
@State(Scope.Thread)
public class Cursor {
    private int next;

    /** Starts this thread's walk through the pool. */
    @Setup(Level.Trial)
    public void setUp(ThreadParams thread) {
        next = (thread.getThreadIndex() * (VerifyBenchmark.POOL / 2)) & (VerifyBenchmark.POOL - 1);
    }

    int next() {
        int index = next;
        next = (index + 1) & (VerifyBenchmark.POOL - 1);
        return index;
    }
}
