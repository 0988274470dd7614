package dev.kava.kernel.time;

import dev.kava.abi.Resource;
import dev.kava.abi.Signal;
import dev.kava.abi.Time;
import dev.kava.kernel.Rlimits;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A process's timers (signal_struct's real_timer and posix_timers; kernel/time/itimer.c and
 * kernel/time/posix-timers.c): ITIMER_REAL and the POSIX timers of timer_create. They expire
 * on the kernel's timer thread (the hrtimer softirq) and queue their signal with {@link Signals}.
 * A timer armed with TIMER_ABSTIME on a wall clock follows that clock when it is set
 * (clock_was_set); a relative CLOCK_REALTIME timer runs on CLOCK_MONOTONIC, as in Linux.
 */
public final class PosixTimers {
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
        TimerBase.Pending future;
        /** Deterministic mode: the virtual-clock callback instead of the host timer thread. */
        dev.kava.kernel.sched.Scheduler.VirtualTimer vtimer;
        /** For a CPU-time clock: the thread whose time counts (CLOCK_THREAD_CPUTIME_ID), else null (the process). */
        Task cpuThread;
        /** Expiries since the last queued signal was taken; the count timer_getoverrun reports. */
        int overrun, overrunLast;
        boolean sigPending, deleted;
        /** The clock the expiry is in (the hrtimer base): clock, or CLOCK_MONOTONIC when armed relative on CLOCK_REALTIME. */
        int base;
        /** The clock_was_set listener, on the clock's queue while the timer is armed on a wall-clock base. */
        final dev.kava.kernel.sched.WaitQueue.Callback onClockSet = key -> clockWasSet(this);
        boolean listening;

        KTimer(int id, int clock, int notify, int signo, long value, Task thread, TaskGroup group) {
            this.id = id;
            this.clock = clock;
            this.base = clock;
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

    /** Whether a timer clock counts CPU time (CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID). */
    static boolean isCpuClock(int clock) {
        return clock == Time.CLOCK_PROCESS_CPUTIME_ID || clock == Time.CLOCK_THREAD_CPUTIME_ID;
    }

    /** The current time of t's clock (its base), in ns. */
    static long now(KTimer t) {
        if (isCpuClock(t.clock)) return t.cpuThread != null ? t.cpuThread.instructionsRetired() : t.group.cpuNanos();
        return now(t.group, t.base);
    }

    /** The current time of a timer clock, in ns. */
    static long now(TaskGroup g, int clock) {
        Clock c = g.kernel.clock();
        return switch (clock) {
            case Time.CLOCK_PROCESS_CPUTIME_ID, Time.CLOCK_THREAD_CPUTIME_ID -> g.cpuNanos();
            case Time.CLOCK_REALTIME, Time.CLOCK_REALTIME_ALARM -> c.realtimeNanos();
            case Time.CLOCK_TAI -> c.realtimeNanos() + TimeSyscalls.TAI_OFFSET_NANOS;
            default -> c.monotonicNanos();
        };
    }

    // ---- arming and expiry ----

    /** Arms t to expire at the absolute time expiry of its clock, or disarms it when expiry is 0. Holds this. */
    private void arm(KTimer t, long expiry, long interval) {
        if (t.future != null) {
            t.future.cancel();
            t.future = null;
        }
        if (t.vtimer != null) {
            t.group.kernel.scheduler().cancelVirtualTimer(t.vtimer);
            t.vtimer = null;
        }
        t.expiry = expiry;
        t.interval = interval;
        listen(t, expiry != 0 && TimeSyscalls.followsRealtime(t.base));
        if (expiry != 0) schedule(t);
    }

    private static void listen(KTimer t, boolean on) {
        if (on == t.listening) return;
        t.listening = on;
        if (on) t.group.kernel.clock().wasSet().add(t.onClockSet);
        else t.group.kernel.clock().wasSet().remove(t.onClockSet);
    }

    /** clock_was_set: an armed wall-clock timer is programmed again for its expiry by the new wall time. */
    private synchronized void clockWasSet(KTimer t) {
        if (t.deleted || t.expiry == 0) return;
        arm(t, t.expiry, t.interval);
    }

    private void schedule(KTimer t) {
        if (isCpuClock(t.clock)) {
            updateCpuNext();
            return;
        }
        long delay = Math.max(0, t.expiry - now(t));
        var k = t.group.kernel;
        if (k.deterministic()) {
            // Deterministic mode: the virtual clock decides, at the scheduler's points (no host timer thread).
            long deadline = k.clock().monotonicNanos() + delay;
            t.vtimer = k.scheduler().addVirtualTimer(deadline, () -> expire(t));
        } else {
            t.future = TimerSoftirqs.HRTIMER.schedule(new Expire(t), delay);
        }
    }

    /** The expiry task of one arming: a class, not a lambda, for the reason given at {@link HrTimer}'s Fire. */
    private final class Expire implements Runnable {
        private final KTimer t;

        Expire(KTimer t) {
            this.t = t;
        }

        @Override
        public void run() {
            expire(t);
        }
    }

    /** posix_timer_fn / it_real_fn: queue the signal (or count an overrun), then forward a periodic timer. */
    private void expire(KTimer t) {
        SigInfo toSend = null;
        synchronized (this) {
            if (t.deleted || t.expiry == 0) return;
            if (t.group.exiting()) {
                t.expiry = 0;
                listen(t, false);
                return;
            }
            long now = now(t);
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
                t.vtimer = null;
                listen(t, false);
                if (isCpuClock(t.clock)) updateCpuNext();
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
        long rem = t.expiry - now(t);
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

    /** timer_create on a CPU-time clock: the process's, or (cpuThread non-null) one thread's. */
    public synchronized int createCpu(TaskGroup g, int clock, Task cpuThread, int notify, int signo, long value,
                                      boolean valueIsId, Task thread) {
        int id = create(g, clock, notify, signo, value, valueIsId, thread);
        if (id >= 0) timers.get(id).cpuThread = cpuThread;
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
            if (!isCpuClock(t.clock)) t.base = TimeSyscalls.hrtimerBase(t.clock, abs);
            long expiry = abs ? value : now(t) + value;
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

    // ---- CPU-time timers: ITIMER_PROF, ITIMER_VIRTUAL and POSIX timers on CPU clocks (kernel/time/posix-cpu-timers.c) ----

    /** The itimers on process CPU time (signal->it[CPUCLOCK_PROF], it[CPUCLOCK_VIRT]): expiry and increment in ns. */
    private final long[] cpuExpires = new long[2], cpuIncr = new long[2];
    /** The earliest process CPU time at which a CPU timer may be due (Long.MAX_VALUE: none armed); read without the lock. */
    private volatile long cpuNext = Long.MAX_VALUE;

    /** TICK_NSEC for HZ=250 (riscv's defconfig): what an expired, unprocessed CPU itimer reads. */
    private static final long TICK_NSEC = 4_000_000;

    private static int cpuIndex(int which) {
        return which == Time.ITIMER_PROF ? 0 : 1;
    }

    /** get_cpu_itimer: {value, interval} in ns. */
    public synchronized long[] getCpu(TaskGroup g, int which) {
        int i = cpuIndex(which);
        return cpuOld(i, g.cpuNanos());
    }

    private long[] cpuOld(int i, long now) {
        long v = cpuExpires[i];
        if (v != 0) v = v < now ? TICK_NSEC : v - now;
        return new long[]{v, cpuIncr[i]};
    }

    /** set_cpu_itimer: value 0 disarms; returns the old {value, interval}. */
    public synchronized long[] setCpu(TaskGroup g, int which, long value, long interval) {
        int i = cpuIndex(which);
        long now = g.cpuNanos();
        long[] old = cpuOld(i, now);
        cpuExpires[i] = value > 0 ? now + value : 0;
        cpuIncr[i] = interval;
        updateCpuNext();
        return old;
    }

    /** Recomputes cpuNext. Holds this. */
    private void updateCpuNext() {
        long next = Long.MAX_VALUE;
        for (long e : cpuExpires) if (e != 0) next = Math.min(next, e);
        TaskGroup g = null;
        long groupNow = 0;
        for (KTimer t : timers.values()) {
            if (!isCpuClock(t.clock) || t.expiry == 0) continue;
            if (g == null) {
                g = t.group;
                groupNow = g.cpuNanos();
            }
            // A thread clock runs no faster than the process's: due no earlier than this.
            long due = t.cpuThread == null ? t.expiry : groupNow + Math.max(0, t.expiry - now(t));
            next = Math.min(next, due);
        }
        cpuNext = next;
    }

    /** Process CPU ns until the next CPU timer or RLIMIT_CPU may be due (for the run loop's budget), or Long.MAX_VALUE. */
    public long cpuBudget(TaskGroup g) {
        long next = Math.min(cpuNext, rlimitCpuNext(g));
        if (next == Long.MAX_VALUE) return Long.MAX_VALUE;
        return Math.max(1, next - g.cpuNanos());
    }

    /**
     * RLIMIT_CPU (seconds) as process CPU ns, Long.MAX_VALUE for RLIM_INFINITY or a limit past
     * what ns can count. Linux arms the CPUCLOCK_PROF expiry cache with it (update_rlimit_cpu on
     * setrlimit, posix_cputimers_group_init on fork); kava reads the limit at each check instead.
     */
    static long rlimitNs(long seconds) {
        if (Long.compareUnsigned(seconds, Long.MAX_VALUE / Time.NSEC_PER_SEC) > 0) return Long.MAX_VALUE;
        return seconds * Time.NSEC_PER_SEC;
    }

    /** The process CPU time (ns) at which RLIMIT_CPU acts next: its soft or hard limit, whichever is first. */
    private static long rlimitCpuNext(TaskGroup g) {
        Rlimits r = g.rlimits;
        synchronized (r) {
            return Math.min(rlimitNs(r.cur(Resource.RLIMIT_CPU)), rlimitNs(r.max(Resource.RLIMIT_CPU)));
        }
    }

    /**
     * check_process_timers' RLIMIT_CPU part: at the hard limit SIGKILL; at the soft limit
     * SIGXCPU, and the soft limit moves one second on so that SIGXCPU comes again every CPU
     * second (sig->rlim[RLIMIT_CPU].rlim_cur = soft + 1, visible to getrlimit). Returns the
     * signal to send, or 0.
     */
    private static int checkRlimitCpu(TaskGroup g, long ptime) {
        Rlimits r = g.rlimits;
        synchronized (r) {
            long soft = r.cur(Resource.RLIMIT_CPU), hard = r.max(Resource.RLIMIT_CPU);
            if (soft == Resource.RLIM_INFINITY) return 0;
            if (hard != Resource.RLIM_INFINITY && ptime >= rlimitNs(hard)) return Signal.SIGKILL;
            if (ptime >= rlimitNs(soft)) {
                r.set(Resource.RLIMIT_CPU, soft + 1, hard);
                return Signal.SIGXCPU;
            }
            return 0;
        }
    }

    /**
     * run_posix_cpu_timers, from the run loop after a slice of guest code: sends SIGPROF and
     * SIGVTALRM (SI_KERNEL) for expired itimers, fires the CPU-clock POSIX timers that are due,
     * then enforces RLIMIT_CPU (SIGXCPU, SIGKILL), in check_process_timers' order.
     */
    public void checkCpu(TaskGroup g) {
        long rlimitNext = rlimitCpuNext(g);
        if (cpuNext == Long.MAX_VALUE && rlimitNext == Long.MAX_VALUE) return;
        long now = g.cpuNanos();
        if (now < cpuNext && now < rlimitNext) return;
        int[] sigs = new int[2];
        List<KTimer> due = new ArrayList<>();
        if (now >= cpuNext) {
            synchronized (this) {
                for (int i = 0; i < 2; i++) {
                    // check_cpu_itimer
                    if (cpuExpires[i] != 0 && now >= cpuExpires[i]) {
                        cpuExpires[i] = cpuIncr[i] != 0 ? cpuExpires[i] + cpuIncr[i] : 0;
                        sigs[i] = i == 0 ? Signal.SIGPROF : Signal.SIGVTALRM;
                    }
                }
                for (KTimer t : timers.values()) {
                    if (isCpuClock(t.clock) && t.expiry != 0 && now(t) >= t.expiry) due.add(t);
                }
                if (due.isEmpty()) updateCpuNext();
            }
        }
        for (int sig : sigs) if (sig != 0) Signals.sendToGroup(g, SigInfo.user(sig, Signal.SI_KERNEL, 0, 0));
        int limitSig = now >= rlimitNext ? checkRlimitCpu(g, now) : 0;
        if (limitSig != 0) Signals.sendToGroup(g, SigInfo.user(limitSig, Signal.SI_KERNEL, 0, 0));
        for (KTimer t : due) expire(t);
        if (!due.isEmpty()) {
            synchronized (this) {
                updateCpuNext();
            }
        }
    }

    /** exec and exit (exit_itimers): the POSIX timers go; exec keeps ITIMER_REAL. */
    public synchronized void execReset() {
        for (KTimer t : timers.values()) {
            t.deleted = true;
            arm(t, 0, 0);
        }
        timers.clear();
        updateCpuNext();
    }

    /** Every timer stops (the process is gone). */
    public synchronized void exit() {
        execReset();
        if (real != null) arm(real, 0, 0);
    }
}
