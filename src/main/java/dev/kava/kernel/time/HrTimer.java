package dev.kava.kernel.time;

import dev.kava.abi.Time;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.sched.Scheduler;

import java.util.concurrent.TimeUnit;

/**
 * A one-shot high-resolution timer on a kernel clock (struct hrtimer, kernel/time/hrtimer.c)
 * for files that own a timer (timerfd). It expires on the kernel timer thread, or in
 * deterministic mode at the scheduler's virtual-clock points, as the POSIX timers do.
 *
 * <p>The owner's lock guards the timer: {@link #start} and {@link #cancel} are called holding
 * it, and the expiry function runs holding it, only if the timer is still armed with the same
 * expiry when it fires (a cancel or restart racing an expiry wins). The after function runs
 * next, without the lock, for the wakeups the expiry causes.
 *
 * <p>An absolute timer on CLOCK_REALTIME expires by the wall clock: while armed it listens on
 * the clock's clock_was_set queue and reprograms itself when the clock is set
 * (retrigger_next_event), firing at once if the new wall time is past its expiry.
 */
public final class HrTimer {
    private final Kernel kernel;
    private final int clock;
    /** The clock the expiry is in (hrtimer_clock_base): clock, or CLOCK_MONOTONIC for a relative CLOCK_REALTIME timer. */
    private int base;
    private final Object lock;
    /** The clock_was_set listener of an armed timer on a wall-clock base. */
    private final dev.kava.kernel.sched.WaitQueue.Callback onClockSet = key -> clockWasSet();
    /** Whether onClockSet is on the clock's queue (so a monotonic timer never touches that shared queue). */
    private boolean listening;
    private final Runnable expired, after;
    /** The absolute expiry in the timer's clock (hrtimer_get_expires); 0 for a timer never started. */
    private long expires;
    private boolean active;
    /** Counts starts and cancels: a scheduled expiry of an older generation does nothing. */
    private long generation;
    private TimerBase.Pending future;
    private Scheduler.VirtualTimer vtimer;

    public HrTimer(Kernel kernel, int clock, Object lock, Runnable expired, Runnable after) {
        this.kernel = kernel;
        this.clock = clock;
        this.base = clock;
        this.lock = lock;
        this.expired = expired;
        this.after = after;
    }

    /**
     * hrtimer_init's mode: an absolute timer, or a relative one, which on CLOCK_REALTIME runs
     * on CLOCK_MONOTONIC (__hrtimer_init). Call with the timer cancelled. Holds the lock.
     */
    public void init(boolean abs) {
        base = TimeSyscalls.hrtimerBase(clock, abs);
    }

    /** The current time of the timer's base clock, in ns: CLOCK_REALTIME (and _ALARM) or the monotonic/boot time. */
    public long now() {
        Clock c = kernel.clock();
        return base == Time.CLOCK_REALTIME || base == Time.CLOCK_REALTIME_ALARM ? c.realtimeNanos() : c.monotonicNanos();
    }

    public long expires() {
        return expires;
    }

    /** hrtimer_active: armed and not yet expired. */
    public boolean active() {
        return active;
    }

    /** Sets the expiry without arming (hrtimer_forward's hrtimer_add_expires, then a restart). */
    public void setExpires(long t) {
        expires = t;
    }

    /** hrtimer_start with HRTIMER_MODE_ABS: (re)arms the timer for the absolute time t. Holds the lock. */
    public void start(long t) {
        cancel();
        expires = t;
        active = true;
        if (TimeSyscalls.followsRealtime(base)) listen(true);
        schedule(generation);
    }

    /** hrtimer_restart: arms the timer again at its current expiry. Holds the lock. */
    public void restart() {
        start(expires);
    }

    /** hrtimer_try_to_cancel: the timer will not fire. Holds the lock. */
    public void cancel() {
        cancelScheduled();
        active = false;
    }

    /**
     * hrtimer_forward_now: moves the expiry past now by whole intervals; returns how many (0
     * when the expiry is still ahead). Does not arm the timer.
     */
    public long forwardNow(long interval) {
        long now = now();
        long delta = now - expires;
        if (delta < 0) return 0;
        long interval1 = Math.max(1, interval);
        long n = delta / interval1 + 1;
        expires = saturatingAdd(expires, multiplySaturating(n, interval1));
        return n;
    }

    private static long multiplySaturating(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi != 0 || lo < 0) ? Long.MAX_VALUE : lo;
    }

    static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private void schedule(long gen) {
        long delay = Math.max(0, expires - now());
        if (delay == Long.MAX_VALUE || expires == Long.MAX_VALUE) return; // KTIME_MAX: never expires
        if (kernel.deterministic()) {
            long deadline = saturatingAdd(kernel.clock().monotonicNanos(), delay);
            vtimer = kernel.scheduler().addVirtualTimer(deadline, () -> fire(gen));
        } else {
            future = TimerSoftirqs.HRTIMER.schedule(new Fire(gen), delay);
        }
    }

    /**
     * Runs the expiry function now if the timer is armed and its time has passed, without
     * waiting for the timer thread to get to it (which may lag behind a busy host): what a
     * reader sees then is what it would see on Linux, where the expiry is an interrupt away.
     * Returns true when it ran; the caller then does the wakeups. Holds the lock.
     */
    public boolean expireIfDue() {
        if (!active || now() < expires) return false;
        cancelScheduled();
        active = false;
        expired.run();
        return true;
    }

    private void listen(boolean on) {
        if (on == listening) return;
        listening = on;
        if (on) kernel.clock().wasSet().add(onClockSet);
        else kernel.clock().wasSet().remove(onClockSet);
    }

    private void cancelScheduled() {
        listen(false);
        generation++;
        if (future != null) {
            future.cancel();
            future = null;
        }
        if (vtimer != null) {
            kernel.scheduler().cancelVirtualTimer(vtimer);
            vtimer = null;
        }
    }

    /** clock_was_set: an armed wall-clock timer is programmed again for its expiry by the new wall time. */
    private void clockWasSet() {
        synchronized (lock) {
            if (!active) return;
            cancelScheduled();
            listen(true);
            schedule(generation);
        }
    }

    /**
     * The expiry task of one arming. A class rather than a lambda: a lambda's call site is
     * linked the first time it runs, which on a cold JVM costs a millisecond or more inside the
     * first timerfd_settime, and programs measure the time around that call.
     */
    private final class Fire implements Runnable {
        private final long gen;

        Fire(long gen) {
            this.gen = gen;
        }

        @Override
        public void run() {
            fire(gen);
        }
    }

    /**
     * Arms and cancels one absolute wall-clock timer, so that the JVM has loaded and linked the
     * code of arming (this class, the expiry task, the timer base's queue) before a program arms
     * its first timer: without it a first timerfd_settime from python3 took about 0.3 ms more
     * (0.72-0.77 ms against 0.42-0.54 ms, TimerBase in place). Expires nothing.
     */
    static void warmUp(Kernel kernel) {
        Object lock = new Object();
        HrTimer t = new HrTimer(kernel, Time.CLOCK_REALTIME, lock, NOTHING, NOTHING);
        synchronized (lock) {
            t.init(true);
            t.start(saturatingAdd(t.now(), TimeUnit.DAYS.toNanos(1)));
            t.cancel();
        }
    }

    private static final class Nothing implements Runnable {
        @Override
        public void run() {}
    }

    private static final Runnable NOTHING = new Nothing();

    /** __run_hrtimer: the expiry function, if this is still the armed generation and its time has come. */
    private void fire(long gen) {
        synchronized (lock) {
            if (gen != generation || !active) return;
            future = null;
            vtimer = null;
            if (now() < expires) { // the host woke us early
                schedule(gen);
                return;
            }
            listen(false);
            active = false;
            expired.run();
        }
        after.run();
    }
}
