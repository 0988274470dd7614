package dev.kava.kernel.signal;

import dev.kava.kernel.sched.WaitQueue;
import dev.kava.kernel.time.PosixTimers;

/**
 * Per-process signal state of signal_struct besides the shared pending set: job-control stop
 * (SIGNAL_STOP_STOPPED and its exit code) and the process's timers.
 */
public final class GroupSignals {
    /** The group is stopped by a stop signal (SIGNAL_STOP_STOPPED). */
    public volatile boolean stopped;
    /** The signal that stopped it. */
    public volatile int stopSignal;
    /** Stopped threads wait here for SIGCONT or SIGKILL. */
    public final WaitQueue stopWait = new WaitQueue();
    /** ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF and the POSIX timers (kernel/time). */
    public final PosixTimers timers = new PosixTimers();
}
