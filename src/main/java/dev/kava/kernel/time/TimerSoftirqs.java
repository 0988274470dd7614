package dev.kava.kernel.time;

import dev.kava.kernel.Kernel;

/**
 * The host threads that run expiring timers, kava's HRTIMER_SOFTIRQ and TIMER_SOFTIRQ: one for
 * high-resolution timers ({@link HrTimer}, {@link PosixTimers}), one for kernel timers
 * ({@link TimerList}, the network stack's), so that a long network timer never delays a
 * process's timer signal. Each is a {@link TimerBase}.
 *
 * <p>Both run from the first use of this class; {@link #init} is called at boot, as start_kernel
 * calls init_timers() and hrtimers_init(), so that the first timer a program arms costs what
 * every later one does, instead of a thread start and the JVM's loading of the arming code
 * (milliseconds on a cold JVM, which a program measuring its timer's remaining time sees).
 */
public final class TimerSoftirqs {
    private TimerSoftirqs() {}

    static final TimerBase HRTIMER = new TimerBase("kava-timers");
    static final TimerBase TIMER = new TimerBase("kava-timer-list");

    static {
        HRTIMER.start();
        TIMER.start();
    }

    /**
     * init_timers and hrtimers_init: the timer threads run, and the high-resolution one arms and
     * cancels a timer first ({@link HrTimer#warmUp}) while the boot goes on.
     */
    public static void init(Kernel kernel) {
        if (!kernel.deterministic()) HRTIMER.schedule(new WarmUp(kernel), 0);
    }

    private record WarmUp(Kernel kernel) implements Runnable {
        @Override
        public void run() {
            HrTimer.warmUp(kernel);
        }
    }
}
