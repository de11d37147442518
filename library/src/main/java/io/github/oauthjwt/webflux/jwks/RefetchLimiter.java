package io.github.oauthjwt.webflux.jwks;

/**
 * A token bucket that bounds how often tokens with unknown {@code kid}s may make the cache refetch
 * the JWKS: it holds up to {@code burst} permits and regains one every {@code refillMillis}.
 *
 * <p>A refetch that finds the {@code kid} it was made for was a real key rotation, so its permit is
 * {@linkplain #refund() given back}; only refetches that find nothing use the budget up. Random
 * {@code kid}s thus cost at most {@code burst + window / refill} fetches in any window, while
 * rotations keep working. Time is passed in (milliseconds), so tests move it by hand. Thread-safe;
 * every method holds the lock for a few arithmetic operations only.
 */
final class RefetchLimiter {

    private final int burst;
    private final long refillMillis;
    private double permits;
    private long updatedAt;
    private boolean started;

    RefetchLimiter(int burst, long refillMillis) {
        this.burst = burst;
        this.refillMillis = refillMillis;
        this.permits = burst;
    }

    /** Takes a permit if one is left at time {@code now}. */
    synchronized boolean tryAcquire(long now) {
        refill(now);
        if (permits >= 1) {
            permits -= 1;
            return true;
        }
        return false;
    }

    /** Uses up a permit if any is left, for a fetch that was made without asking (a cold start). */
    synchronized void charge(long now) {
        refill(now);
        permits = Math.max(0, permits - 1);
    }

    /** Gives back a permit whose refetch found the key it was made for. */
    synchronized void refund() {
        permits = Math.min(burst, permits + 1);
    }

    /** The permits left at time {@code now}, for diagnostics and tests. */
    synchronized double available(long now) {
        refill(now);
        return permits;
    }

    private void refill(long now) {
        if (!started) {
            started = true;
            updatedAt = now;
            return;
        }
        if (now > updatedAt) {
            permits = Math.min(burst, permits + (double) (now - updatedAt) / refillMillis);
            updatedAt = now;
        }
    }
}
