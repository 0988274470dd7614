package dev.kava.kernel.time;

import dev.kava.abi.Time;
import dev.kava.arch.riscv.Isa;
import dev.kava.arch.riscv.Vdso;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernel's one clock source (timekeeping): wall time for CLOCK_REALTIME and a monotonic
 * count since boot for CLOCK_MONOTONIC and CLOCK_BOOTTIME. A virtual clock (deterministic
 * mode) counts guest instructions instead: one retired instruction is one nanosecond, and an
 * idle machine jumps to its next timer, so runs repeat exactly.
 *
 * <p>The host clock's source is the riscv time CSR (drivers/clocksource/timer-riscv.c): ticks
 * of {@link Isa#TIMEBASE_HZ} since boot. CLOCK_MONOTONIC is those ticks in nanoseconds and
 * CLOCK_REALTIME is CLOCK_MONOTONIC plus the wall time at boot, so the vDSO, reading the same
 * CSR and the bases in {@link #vvarPage()}, computes exactly what the system calls return.
 */
public class Clock {
    /** The wall time a virtual clock starts at: 2025-01-01T00:00:00Z. */
    public static final long VIRTUAL_EPOCH_NANOS = 1_735_689_600L * 1_000_000_000L;

    /** Nanoseconds per time-CSR tick (the clocksource's mult, with shift 0). */
    public static final long NS_PER_TICK = Time.NSEC_PER_SEC / Isa.TIMEBASE_HZ;

    private final long bootNanos = System.nanoTime();
    /** The NTP state adjtimex reads and sets (kernel/time/ntp.c). */
    public final Ntp ntp = new Ntp();
    /** CLOCK_REALTIME - CLOCK_MONOTONIC (the wall time at boot; wall_to_monotonic negated). */
    private final long realtimeOffset;
    private final boolean virtual;
    private final AtomicLong virtualNanos = new AtomicLong();

    /** The host's clocks. */
    public Clock() {
        this(false);
    }

    protected Clock(boolean virtual) {
        this.virtual = virtual;
        Instant now = Instant.now();
        this.realtimeOffset = virtual ? VIRTUAL_EPOCH_NANOS
                : now.getEpochSecond() * Time.NSEC_PER_SEC + now.getNano() - (System.nanoTime() - bootNanos) / NS_PER_TICK * NS_PER_TICK;
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
        return realtimeOffset + monotonicNanos();
    }

    /** Nanoseconds since boot; never goes backwards. */
    public long monotonicNanos() {
        if (virtual) return virtualNanos.get();
        return timeCsr() * NS_PER_TICK;
    }

    /** The time CSR every hart reads (rdtime): ticks of {@link Isa#TIMEBASE_HZ} since boot. */
    public long timeCsr() {
        if (virtual) return virtualNanos.get() / NS_PER_TICK;
        return (System.nanoTime() - bootNanos) / NS_PER_TICK;
    }

    /**
     * update_vsyscall (kernel/time/vsyscall.c): the vDSO's data page for this clock. A host
     * clock is exact in the vDSO (ticks times NS_PER_TICK plus a constant base per clock). A
     * virtual clock counts nanoseconds the time CSR cannot resolve, so there the page says
     * VDSO_CLOCKMODE_NONE and every call makes the system call.
     */
    public byte[] vvarPage() {
        long[] base = new long[Vdso.VVAR_NCLOCKS];
        base[Time.CLOCK_REALTIME] = base[Time.CLOCK_REALTIME_COARSE] = realtimeOffset;
        base[Time.CLOCK_TAI] = realtimeOffset + TimeSyscalls.TAI_OFFSET_NANOS;
        // CLOCK_MONOTONIC, _RAW, _COARSE and CLOCK_BOOTTIME start at 0: no suspend, no NTP slew.
        int mask = 1 << Time.CLOCK_REALTIME | 1 << Time.CLOCK_MONOTONIC | 1 << Time.CLOCK_MONOTONIC_RAW
                | 1 << Time.CLOCK_REALTIME_COARSE | 1 << Time.CLOCK_MONOTONIC_COARSE | 1 << Time.CLOCK_BOOTTIME
                | 1 << Time.CLOCK_TAI;
        return Vdso.vvarPage(!virtual, mask, (int) NS_PER_TICK, base);
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
