package dev.kava.kernel.time;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernel's one clock source (timekeeping): wall time for CLOCK_REALTIME and a monotonic
 * count since boot for CLOCK_MONOTONIC and CLOCK_BOOTTIME. A virtual clock (deterministic
 * mode) counts guest instructions instead: one retired instruction is one nanosecond, and an
 * idle machine jumps to its next timer, so runs repeat exactly.
 */
public class Clock {
    /** The wall time a virtual clock starts at: 2025-01-01T00:00:00Z. */
    public static final long VIRTUAL_EPOCH_NANOS = 1_735_689_600L * 1_000_000_000L;

    private final long bootNanos = System.nanoTime();
    private final boolean virtual;
    private final AtomicLong virtualNanos = new AtomicLong();

    /** The host's clocks. */
    public Clock() {
        this(false);
    }

    protected Clock(boolean virtual) {
        this.virtual = virtual;
    }

    /** A clock driven by guest instructions retired (deterministic mode). */
    public static Clock virtual() {
        return new Clock(true);
    }

    public boolean isVirtual() {
        return virtual;
    }

    /** Nanoseconds since the Unix epoch. */
    public long realtimeNanos() {
        if (virtual) return VIRTUAL_EPOCH_NANOS + virtualNanos.get();
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Nanoseconds since boot; never goes backwards. */
    public long monotonicNanos() {
        if (virtual) return virtualNanos.get();
        return System.nanoTime() - bootNanos;
    }

    /** Accounts retired guest instructions (virtual clock only; a host clock ignores it). */
    public void advance(long instructions) {
        if (virtual && instructions > 0) virtualNanos.addAndGet(instructions);
    }

    /** Moves a virtual clock forward to t (an idle machine reaching its next timer). */
    public void advanceTo(long t) {
        if (virtual) virtualNanos.accumulateAndGet(t, Math::max);
    }
}
