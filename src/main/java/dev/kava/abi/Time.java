package dev.kava.abi;

/** Clock ids and timer flags. From include/uapi/linux/time.h. */
public final class Time {
    private Time() {}

    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    public static final int CLOCK_THREAD_CPUTIME_ID = 3;
    public static final int CLOCK_MONOTONIC_RAW = 4;
    public static final int CLOCK_REALTIME_COARSE = 5;
    public static final int CLOCK_MONOTONIC_COARSE = 6;
    public static final int CLOCK_BOOTTIME = 7;
    public static final int CLOCK_REALTIME_ALARM = 8;
    public static final int CLOCK_BOOTTIME_ALARM = 9;
    public static final int CLOCK_SGI_CYCLE = 10;
    public static final int CLOCK_TAI = 11;

    public static final int TIMER_ABSTIME = 0x01;

    // include/uapi/linux/time.h: which timer for getitimer/setitimer.
    public static final int ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
    /** struct __kernel_old_itimerval: it_interval, it_value (timevals); struct __kernel_itimerspec: two timespecs. */
    public static final int ITIMERVAL_SIZE = 32, ITIMERSPEC_SIZE = 32;

    public static final long NSEC_PER_SEC = 1_000_000_000L;

    /** sizeof(struct __kernel_timespec) and sizeof(struct __kernel_old_timeval) on 64-bit. */
    public static final int TIMESPEC_SIZE = 16, TIMEVAL_SIZE = 16;

    /** sizeof(struct timezone) (include/uapi/linux/time.h): tz_minuteswest, tz_dsttime. */
    public static final int TIMEZONE_SIZE = 8;

    /** include/linux/time64.h: KTIME_SEC_MAX (KTIME_MAX / NSEC_PER_SEC). */
    public static final long KTIME_SEC_MAX = Long.MAX_VALUE / NSEC_PER_SEC;
    /** include/linux/time64.h: TIME_UPTIME_SEC_MAX, 30 years of uptime. */
    public static final long TIME_UPTIME_SEC_MAX = 30L * 365 * 24 * 3600;
    /** include/linux/time64.h: TIME_SETTOD_SEC_MAX, the limit timespec64_valid_settod puts on a time to set. */
    public static final long TIME_SETTOD_SEC_MAX = KTIME_SEC_MAX - TIME_UPTIME_SEC_MAX;
}
