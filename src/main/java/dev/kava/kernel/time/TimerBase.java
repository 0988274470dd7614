package dev.kava.kernel.time;

import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One timer thread and its pending expiries in time order: what a CPU's hrtimer base is to
 * Linux (struct hrtimer_cpu_base with its timerqueue, lib/timerqueue.c), the thread standing in
 * for the clock event device that interrupts at the first expiry.
 *
 * <p>Arming wakes the thread only when the new expiry comes before the thread's next wakeup,
 * as hrtimer_start reprograms the clock event device only for a new first timer
 * (hrtimer_reprogram). Unlike a clock event device, "reprogramming" here is waking a parked
 * host thread, which costs 20-100 µs on a virtual machine (an inter-processor interrupt) and is
 * paid inside the program's timer_settime or timerfd_settime, where programs measure it. So the
 * thread never sleeps longer than {@link #MAX_SLEEP_NS}: a timer that expires later than that
 * needs no wakeup at all, the thread finds it on its next round. Cancelling never wakes the
 * thread; a wakeup that finds nothing due just sleeps again.
 */
public final class TimerBase {
    /** The longest the thread sleeps: a timer armed further ahead than this never wakes it. */
    static final long MAX_SLEEP_NS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Delays are capped (about 73 years) so that deadlines compare by difference without overflow. */
    private static final long MAX_DELAY_NS = Long.MAX_VALUE / 4;

    /** One arming of a task: its deadline on System.nanoTime's scale. */
    public static final class Pending {
        private final TimerBase base;
        private final Runnable task;
        private final long deadline;
        /** Orders expiries of the same deadline by arming (timerqueue keeps insertion order too). */
        private final long seq;
        /** Whether it is still in the queue: neither run nor cancelled. Guarded by the base. */
        private boolean queued;

        private Pending(TimerBase base, Runnable task, long deadline, long seq) {
            this.base = base;
            this.task = task;
            this.deadline = deadline;
            this.seq = seq;
        }

        /** hrtimer_try_to_cancel: the task will not run (unless it already started). */
        public void cancel() {
            base.cancel(this);
        }
    }

    private final TreeSet<Pending> queue = new TreeSet<>(TimerBase::compare);
    private final Thread thread;
    private long seq;
    /** When the thread will look at the queue next (System.nanoTime). Guarded by this. */
    private long nextWakeup;
    /** Wakeups arming caused ("reprograms"), for tests. Guarded by this. */
    private long wakeups;

    TimerBase(String name) {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    /** Starts the thread (init_timers, hrtimers_init). */
    void start() {
        synchronized (this) {
            if (thread.getState() != Thread.State.NEW) return;
            nextWakeup = System.nanoTime();
        }
        thread.start();
    }

    private static int compare(Pending a, Pending b) {
        long d = a.deadline - b.deadline;
        if (d != 0) return d < 0 ? -1 : 1;
        return Long.compare(a.seq, b.seq);
    }

    /** Runs task on the timer thread once delayNanos have passed, unless cancelled first. */
    public Pending schedule(Runnable task, long delayNanos) {
        long deadline = System.nanoTime() + Math.min(Math.max(0, delayNanos), MAX_DELAY_NS);
        Pending p;
        boolean wake;
        synchronized (this) {
            p = new Pending(this, task, deadline, seq++);
            p.queued = true;
            queue.add(p);
            wake = deadline - nextWakeup < 0;
            if (wake) {
                nextWakeup = deadline;
                wakeups++;
            }
        }
        // An unpark that comes before the thread parks is kept as its permit: the park returns at once.
        if (wake) LockSupport.unpark(thread);
        return p;
    }

    synchronized long wakeups() {
        return wakeups;
    }

    /** Whether the thread is parked with nothing due before its next wakeup. */
    synchronized boolean idle() {
        return thread.getState() == Thread.State.TIMED_WAITING && nextWakeup - System.nanoTime() > 0;
    }

    private synchronized void cancel(Pending p) {
        if (p.queued) {
            p.queued = false;
            queue.remove(p);
        }
    }

    private void loop() {
        for (;;) {
            Pending due = null;
            long sleep;
            synchronized (this) {
                long now = System.nanoTime();
                Pending first = queue.isEmpty() ? null : queue.first();
                if (first != null && first.deadline - now <= 0) {
                    queue.pollFirst();
                    first.queued = false;
                    due = first;
                    sleep = 0;
                } else {
                    sleep = first == null ? MAX_SLEEP_NS : Math.min(first.deadline - now, MAX_SLEEP_NS);
                    nextWakeup = now + sleep;
                }
            }
            if (due != null) run(due);
            else LockSupport.parkNanos(this, sleep);
        }
    }

    private static void run(Pending p) {
        try {
            p.task.run();
        } catch (RuntimeException | StackOverflowError e) {
            // A kernel bug in an expiry function: the timer thread, which every other timer needs, goes on.
            System.err.println("kava: oops in a timer on " + Thread.currentThread().getName() + ": " + e);
            e.printStackTrace();
        }
    }
}
