package dev.kava.kernel.time;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The host threads that run expiring timers, kava's HRTIMER_SOFTIRQ and TIMER_SOFTIRQ: one for
 * high-resolution timers ({@link HrTimer}, {@link PosixTimers}), one for kernel timers
 * ({@link TimerList}, the network stack's), so that a long network timer never delays a
 * process's timer signal.
 *
 * <p>{@link #init} starts both at boot, as start_kernel calls init_timers() and hrtimers_init():
 * the first timer a program arms then costs what every later one does, instead of a thread
 * start and the executor's first run (milliseconds on a cold JVM, which a program measuring
 * its timer's remaining time sees).
 */
public final class TimerSoftirqs {
    private TimerSoftirqs() {}

    static final ScheduledThreadPoolExecutor HRTIMER = executor("kava-timers");
    static final ScheduledThreadPoolExecutor TIMER = executor("kava-timer-list");

    private static ScheduledThreadPoolExecutor executor(String name) {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, name);
            th.setDaemon(true);
            return th;
        });
        // A cancelled timer leaves the queue at once: programs re-arm timers far more often than they expire.
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    /** init_timers and hrtimers_init: the timer threads run from boot on. */
    public static void init() {
        HRTIMER.prestartAllCoreThreads();
        TIMER.prestartAllCoreThreads();
    }
}
