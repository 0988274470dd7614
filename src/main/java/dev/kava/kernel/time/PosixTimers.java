package dev.kava.kernel.time;

import dev.kava.abi.Signal;
import dev.kava.abi.Time;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;

import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A process's timers (signal_struct's real_timer and posix_timers; kernel/time/itimer.c and
 * kernel/time/posix-timers.c): ITIMER_REAL and the POSIX timers of timer_create. They expire
 * on the kernel's timer thread (the hrtimer softirq) and queue their signal with {@link Signals}.
 */
public final class PosixTimers {
    /** The kernel timer thread: hrtimer expiry for every process. */
    private static final ScheduledThreadPoolExecutor EXPIRY = new ScheduledThreadPoolExecutor(1, r -> {
        Thread th = new Thread(r, "kava-timers");
        th.setDaemon(true);
        return th;
    });
    static {
        EXPIRY.setRemoveOnCancelPolicy(true);
    }

    /** The timer ids Linux hands out are below INT_MAX. */
    private static final int MAX_TIMERS = 1 << 16;

    /** One armed-or-not timer (struct k_itimer). The itimer uses id -1. */
    public final class KTimer {
        final int id;
        final int clock;
        final int notify;
        final int signo;
        final long value;
        /** The thread for SIGEV_THREAD_ID, else null (the process). */
        final Task thread;
        final TaskGroup group;
        /** Expiry in the timer's clock (ns), 0 when disarmed; the interval, 0 for one-shot. */
        long expiry, interval;
        ScheduledFuture<?> future;
        /** Expiries since the last queued signal was taken; the count timer_getoverrun reports. */
        int overrun, overrunLast;
        boolean sigPending, deleted;

        KTimer(int id, int clock, int notify, int signo, long value, Task thread, TaskGroup group) {
            this.id = id;
            this.clock = clock;
            this.notify = notify;
            this.signo = signo;
            this.value = value;
            this.thread = thread;
            this.group = group;
        }
    }

    private final TreeMap<Integer, KTimer> timers = new TreeMap<>();
    private int nextId;
    private KTimer real;

    /** The current time of a timer clock, in ns. */
    static long now(TaskGroup g, int clock) {
        Clock c = g.kernel.clock();
        return switch (clock) {
            case Time.CLOCK_REALTIME, Time.CLOCK_REALTIME_ALARM -> c.realtimeNanos();
            case Time.CLOCK_TAI -> c.realtimeNanos() + 37 * Time.NSEC_PER_SEC;
            default -> c.monotonicNanos();
        };
    }

    // ---- arming and expiry ----

    /** Arms t to expire at the absolute time expiry of its clock, or disarms it when expiry is 0. Holds this. */
    private void arm(KTimer t, long expiry, long interval) {
        if (t.future != null) {
            t.future.cancel(false);
            t.future = null;
        }
        t.expiry = expiry;
        t.interval = interval;
        if (expiry != 0) schedule(t);
    }

    private void schedule(KTimer t) {
        long delay = Math.max(0, t.expiry - now(t.group, t.clock));
        t.future = EXPIRY.schedule(() -> expire(t), delay, TimeUnit.NANOSECONDS);
    }

    /** posix_timer_fn / it_real_fn: queue the signal (or count an overrun), then forward a periodic timer. */
    private void expire(KTimer t) {
        SigInfo toSend = null;
        synchronized (this) {
            if (t.deleted || t.expiry == 0) return;
            if (t.group.exiting()) {
                t.expiry = 0;
                return;
            }
            long now = now(t.group, t.clock);
            if (now < t.expiry) { // the host woke us early
                schedule(t);
                return;
            }
            long missed = 0;
            if (t.interval > 0) {
                // hrtimer_forward: the next expiry after now; the skipped periods are overruns.
                long periods = (now - t.expiry) / t.interval;
                missed = periods;
                t.expiry += (periods + 1) * t.interval;
                schedule(t);
            } else {
                t.expiry = 0;
                t.future = null;
            }
            if (t.id < 0) {
                toSend = SigInfo.user(Signal.SIGALRM, Signal.SI_KERNEL, 0, 0);
            } else if (t.notify != Signal.SIGEV_NONE) {
                if (t.sigPending) {
                    t.overrun = (int) Math.min(Integer.MAX_VALUE, t.overrun + 1 + missed);
                } else {
                    t.overrun = (int) Math.min(Integer.MAX_VALUE, t.overrun + missed);
                    t.sigPending = true;
                    toSend = SigInfo.timer(t.signo, t.id, t.value, si -> dequeued(t, si));
                }
            }
        }
        if (toSend == null) return;
        if (t.thread != null) Signals.sendToTask(t.thread, toSend);
        else Signals.sendToGroup(t.group, toSend);
    }

    /** posixtimer_deliver_signal: the overrun count goes into si_overrun; a deleted timer's signal is dropped. */
    private synchronized SigInfo dequeued(KTimer t, SigInfo si) {
        t.sigPending = false;
        if (t.deleted) return null;
        t.overrunLast = t.overrun;
        t.overrun = 0;
        return si.withOverrun(t.overrunLast);
    }

    /** Remaining time and interval of t as {value, interval} in ns (common_timer_get). */
    private long[] get(KTimer t) {
        if (t == null || t.expiry == 0) return new long[]{0, t == null ? 0 : t.interval};
        long rem = t.expiry - now(t.group, t.clock);
        if (rem <= 0) rem = t.notify == Signal.SIGEV_NONE && t.interval == 0 ? 0 : 1;
        return new long[]{rem, t.interval};
    }

    // ---- ITIMER_REAL ----

    /** getitimer(ITIMER_REAL): {value, interval} in ns. */
    public synchronized long[] getReal() {
        if (real == null || real.expiry == 0) return new long[]{0, real == null ? 0 : real.interval};
        long rem = real.expiry - now(real.group, real.clock);
        return new long[]{rem <= 0 ? 1000 : rem, real.interval}; // an expired, unsignalled timer reads 1 us
    }

    /** setitimer(ITIMER_REAL): value 0 disarms; returns the old {value, interval}. */
    public synchronized long[] setReal(TaskGroup g, long value, long interval) {
        long[] old = getReal();
        if (real == null) real = new KTimer(-1, Time.CLOCK_MONOTONIC, Signal.SIGEV_SIGNAL, Signal.SIGALRM, 0, null, g);
        if (value == 0) arm(real, 0, 0);
        else arm(real, now(g, real.clock) + value, interval);
        return old;
    }

    // ---- POSIX timers ----

    /**
     * timer_create after the checks: a new disarmed timer, its id, or -1 when there are too many.
     * With no sigevent, Linux sends SIGALRM with the timer id as si_value (valueIsId).
     */
    public synchronized int create(TaskGroup g, int clock, int notify, int signo, long value, boolean valueIsId,
                                   Task thread) {
        if (timers.size() >= MAX_TIMERS) return -1;
        int id = nextId;
        while (timers.containsKey(id)) id = (id + 1) & Integer.MAX_VALUE;
        nextId = (id + 1) & Integer.MAX_VALUE;
        timers.put(id, new KTimer(id, clock, notify, signo, valueIsId ? id : value, thread, g));
        return id;
    }

    public synchronized boolean exists(int id) {
        return timers.containsKey(id);
    }

    /** timer_settime: returns the old {value, interval}, or null when there is no such timer. */
    public synchronized long[] settime(int id, boolean abs, long value, long interval) {
        KTimer t = timers.get(id);
        if (t == null) return null;
        long[] old = get(t);
        if (value == 0) {
            arm(t, 0, 0);
            t.interval = 0;
        } else {
            long expiry = abs ? value : now(t.group, t.clock) + value;
            if (expiry == 0) expiry = 1; // 0 means disarmed here
            arm(t, expiry, interval);
        }
        return old;
    }

    /** timer_gettime: {value, interval}, or null when there is no such timer. */
    public synchronized long[] gettime(int id) {
        KTimer t = timers.get(id);
        return t == null ? null : get(t);
    }

    /** timer_getoverrun: the overrun of the last delivered signal, or -1 when there is no such timer. */
    public synchronized int getoverrun(int id) {
        KTimer t = timers.get(id);
        return t == null ? -1 : t.overrunLast;
    }

    /** timer_delete: false when there is no such timer. */
    public synchronized boolean delete(int id) {
        KTimer t = timers.remove(id);
        if (t == null) return false;
        t.deleted = true;
        arm(t, 0, 0);
        return true;
    }

    /** exec and exit (exit_itimers): the POSIX timers go; exec keeps ITIMER_REAL. */
    public synchronized void execReset() {
        for (KTimer t : timers.values()) {
            t.deleted = true;
            arm(t, 0, 0);
        }
        timers.clear();
    }

    /** Every timer stops (the process is gone). */
    public synchronized void exit() {
        execReset();
        if (real != null) arm(real, 0, 0);
    }
}
