package dev.kava.kernel.time;

import dev.kava.abi.Errno;
import dev.kava.abi.SyscallNr;
import dev.kava.abi.Time;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * clock_gettime, clock_getres, gettimeofday, nanosleep, clock_nanosleep
 * (kernel/time/posix-timers.c, kernel/time/time.c, kernel/time/hrtimer.c).
 */
public final class TimeSyscalls {
    private TimeSyscalls() {}

    /** TICK_NSEC at HZ=250, the resolution of the coarse clocks. */
    private static final long TICK_NSEC = 4_000_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void register(SyscallTable t) {
        t.register(SyscallNr.CLOCK_GETTIME, (task, a) -> clockGettime(task, (int) a[0], a[1]));
        t.register(SyscallNr.CLOCK_GETRES, (task, a) -> clockGetres(task, (int) a[0], a[1]));
        t.register(SyscallNr.GETTIMEOFDAY, (task, a) -> gettimeofday(task, a[0], a[1]));
        t.register(SyscallNr.NANOSLEEP, (task, a) -> nanosleep(task, a[0], a[1]));
        t.register(SyscallNr.CLOCK_NANOSLEEP, (task, a) -> clockNanosleep(task, (int) a[0], (int) a[1], a[2], a[3]));
    }

    /** A clock's current value in nanoseconds, or -EINVAL for an unknown clock. */
    static long now(Task t, int clock) {
        Clock c = t.kernel.clock();
        return switch (clock) {
            case Time.CLOCK_REALTIME, Time.CLOCK_REALTIME_COARSE, Time.CLOCK_REALTIME_ALARM -> c.realtimeNanos();
            case Time.CLOCK_TAI -> c.realtimeNanos() + 37 * Time.NSEC_PER_SEC; // TAI-UTC since 2017
            case Time.CLOCK_MONOTONIC, Time.CLOCK_MONOTONIC_RAW, Time.CLOCK_MONOTONIC_COARSE,
                 Time.CLOCK_BOOTTIME, Time.CLOCK_BOOTTIME_ALARM -> c.monotonicNanos();
            case Time.CLOCK_PROCESS_CPUTIME_ID, Time.CLOCK_THREAD_CPUTIME_ID -> cpuTime();
            default -> cpuClockOf(t, clock);
        };
    }

    /** CPU time of the calling task: the host thread running it, for now. */
    private static long cpuTime() {
        long n = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
        return n >= 0 ? n : System.nanoTime();
    }

    /** The CPU clocks of clock_getcpuclockid: ~pid << 3 | which; only our own process and thread exist. */
    private static long cpuClockOf(Task t, int clock) {
        if (clock >= 0 || (clock & 7) == 3 || (clock & 7) > 6) return -Errno.EINVAL;
        int pid = ~(clock >> 3);
        boolean perThread = (clock & 4) != 0;
        if (pid != 0 && pid != (perThread ? t.tid : t.group.tgid)) return -Errno.EINVAL;
        return cpuTime();
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
        if (tz != 0) t.mem.write(tz, new byte[8]); // sys_tz: minuteswest 0, dsttime 0
        return 0;
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
        sleepNanos(ns);
        return 0;
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
        if ((flags & Time.TIMER_ABSTIME) != 0) {
            long nowNs = now(t, clock);
            ns = ns == Long.MAX_VALUE ? ns : Math.max(0, ns - nowNs);
        }
        sleepNanos(ns);
        return 0;
    }

    private static void sleepNanos(long ns) {
        if (ns <= 0) return;
        try {
            Thread.sleep(ns / 1_000_000, (int) (ns % 1_000_000));
        } catch (InterruptedException e) {
            // Interrupted by the kernel (shutdown): return early; EINTR comes with signal delivery.
            Thread.currentThread().interrupt();
        }
    }
}
