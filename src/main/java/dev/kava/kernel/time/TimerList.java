package dev.kava.kernel.time;

import dev.kava.kernel.Kernel;


/**
 * A kernel timer (struct timer_list, kernel/time/timer.c) on the kernel's clock: armed for an
 * absolute CLOCK_MONOTONIC time with {@link #mod}, cancelled with {@link #del}. Its function
 * runs once per arming, on the timer thread, or in deterministic mode on the vCPU-holding
 * thread at the first scheduling point past the deadline (the virtual clock decides). It
 * never runs guest code; it takes whatever locks its owner needs.
 *
 * <p>A timer re-armed or cancelled while its old expiry is already running sees a newer
 * generation and does nothing for the stale one, as del_timer / mod_timer guarantee.
 */
public final class TimerList {
    private final Kernel kernel;
    private final Runnable fn;
    private long expires;
    private long generation;
    private boolean pending;
    private TimerBase.Pending future;
    private dev.kava.kernel.sched.Scheduler.VirtualTimer vtimer;

    /** A timer on kernel's clock (null: the host's monotonic clock, for a stack without a kernel). */
    public TimerList(Kernel kernel, Runnable fn) {
        this.kernel = kernel;
        this.fn = fn;
    }

    /** The kernel's CLOCK_MONOTONIC in nanoseconds (the host's when there is no kernel). */
    public static long now(Kernel k) {
        return k != null ? k.clock().monotonicNanos() : System.nanoTime();
    }

    public long now() {
        return now(kernel);
    }

    /** mod_timer: (re)arms the timer for the absolute time expires (ns). */
    public synchronized void mod(long expires) {
        cancelLocked();
        this.expires = expires;
        pending = true;
        long gen = ++generation;
        long delay = Math.max(0, expires - now());
        if (kernel != null && kernel.deterministic()) {
            vtimer = kernel.scheduler().addVirtualTimer(now() + delay, () -> fire(gen));
        } else {
            future = TimerSoftirqs.TIMER.schedule(() -> fire(gen), delay);
        }
    }

    /** Arms the timer delayNanos from now. */
    public void modIn(long delayNanos) {
        mod(now() + Math.max(0, delayNanos));
    }

    /** del_timer: cancels the timer if armed; true if it was. */
    public synchronized boolean del() {
        boolean was = pending;
        cancelLocked();
        pending = false;
        generation++;
        return was;
    }

    /** timer_pending */
    public synchronized boolean pending() {
        return pending;
    }

    /** The absolute expiry of an armed timer. */
    public synchronized long expires() {
        return expires;
    }

    private void cancelLocked() {
        if (future != null) {
            future.cancel();
            future = null;
        }
        if (vtimer != null) {
            kernel.scheduler().cancelVirtualTimer(vtimer);
            vtimer = null;
        }
    }

    private void fire(long gen) {
        synchronized (this) {
            if (gen != generation || !pending) return;
            if (now() < expires) { // the host woke us a little early: wait for the real deadline
                long g = ++generation;
                future = TimerSoftirqs.TIMER.schedule(() -> fire(g), expires - now());
                return;
            }
            pending = false;
            future = null;
            vtimer = null;
        }
        try {
            fn.run();
        } catch (RuntimeException e) {
            if (kernel != null) kernel.log().oops("timer", e);
        }
    }
}
