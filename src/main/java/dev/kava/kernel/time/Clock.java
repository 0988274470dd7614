package dev.kava.kernel.time;

import java.time.Instant;

/**
 * The kernel's one clock source (timekeeping): wall time for CLOCK_REALTIME and a monotonic
 * count since boot for CLOCK_MONOTONIC and CLOCK_BOOTTIME. A deterministic mode can later
 * replace it with time counted in guest instructions.
 */
public class Clock {
    private final long bootNanos = System.nanoTime();

    /** Nanoseconds since the Unix epoch. */
    public long realtimeNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Nanoseconds since boot; never goes backwards. */
    public long monotonicNanos() {
        return System.nanoTime() - bootNanos;
    }
}
