package dev.kava.kernel.time;

import dev.kava.abi.Errno;
import dev.kava.abi.Time;
import dev.kava.arch.riscv.Isa;
import dev.kava.arch.riscv.Vdso;
import dev.kava.kernel.sched.WaitQueue;
import dev.kava.mm.Page;

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
 *
 * <p>CLOCK_REALTIME can be set (do_settimeofday64, timekeeping_inject_offset): that moves the
 * realtime offset, rewrites the one vvar frame every process maps, and then runs
 * clock_was_set: what waits on {@link #wasSet()} (absolute CLOCK_REALTIME sleeps and timers,
 * timerfds with TFD_TIMER_CANCEL_ON_SET) looks again at the new wall time.
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME never move.
 */
public class Clock {
    /** The wall time a virtual clock starts at: 2025-01-01T00:00:00Z. */
    public static final long VIRTUAL_EPOCH_NANOS = 1_735_689_600L * 1_000_000_000L;

    /** Nanoseconds per time-CSR tick (the clocksource's mult, with shift 0). */
    public static final long NS_PER_TICK = Time.NSEC_PER_SEC / Isa.TIMEBASE_HZ;

    private final long bootNanos = System.nanoTime();
    /** The NTP state adjtimex reads and sets (kernel/time/ntp.c). */
    public final Ntp ntp = new Ntp();
    /** CLOCK_REALTIME - CLOCK_MONOTONIC (the wall time at boot; wall_to_monotonic negated); written holding this. */
    private volatile long realtimeOffset;
    private final boolean virtual;
    private final AtomicLong virtualNanos = new AtomicLong();
    /** The vDSO data page (vdso_time_data): one frame, mapped into every process's [vvar]. */
    private final Page vvar = Page.newFrame();
    /** clock_was_set's listeners: woken after every step of CLOCK_REALTIME. */
    private final WaitQueue wasSet = new WaitQueue();
    /** How many times the clock was set (clock_was_set_seq): a waiter compares it to notice a step. */
    private volatile long setCount;
    /** sys_tz: the timezone settimeofday stores and gettimeofday returns, {minuteswest, dsttime}. */
    private volatile int[] sysTz = {0, 0};
    /** do_sys_settimeofday64's firsttime: the first timezone set may warp the clock. */
    private boolean tzFirstTime = true;

    /** The host's clocks. */
    public Clock() {
        this(false);
    }

    protected Clock(boolean virtual) {
        this.virtual = virtual;
        Instant now = Instant.now();
        this.realtimeOffset = virtual ? VIRTUAL_EPOCH_NANOS
                : now.getEpochSecond() * Time.NSEC_PER_SEC + now.getNano() - (System.nanoTime() - bootNanos) / NS_PER_TICK * NS_PER_TICK;
        byte[] page = vvarContents();
        vvar.write(0, page, 0, page.length);
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

    /** The vvar frame every exec maps read-only below the vDSO (the kernel's vdso_time_data page). */
    public Page vvarFrame() {
        return vvar;
    }

    /** A copy of the vvar page as it is now. */
    public byte[] vvarPage() {
        byte[] b = new byte[Vdso.VVAR_SIZE];
        vvar.read(0, b, 0, b.length);
        return b;
    }

    /**
     * update_vsyscall (kernel/time/vsyscall.c): the vDSO's data page for this clock. A host
     * clock is exact in the vDSO (ticks times NS_PER_TICK plus a base per clock). A virtual
     * clock counts nanoseconds the time CSR cannot resolve, so there the page says
     * VDSO_CLOCKMODE_NONE and every call makes the system call.
     */
    private byte[] vvarContents() {
        int mask = 1 << Time.CLOCK_REALTIME | 1 << Time.CLOCK_MONOTONIC | 1 << Time.CLOCK_MONOTONIC_RAW
                | 1 << Time.CLOCK_REALTIME_COARSE | 1 << Time.CLOCK_MONOTONIC_COARSE | 1 << Time.CLOCK_BOOTTIME
                | 1 << Time.CLOCK_TAI;
        return Vdso.vvarPage(!virtual, mask, (int) NS_PER_TICK, bases());
    }

    /** Each clock's nanoseconds at time-CSR value 0. */
    private long[] bases() {
        long[] base = new long[Vdso.VVAR_NCLOCKS];
        base[Time.CLOCK_REALTIME] = base[Time.CLOCK_REALTIME_COARSE] = realtimeOffset;
        base[Time.CLOCK_TAI] = realtimeOffset + TimeSyscalls.TAI_OFFSET_NANOS;
        // CLOCK_MONOTONIC, _RAW, _COARSE and CLOCK_BOOTTIME start at 0: no suspend, no NTP slew.
        return base;
    }

    /** CLOCK_REALTIME - CLOCK_MONOTONIC now (ktime_mono_to_real(0)). */
    public long realtimeOffset() {
        return realtimeOffset;
    }

    /** timespec64_valid_settod (include/linux/time64.h): a time CLOCK_REALTIME may be set to. */
    public static boolean validSettod(long sec, long nsec) {
        return sec >= 0 && nsec >= 0 && nsec < Time.NSEC_PER_SEC && sec < Time.TIME_SETTOD_SEC_MAX;
    }

    /**
     * do_settimeofday64 (kernel/time/timekeeping.c): CLOCK_REALTIME becomes sec.nsec (already
     * checked with {@link #validSettod}); -EINVAL when that is before boot (the wall time would
     * be below CLOCK_MONOTONIC). Runs clock_was_set.
     */
    public long settime(long sec, long nsec) {
        synchronized (this) {
            long real = sec * Time.NSEC_PER_SEC + nsec;
            long mono = monotonicNanos();
            if (real < mono) return -Errno.EINVAL;
            setOffset(real - mono);
        }
        clockWasSet();
        return 0;
    }

    /**
     * timekeeping_inject_offset: CLOCK_REALTIME moves by delta ns; -EINVAL when the result
     * would be before boot or not a valid time to set.
     */
    public long injectOffset(long delta) {
        synchronized (this) {
            long mono = monotonicNanos();
            long real;
            try {
                real = Math.addExact(realtimeOffset + mono, delta);
            } catch (ArithmeticException e) {
                return -Errno.EINVAL;
            }
            if (real < mono || !validSettod(Math.floorDiv(real, Time.NSEC_PER_SEC), 0)) return -Errno.EINVAL;
            setOffset(real - mono);
        }
        clockWasSet();
        return 0;
    }

    /** timekeeping_update: the new offset, then the vvar page every process reads. Holds this. */
    private void setOffset(long offset) {
        realtimeOffset = offset;
        Vdso.writeBases(vvar.mem, bases());
        setCount++;
    }

    /** clock_was_set (kernel/time/hrtimer.c) with timerfd_clock_was_set: everything waiting on the wall time looks again. */
    private void clockWasSet() {
        wasSet.wakeAll();
    }

    /** Where absolute CLOCK_REALTIME waiters and timers wait to hear of a step. */
    public WaitQueue wasSet() {
        return wasSet;
    }

    /** How many times the clock has been set. */
    public long setCount() {
        return setCount;
    }

    /** sys_tz as {tz_minuteswest, tz_dsttime}. */
    public int[] sysTz() {
        return sysTz.clone();
    }

    /**
     * The timezone part of do_sys_settimeofday64: stores sys_tz; the first timezone ever set,
     * when no time comes with it, warps the clock from local time to UTC
     * (timekeeping_warp_clock: the RTC kept local time).
     */
    public void setSysTz(int minuteswest, int dsttime, boolean withTime) {
        boolean warp;
        synchronized (this) {
            sysTz = new int[]{minuteswest, dsttime};
            warp = tzFirstTime && !withTime && minuteswest != 0;
            tzFirstTime = false;
        }
        if (warp) injectOffset(minuteswest * 60L * Time.NSEC_PER_SEC);
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
