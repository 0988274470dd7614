package dev.kava.kernel.time;

import dev.kava.abi.Errno;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.abi.Time;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.sched.WaitQueue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * clock_gettime, clock_getres, gettimeofday, nanosleep, clock_nanosleep, getitimer,
 * setitimer and the POSIX timer calls (kernel/time/posix-timers.c, kernel/time/time.c,
 * kernel/time/hrtimer.c, kernel/time/itimer.c).
 */
public final class TimeSyscalls {
    private TimeSyscalls() {}

    /** CLOCK_TAI - CLOCK_REALTIME: TAI-UTC, 37 s since 2017 (what an NTP-synced Linux sets with adjtimex). */
    public static final long TAI_OFFSET_NANOS = 37 * Time.NSEC_PER_SEC;

    /** TICK_NSEC at HZ=250, the resolution of the coarse clocks. */
    private static final long TICK_NSEC = 4_000_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void register(SyscallTable t) {
        t.register(SyscallNr.CLOCK_GETTIME, (task, a) -> clockGettime(task, (int) a[0], a[1]));
        t.register(SyscallNr.CLOCK_GETRES, (task, a) -> clockGetres(task, (int) a[0], a[1]));
        t.register(SyscallNr.GETTIMEOFDAY, (task, a) -> gettimeofday(task, a[0], a[1]));
        t.register(SyscallNr.CLOCK_SETTIME, (task, a) -> clockSettime(task, (int) a[0], a[1]));
        t.register(SyscallNr.SETTIMEOFDAY, (task, a) -> settimeofday(task, a[0], a[1]));
        t.register(SyscallNr.NANOSLEEP, (task, a) -> nanosleep(task, a[0], a[1]));
        t.register(SyscallNr.CLOCK_NANOSLEEP, (task, a) -> clockNanosleep(task, (int) a[0], (int) a[1], a[2], a[3]));
        t.register(SyscallNr.GETITIMER, (task, a) -> getitimer(task, (int) a[0], a[1]));
        t.register(SyscallNr.SETITIMER, (task, a) -> setitimer(task, (int) a[0], a[1], a[2]));
        t.register(SyscallNr.TIMER_CREATE, (task, a) -> timerCreate(task, (int) a[0], a[1], a[2]));
        t.register(SyscallNr.TIMER_SETTIME, (task, a) -> timerSettime(task, (int) a[0], (int) a[1], a[2], a[3]));
        t.register(SyscallNr.TIMER_GETTIME, (task, a) -> timerGettime(task, (int) a[0], a[1]));
        t.register(SyscallNr.TIMER_GETOVERRUN, (task, a) -> timerGetoverrun(task, (int) a[0]));
        t.register(SyscallNr.TIMER_DELETE, (task, a) -> timerDelete(task, (int) a[0]));
    }

    /** Nothing wakes this queue: sleepers wait for their deadline or a signal. */
    private static final WaitQueue NEVER = new WaitQueue();

    /** A clock's current value in nanoseconds, or -EINVAL for an unknown clock. */
    static long now(Task t, int clock) {
        Clock c = t.kernel.clock();
        return switch (clock) {
            case Time.CLOCK_REALTIME, Time.CLOCK_REALTIME_COARSE, Time.CLOCK_REALTIME_ALARM -> c.realtimeNanos();
            case Time.CLOCK_TAI -> c.realtimeNanos() + TAI_OFFSET_NANOS;
            case Time.CLOCK_MONOTONIC, Time.CLOCK_MONOTONIC_RAW, Time.CLOCK_MONOTONIC_COARSE,
                 Time.CLOCK_BOOTTIME, Time.CLOCK_BOOTTIME_ALARM -> c.monotonicNanos();
            case Time.CLOCK_PROCESS_CPUTIME_ID -> t.group.cpuNanos();
            case Time.CLOCK_THREAD_CPUTIME_ID -> t.instructionsRetired();
            default -> cpuClockOf(t, clock);
        };
    }


    /** The CPU clocks of clock_getcpuclockid: ~pid << 3 | which; only our own process and thread exist. */
    private static long cpuClockOf(Task t, int clock) {
        if (clock >= 0 || (clock & 7) == 3 || (clock & 7) > 6) return -Errno.EINVAL;
        int pid = ~(clock >> 3);
        boolean perThread = (clock & 4) != 0;
        if (pid != 0 && pid != (perThread ? t.tid : t.group.tgid)) return -Errno.EINVAL;
        // CPU time is user time: guest instructions retired, one ns each (what getrusage reports).
        return perThread ? t.instructionsRetired() : t.group.cpuNanos();
    }

    private static byte[] timespec(long nanos) {
        byte[] b = new byte[Time.TIMESPEC_SIZE];
        Uaccess.putLong(b, 0, Math.floorDiv(nanos, Time.NSEC_PER_SEC));
        Uaccess.putLong(b, 8, Math.floorMod(nanos, Time.NSEC_PER_SEC));
        return b;
    }

    private static long clockGettime(Task t, int clock, long tp) {
        long n = now(t, clock);
        if (n < 0 && Errno.isError(n)) return n;
        t.mem.write(tp, timespec(n));
        return 0;
    }

    private static long clockGetres(Task t, int clock, long tp) {
        long n = now(t, clock);
        if (n < 0 && Errno.isError(n)) return n;
        long res = (clock == Time.CLOCK_REALTIME_COARSE || clock == Time.CLOCK_MONOTONIC_COARSE) ? TICK_NSEC : 1;
        if (tp != 0) t.mem.write(tp, timespec(res));
        return 0;
    }

    private static long gettimeofday(Task t, long tv, long tz) {
        if (tv != 0) {
            long n = t.kernel.clock().realtimeNanos();
            byte[] b = new byte[Time.TIMEVAL_SIZE];
            Uaccess.putLong(b, 0, Math.floorDiv(n, Time.NSEC_PER_SEC));
            Uaccess.putLong(b, 8, Math.floorMod(n, Time.NSEC_PER_SEC) / 1000);
            t.mem.write(tv, b);
        }
        if (tz != 0) {
            int[] sysTz = t.kernel.clock().sysTz();
            byte[] b = new byte[Time.TIMEZONE_SIZE];
            Uaccess.putInt(b, 0, sysTz[0]);
            Uaccess.putInt(b, 4, sysTz[1]);
            t.mem.write(tz, b);
        }
        return 0;
    }

    /**
     * clock_settime (kernel/time/posix-timers.c): only CLOCK_REALTIME has a clock_set
     * (posix_clock_realtime_set, which is settimeofday without a timezone); the clocks of
     * clock_getcpuclockid answer EPERM ("you can never reset a CPU clock", posix_cpu_clock_set)
     * once the clock id checks out; every other clock, CLOCK_PROCESS_CPUTIME_ID and
     * CLOCK_THREAD_CPUTIME_ID included (clock_process has no clock_set), EINVAL.
     */
    private static long clockSettime(Task t, int clock, long tp) {
        boolean cpuClock = clock < 0 && (clock & 7) != 3;
        if (clock != Time.CLOCK_REALTIME && !cpuClock) return -Errno.EINVAL;
        byte[] b = t.mem.read(tp, Time.TIMESPEC_SIZE);
        if (cpuClock) {
            long n = cpuClockOf(t, clock); // validate_clock_permissions
            return Errno.isError(n) ? n : -Errno.EPERM;
        }
        return doSysSettimeofday(t, true, Uaccess.getLong(b, 0), Uaccess.getLong(b, 8), null);
    }

    /** settimeofday (kernel/time/time.c): a struct __kernel_old_timeval and a struct timezone, either may be NULL. */
    private static long settimeofday(Task t, long tv, long tz) {
        long sec = 0, nsec = 0;
        if (tv != 0) {
            byte[] b = t.mem.read(tv, Time.TIMEVAL_SIZE);
            sec = Uaccess.getLong(b, 0);
            long usec = Uaccess.getLong(b, 8);
            if (usec > 1_000_000 || usec < 0) return -Errno.EINVAL;
            nsec = usec * 1000;
        }
        int[] newTz = null;
        if (tz != 0) {
            byte[] b = t.mem.read(tz, Time.TIMEZONE_SIZE);
            newTz = new int[]{Uaccess.getInt(b, 0), Uaccess.getInt(b, 4)};
        }
        return doSysSettimeofday(t, tv != 0, sec, nsec, newTz);
    }

    /**
     * do_sys_settimeofday64: the time must be valid (EINVAL first), then CAP_SYS_TIME
     * (security_settime64), then the timezone (within +-15 hours), then the time.
     */
    private static long doSysSettimeofday(Task t, boolean hasTv, long sec, long nsec, int[] tz) {
        if (hasTv && !Clock.validSettod(sec, nsec)) return -Errno.EINVAL;
        if (!Ntp.capSysTime(t)) return -Errno.EPERM;
        Clock c = t.kernel.clock();
        if (tz != null) {
            if (tz[0] > 15 * 60 || tz[0] < -15 * 60) return -Errno.EINVAL;
            c.setSysTz(tz[0], tz[1], hasTv);
        }
        return hasTv ? c.settime(sec, nsec) : 0;
    }

    /** Reads a struct __kernel_timespec and checks it (timespec64_valid); returns nanoseconds. */
    private static long readTimespec(Task t, long addr) {
        byte[] b = t.mem.read(addr, Time.TIMESPEC_SIZE);
        long sec = Uaccess.getLong(b, 0), nsec = Uaccess.getLong(b, 8);
        if (sec < 0 || nsec < 0 || nsec >= Time.NSEC_PER_SEC) return -Errno.EINVAL;
        if (sec > Long.MAX_VALUE / Time.NSEC_PER_SEC - 1) return Long.MAX_VALUE; // KTIME_MAX: forever
        return sec * Time.NSEC_PER_SEC + nsec;
    }

    private static long nanosleep(Task t, long req, long rem) {
        long ns = readTimespec(t, req);
        if (ns < 0) return ns;
        t.signals.restart = null;
        return sleepUntil(t, Time.CLOCK_MONOTONIC, saturatingAdd(now(t, Time.CLOCK_MONOTONIC), ns), rem, false);
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /**
     * The clock an hrtimer runs on (__hrtimer_init): a relative CLOCK_REALTIME timer runs on
     * CLOCK_MONOTONIC, so that setting the clock does not move it, as POSIX requires.
     */
    static int hrtimerBase(int clock, boolean abs) {
        return clock == Time.CLOCK_REALTIME && !abs ? Time.CLOCK_MONOTONIC : clock;
    }

    /** Whether a timer on this base clock follows CLOCK_REALTIME when it is set (the realtime hrtimer bases). */
    static boolean followsRealtime(int base) {
        return base == Time.CLOCK_REALTIME || base == Time.CLOCK_REALTIME_ALARM || base == Time.CLOCK_TAI;
    }

    /**
     * do_nanosleep and hrtimer_nanosleep: an interruptible sleep until expiry on clock. A
     * relative sleep cut short writes the time left to rmtp and returns -ERESTART_RESTARTBLOCK
     * (EINTR after a handler; restart_syscall sleeps on to the same expiry otherwise); an
     * absolute one returns -ERESTARTNOHAND. A sleep until a wall time wakes when the wall
     * clock is set, and sleeps on to the expiry by the new wall time (clock_was_set).
     */
    private static long sleepUntil(Task t, int clock, long expiry, long rmtp, boolean abs) {
        Clock c = t.kernel.clock();
        boolean wall = followsRealtime(clock);
        int r;
        while (true) {
            long steps = c.setCount();
            long nowClock = now(t, clock);
            long nowMono = c.monotonicNanos();
            long deadline = expiry == Long.MAX_VALUE ? Long.MAX_VALUE : saturatingAdd(nowMono, Math.max(0, expiry - nowClock));
            r = wall ? t.waitEvent(c.wasSet(), () -> c.setCount() != steps, deadline) : t.waitEvent(NEVER, () -> false, deadline);
            if (r != 0) break; // else the clock was set: look at it again
        }
        if (r != -Errno.EINTR) return 0;
        long left = expiry == Long.MAX_VALUE ? Long.MAX_VALUE : expiry - now(t, clock);
        if (left <= 0) return 0;
        if (abs) return -Errno.ERESTARTNOHAND;
        if (rmtp != 0) t.mem.write(rmtp, timespec(left == Long.MAX_VALUE ? Long.MAX_VALUE / Time.NSEC_PER_SEC * Time.NSEC_PER_SEC : left));
        t.signals.restart = task -> sleepUntil(task, clock, expiry, rmtp, false);
        return -Errno.ERESTART_RESTARTBLOCK;
    }

    private static long clockNanosleep(Task t, int clock, int flags, long req, long rem) {
        switch (clock) {
            case Time.CLOCK_REALTIME, Time.CLOCK_MONOTONIC, Time.CLOCK_BOOTTIME, Time.CLOCK_TAI,
                 Time.CLOCK_REALTIME_ALARM, Time.CLOCK_BOOTTIME_ALARM, Time.CLOCK_PROCESS_CPUTIME_ID -> { }
            case Time.CLOCK_MONOTONIC_RAW, Time.CLOCK_REALTIME_COARSE, Time.CLOCK_MONOTONIC_COARSE -> {
                return -Errno.EOPNOTSUPP; // these clocks have no nsleep
            }
            case Time.CLOCK_THREAD_CPUTIME_ID -> { return -Errno.EOPNOTSUPP; } // clock_thread has no nsleep
            default -> {
                if (clock >= 0 || (clock & 4) != 0) return -Errno.EINVAL;
                long n = cpuClockOf(t, clock);
                if (Errno.isError(n)) return n;
            }
        }
        long ns = readTimespec(t, req);
        if (ns < 0) return ns;
        t.signals.restart = null;
        if ((flags & Time.TIMER_ABSTIME) != 0) return sleepUntil(t, clock, ns, 0, true);
        int base = hrtimerBase(clock, false);
        return sleepUntil(t, base, saturatingAdd(now(t, base), ns), rem, false);
    }

    // ---- interval timers (kernel/time/itimer.c) ----

    private static final long NSEC_PER_USEC = 1000;

    /** struct __kernel_old_itimerval from {value, interval} ns: timevals, microseconds truncated. */
    private static byte[] itimerval(long[] v) {
        byte[] b = new byte[Time.ITIMERVAL_SIZE];
        Uaccess.putLong(b, 0, v[1] / Time.NSEC_PER_SEC);
        Uaccess.putLong(b, 8, v[1] % Time.NSEC_PER_SEC / NSEC_PER_USEC);
        Uaccess.putLong(b, 16, v[0] / Time.NSEC_PER_SEC);
        Uaccess.putLong(b, 24, v[0] % Time.NSEC_PER_SEC / NSEC_PER_USEC);
        return b;
    }

    private static long getitimer(Task t, int which, long value) {
        long[] v;
        switch (which) {
            case Time.ITIMER_REAL -> v = t.group.signals.timers.getReal();
            // kava counts no system time, so the profiling and virtual timers both run on user time.
            case Time.ITIMER_VIRTUAL, Time.ITIMER_PROF -> v = t.group.signals.timers.getCpu(t.group, which);
            default -> { return -Errno.EINVAL; }
        }
        t.mem.write(value, itimerval(v));
        return 0;
    }

    private static long setitimer(Task t, int which, long value, long ovalue) {
        long val = 0, interval = 0;
        if (value != 0) {
            byte[] b = t.mem.read(value, Time.ITIMERVAL_SIZE);
            long isec = Uaccess.getLong(b, 0), iusec = Uaccess.getLong(b, 8);
            long vsec = Uaccess.getLong(b, 16), vusec = Uaccess.getLong(b, 24);
            // timeval_valid on it_value then it_interval.
            if (vsec < 0 || vusec < 0 || vusec >= 1_000_000 || isec < 0 || iusec < 0 || iusec >= 1_000_000) {
                return -Errno.EINVAL;
            }
            val = tvNanos(vsec, vusec);
            interval = tvNanos(isec, iusec);
        }
        long[] old;
        switch (which) {
            case Time.ITIMER_REAL -> old = t.group.signals.timers.setReal(t.group, val, interval);
            case Time.ITIMER_VIRTUAL, Time.ITIMER_PROF -> old = t.group.signals.timers.setCpu(t.group, which, val, interval);
            default -> { return -Errno.EINVAL; }
        }
        if (ovalue != 0) t.mem.write(ovalue, itimerval(old));
        return 0;
    }

    private static long tvNanos(long sec, long usec) {
        if (sec > Long.MAX_VALUE / Time.NSEC_PER_SEC - 1) return Long.MAX_VALUE / 2;
        return sec * Time.NSEC_PER_SEC + usec * NSEC_PER_USEC;
    }

    // ---- POSIX timers (kernel/time/posix-timers.c) ----

    private static long timerCreate(Task t, int clock, long sevp, long timerIdPtr) {
        int notify = Signal.SIGEV_SIGNAL, signo = Signal.SIGALRM, tid = 0;
        long value = 0;
        byte[] ev = sevp != 0 ? t.mem.read(sevp, Signal.SIGEVENT_SIZE) : null;
        switch (clock) {
            case Time.CLOCK_REALTIME, Time.CLOCK_MONOTONIC, Time.CLOCK_BOOTTIME, Time.CLOCK_TAI,
                 Time.CLOCK_REALTIME_ALARM, Time.CLOCK_BOOTTIME_ALARM -> { }
            case Time.CLOCK_MONOTONIC_RAW, Time.CLOCK_REALTIME_COARSE, Time.CLOCK_MONOTONIC_COARSE -> {
                return -Errno.EOPNOTSUPP;
            }
            case Time.CLOCK_PROCESS_CPUTIME_ID, Time.CLOCK_THREAD_CPUTIME_ID -> { }
            default -> {
                if (clock < 0) {
                    // clock_getcpuclockid's clocks: only the caller's own process or thread (posix_cpu_timer_create).
                    if ((clock & 7) == 3 || (clock & 7) > 6) return -Errno.EINVAL;
                    int pid = ~(clock >> 3);
                    boolean perThread = (clock & 4) != 0;
                    if (pid != 0 && pid != (perThread ? t.tid : t.group.tgid)) {
                        t.kernel.log().once("cputimer", t.describe() + ": CPU-time timers on other processes are not implemented");
                        return -Errno.ENOSYS;
                    }
                    break;
                }
                return -Errno.EINVAL;
            }
        }
        Task thread = null;
        if (ev != null) {
            value = Uaccess.getLong(ev, Signal.SIGEV_VALUE);
            signo = Uaccess.getInt(ev, Signal.SIGEV_SIGNO);
            notify = Uaccess.getInt(ev, Signal.SIGEV_NOTIFY);
            tid = Uaccess.getInt(ev, Signal.SIGEV_TID);
            // good_sigevent
            switch (notify) {
                case Signal.SIGEV_SIGNAL | Signal.SIGEV_THREAD_ID -> {
                    thread = t.kernel.findTask(tid);
                    if (thread == null || thread.group != t.group) return -Errno.EINVAL;
                    if (signo <= 0 || signo > Signal.SIGRTMAX) return -Errno.EINVAL;
                }
                case Signal.SIGEV_SIGNAL, Signal.SIGEV_THREAD -> {
                    if (signo <= 0 || signo > Signal.SIGRTMAX) return -Errno.EINVAL;
                }
                case Signal.SIGEV_NONE -> { }
                default -> { return -Errno.EINVAL; }
            }
        }
        int id;
        if (clock == Time.CLOCK_PROCESS_CPUTIME_ID || clock == Time.CLOCK_THREAD_CPUTIME_ID || clock < 0) {
            boolean perThread = clock == Time.CLOCK_THREAD_CPUTIME_ID || (clock < 0 && (clock & 4) != 0);
            int c = perThread ? Time.CLOCK_THREAD_CPUTIME_ID : Time.CLOCK_PROCESS_CPUTIME_ID;
            id = t.group.signals.timers.createCpu(t.group, c, perThread ? t : null, notify, signo, value, ev == null, thread);
        } else {
            id = t.group.signals.timers.create(t.group, clock, notify, signo, value, ev == null, thread);
        }
        if (id < 0) return -Errno.EAGAIN;
        try {
            t.mem.write32(timerIdPtr, id);
        } catch (dev.kava.kernel.ErrnoException e) {
            t.group.signals.timers.delete(id);
            throw e;
        }
        return 0;
    }

    /** struct __kernel_itimerspec from {value, interval}: it_interval first. */
    private static byte[] itimerspec(long[] v) {
        byte[] b = new byte[Time.ITIMERSPEC_SIZE];
        System.arraycopy(timespec(v[1]), 0, b, 0, 16);
        System.arraycopy(timespec(v[0]), 0, b, 16, 16);
        return b;
    }

    private static long timerSettime(Task t, int id, int flags, long newp, long oldp) {
        if (newp == 0) return -Errno.EINVAL;
        byte[] b = t.mem.read(newp, Time.ITIMERSPEC_SIZE);
        long isec = Uaccess.getLong(b, 0), insec = Uaccess.getLong(b, 8);
        long vsec = Uaccess.getLong(b, 16), vnsec = Uaccess.getLong(b, 24);
        if (isec < 0 || insec < 0 || insec >= Time.NSEC_PER_SEC || vsec < 0 || vnsec < 0 || vnsec >= Time.NSEC_PER_SEC) {
            return -Errno.EINVAL;
        }
        long interval = isec > Long.MAX_VALUE / Time.NSEC_PER_SEC - 1 ? Long.MAX_VALUE / 2 : isec * Time.NSEC_PER_SEC + insec;
        long value = vsec > Long.MAX_VALUE / Time.NSEC_PER_SEC - 1 ? Long.MAX_VALUE / 2 : vsec * Time.NSEC_PER_SEC + vnsec;
        long[] old = t.group.signals.timers.settime(id, (flags & Time.TIMER_ABSTIME) != 0, value, interval);
        if (old == null) return -Errno.EINVAL;
        if (oldp != 0) t.mem.write(oldp, itimerspec(old));
        return 0;
    }

    private static long timerGettime(Task t, int id, long setting) {
        long[] v = t.group.signals.timers.gettime(id);
        if (v == null) return -Errno.EINVAL;
        t.mem.write(setting, itimerspec(v));
        return 0;
    }

    private static long timerGetoverrun(Task t, int id) {
        int n = t.group.signals.timers.getoverrun(id);
        return n < 0 ? -Errno.EINVAL : n;
    }

    private static long timerDelete(Task t, int id) {
        return t.group.signals.timers.delete(id) ? 0 : -Errno.EINVAL;
    }
}
