package io.github.oauthjwt.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that real I/O makes true (a fetch answered on another thread), checking it
 * often and failing after a deadline, instead of sleeping for a guessed time.
 */
public final class Await {

    private Await() {
    }

    /** Returns once {@code condition} holds; fails the test if it does not within 10 seconds. */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }
}
