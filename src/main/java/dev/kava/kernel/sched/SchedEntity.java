package dev.kava.kernel.sched;

import dev.kava.kernel.Task;

/** A task's scheduler state (struct sched_entity plus the task state bits the scheduler owns). */
public final class SchedEntity {
    static final int NEW = 0, RUNNABLE = 1, RUNNING = 2, BLOCKED = 3, DEAD = 4;

    final Task task;
    /** Written under the scheduler's lock; read by the task's own thread while it waits. */
    volatile int state = NEW;
    /** The vCPU this task runs on, or -1. */
    volatile int cpu = -1;
    /** A wakeup arrived while the task was not blocked: its next block() returns at once. */
    boolean wakePending;
    /** When a blocked task's wait times out (kernel monotonic ns), or Long.MAX_VALUE. */
    long deadline = Long.MAX_VALUE;
    /** Orders timers with equal deadlines (deterministic mode). */
    long timerSeq;
    /** The host thread that runs this task. */
    volatile Thread thread;

    public SchedEntity(Task task) {
        this.task = task;
    }

    /** The vCPU the task last ran on (getcpu), 0 when it never ran. */
    public int lastCpu() {
        return Math.max(lastCpu, 0);
    }

    int lastCpu;

    /** How many times the task was given a vCPU (context switches in); the run loop compares it to notice a switch. */
    volatile long switchesIn;

    public long switchesIn() {
        return switchesIn;
    }

    /** The vCPU the task runs on now, or -1. */
    public int cpu() {
        return cpu;
    }

    public void setThread(Thread t) {
        thread = t;
    }

    public boolean isRunning() {
        return state == RUNNING;
    }

    /** Runnable or running (TASK_RUNNING, /proc/PID/stat's R), as opposed to blocked, new or dead. */
    public boolean isRunnable() {
        int s = state;
        return s == RUNNING || s == RUNNABLE;
    }
}
