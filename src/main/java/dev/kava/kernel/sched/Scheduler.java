package dev.kava.kernel.sched;

import dev.kava.kernel.Task;
import dev.kava.kernel.time.Clock;

import java.util.Comparator;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;

/**
 * kava's scheduler (kernel/sched/core.c). Every guest task has its own host thread, but only a
 * task holding one of the N vCPUs runs: the scheduler, not the JVM, decides which runnable task
 * gets a freed vCPU, through its {@link SchedPolicy}. A task gives its vCPU up when it blocks
 * ({@link #block}), when its time slice ends and others wait ({@link #yield}), and when it exits.
 *
 * <p>Wakeups are synchronous: the waker puts the woken task on the run queue under the lock
 * (try_to_wake_up), so with one vCPU the order of events depends only on the guest program. In
 * deterministic mode, timed waits expire by the virtual clock: at each scheduling point, and
 * when every task is blocked the clock jumps to the earliest deadline (an idle CPU's NO_HZ sleep).
 */
public final class Scheduler {
    private final int ncpus;
    private final Task[] running;
    private final SchedPolicy policy;
    private final Clock clock;
    private final boolean deterministic;
    private final TreeSet<SchedEntity> timers = new TreeSet<>(
            Comparator.comparingLong((SchedEntity e) -> e.deadline).thenComparingLong(e -> e.timerSeq));
    private long timerSeq;
    /** The load average, updated before every change of the active count. */
    private final LoadAvg loadAvg;
    /** Busy time of each vCPU (ns) up to busySince, when its current task got it (/proc/stat). */
    private final long[] busyNanos, busySince;
    /** Context switches in (a vCPU given to a task), since boot (/proc/stat's ctxt). */
    private long contextSwitches;

    /** A callback at a virtual-clock deadline (deterministic mode's hrtimers: ITIMER_REAL, POSIX timers). */
    public static final class VirtualTimer {
        final long deadline, seq;
        final Runnable fn;
        volatile boolean cancelled;

        VirtualTimer(long deadline, long seq, Runnable fn) {
            this.deadline = deadline;
            this.seq = seq;
            this.fn = fn;
        }
    }

    /** Guards {@link #vtimers} alone, so that a timer owner may arm and cancel without the scheduler's lock. */
    private final Object vtLock = new Object();
    private final TreeSet<VirtualTimer> vtimers = new TreeSet<>(
            Comparator.comparingLong((VirtualTimer v) -> v.deadline).thenComparingLong(v -> v.seq));
    private long vtSeq;
    /** How many timer expiries an idle machine processes in one go before it gives up (a guest that only sleeps). */
    private static final int IDLE_FIRE_LIMIT = 1 << 16;

    public Scheduler(int ncpus, SchedPolicy policy, Clock clock, boolean deterministic) {
        if (ncpus < 1) throw new IllegalArgumentException("at least one vCPU");
        this.ncpus = ncpus;
        this.running = new Task[ncpus];
        this.policy = policy;
        this.clock = clock;
        this.deterministic = deterministic;
        this.loadAvg = new LoadAvg(clock.monotonicNanos());
        this.busyNanos = new long[ncpus];
        this.busySince = new long[ncpus];
    }

    /** The load average (/proc/loadavg, sysinfo). */
    public LoadAvg loadAvg() {
        synchronized (this) {
            accountLoad();
        }
        return loadAvg;
    }

    /** Folds the sample points passed so far into the load average, at the current active count. */
    private void accountLoad() {
        loadAvg.update(clock.monotonicNanos(), nrRunning());
    }

    /** How long each vCPU has had a task on it since boot, in ns (the rest is idle time). */
    public synchronized long[] busyNanos() {
        long now = clock.monotonicNanos();
        long[] out = busyNanos.clone();
        for (int c = 0; c < ncpus; c++) if (running[c] != null) out[c] += Math.max(0, now - busySince[c]);
        return out;
    }

    /** Context switches since boot (each time a vCPU was given to a task). */
    public synchronized long contextSwitches() {
        return contextSwitches;
    }

    public int cpus() {
        return ncpus;
    }

    /** How many tasks are runnable or running (the load). */
    public synchronized int nrRunning() {
        int n = policy.size();
        for (Task t : running) if (t != null) n++;
        return n;
    }

    /**
     * Makes a task runnable (try_to_wake_up): a new task, or a blocked one. A task that is
     * running or already queued notes the wakeup, so a wait it is about to start returns at once.
     */
    public synchronized void wake(Task t) {
        accountLoad();
        SchedEntity se = t.se;
        if (se.state == SchedEntity.BLOCKED || se.state == SchedEntity.NEW) {
            if (se.deadline != Long.MAX_VALUE) timers.remove(se);
            se.state = SchedEntity.RUNNABLE;
            place(se);
        } else if (se.state != SchedEntity.DEAD) {
            se.wakePending = true;
        }
    }

    private void place(SchedEntity se) {
        if (policy.isEmpty()) {
            for (int c = 0; c < ncpus; c++) {
                if (running[c] == null) {
                    assign(se, c);
                    return;
                }
            }
        }
        policy.enqueue(se.task);
    }

    private void assign(SchedEntity se, int c) {
        running[c] = se.task;
        busySince[c] = clock.monotonicNanos();
        contextSwitches++;
        se.cpu = c;
        se.lastCpu = c;
        se.switchesIn++;
        se.state = SchedEntity.RUNNING;
        Thread th = se.thread;
        if (th != null) LockSupport.unpark(th);
    }

    /** Gives vCPU c to the next runnable task, if any. */
    private void handOver(int c) {
        if (running[c] != null) busyNanos[c] += Math.max(0, clock.monotonicNanos() - busySince[c]);
        running[c] = null;
        if (deterministic) fireTimers(false);
        if (running[c] != null) return; // a timer's task took it
        Task next = policy.pickNext();
        if (next != null) {
            assign(next.se, c);
        } else if (deterministic && idle()) {
            fireTimers(true);
        }
    }

    private boolean idle() {
        for (Task t : running) if (t != null) return false;
        return policy.isEmpty();
    }

    /**
     * Wakes tasks whose deadline passed and runs the virtual timers that are due; when idle,
     * first moves the virtual clock to the earliest deadline, again until a task can run.
     */
    private void fireTimers(boolean skipIdle) {
        for (int round = 0; round < IDLE_FIRE_LIMIT; round++) {
            long first = nextDeadlineLocked();
            if (first == Long.MAX_VALUE) return;
            if (skipIdle) clock.advanceTo(first);
            long now = clock.monotonicNanos();
            if (first > now) return;
            // The callbacks first (their signals wake sleepers), then the sleepers whose time is up.
            while (true) {
                VirtualTimer v;
                synchronized (vtLock) {
                    v = vtimers.isEmpty() || vtimers.first().deadline > now ? null : vtimers.pollFirst();
                }
                if (v == null) break;
                if (!v.cancelled) v.fn.run();
            }
            while (!timers.isEmpty() && timers.first().deadline <= now) {
                SchedEntity se = timers.pollFirst();
                se.state = SchedEntity.RUNNABLE;
                place(se);
            }
            if (!skipIdle || !idle()) return;
        }
    }

    private long nextDeadlineLocked() {
        long d = timers.isEmpty() ? Long.MAX_VALUE : timers.first().deadline;
        synchronized (vtLock) {
            while (!vtimers.isEmpty() && vtimers.first().cancelled) vtimers.pollFirst();
            if (!vtimers.isEmpty()) d = Math.min(d, vtimers.first().deadline);
        }
        return d;
    }

    /** The earliest virtual deadline (a sleeper's or a timer's), or Long.MAX_VALUE; deterministic mode. */
    public synchronized long nextVirtualDeadline() {
        return nextDeadlineLocked();
    }

    /**
     * Deterministic mode: runs fn on the vCPU-holding thread at the first scheduling point at or
     * after the virtual time deadline (kernel monotonic ns). Callers may hold their own locks.
     */
    public VirtualTimer addVirtualTimer(long deadline, Runnable fn) {
        synchronized (vtLock) {
            VirtualTimer v = new VirtualTimer(deadline, vtSeq++, fn);
            vtimers.add(v);
            return v;
        }
    }

    /** Forgets a virtual timer that has not run yet. */
    public void cancelVirtualTimer(VirtualTimer v) {
        if (v == null) return;
        v.cancelled = true;
        synchronized (vtLock) {
            vtimers.remove(v);
        }
    }

    /** A scheduling point of a task that keeps running (deterministic mode): fires what is due. */
    public synchronized void tick() {
        if (deterministic) {
            accountLoad();
            fireTimers(false);
        }
    }

    /** Called by a task's own thread: waits until the task holds a vCPU. */
    public void waitForCpu(Task t) {
        SchedEntity se = t.se;
        while (se.state != SchedEntity.RUNNING) LockSupport.park(this);
    }

    /**
     * A preemption point (the end of a time slice, sched_yield): if others wait, go to the back
     * of the queue. Returns true when the task gave its vCPU up (was preempted).
     */
    public boolean yield(Task t) {
        SchedEntity se = t.se;
        synchronized (this) {
            if (deterministic) fireTimers(false);
            if (policy.isEmpty() || se.state != SchedEntity.RUNNING) return false;
            int c = se.cpu;
            se.cpu = -1;
            se.state = SchedEntity.RUNNABLE;
            policy.enqueue(t);
            handOver(c);
        }
        waitForCpu(t);
        return true;
    }

    /**
     * Blocks the calling task until {@link #wake} or the deadline (kernel monotonic ns), then
     * waits for a vCPU again. Returns at once, keeping the vCPU, if a wakeup came since the
     * caller last cleared it with {@link #clearWakeup}.
     */
    public void block(Task t, long deadline) {
        SchedEntity se = t.se;
        synchronized (this) {
            accountLoad();
            if (se.wakePending) {
                se.wakePending = false;
                return;
            }
            if (se.state != SchedEntity.RUNNING) return;
            int c = se.cpu;
            se.cpu = -1;
            se.state = SchedEntity.BLOCKED;
            se.deadline = deadline;
            if (deadline != Long.MAX_VALUE) {
                se.timerSeq = timerSeq++;
                if (deterministic) timers.add(se);
            }
            handOver(c);
        }
        while (se.state == SchedEntity.BLOCKED) {
            if (deadline == Long.MAX_VALUE || deterministic) {
                LockSupport.park(this);
            } else {
                long left = deadline - clock.monotonicNanos();
                if (left <= 0) {
                    wake(t);
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
        }
        synchronized (this) {
            se.deadline = Long.MAX_VALUE;
        }
        waitForCpu(t);
    }

    /** Forgets wakeups that arrived so far (set_current_state before rechecking a condition). */
    public synchronized void clearWakeup(Task t) {
        t.se.wakePending = false;
    }

    /** The task is gone: its vCPU goes to the next one (do_task_dead). */
    public synchronized void exit(Task t) {
        accountLoad();
        SchedEntity se = t.se;
        if (se.state == SchedEntity.RUNNING) {
            int c = se.cpu;
            se.cpu = -1;
            se.state = SchedEntity.DEAD;
            handOver(c);
        } else {
            se.state = SchedEntity.DEAD;
        }
    }

    /**
     * Runs a host-side blocking operation (a console read, a host sleep) without holding a vCPU,
     * so other tasks run meanwhile; the task waits for a vCPU again afterwards.
     */
    public <T> T outsideCpu(Task t, java.util.function.Supplier<T> op) {
        SchedEntity se = t.se;
        synchronized (this) {
            accountLoad();
            if (se.state == SchedEntity.RUNNING) {
                int c = se.cpu;
                se.cpu = -1;
                se.state = SchedEntity.BLOCKED;
                handOver(c);
            }
        }
        try {
            return op.get();
        } finally {
            wake(t);
            waitForCpu(t);
        }
    }
}
