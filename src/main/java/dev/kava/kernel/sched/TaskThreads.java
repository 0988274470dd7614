package dev.kava.kernel.sched;

import dev.kava.kernel.Task;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The host threads tasks run on, one per live task. Starting a platform thread costs the host
 * a stack mapping and a clone, a few hundred microseconds on a busy machine: more than all of a
 * guest's pthread_create and pthread_join otherwise. So a thread whose task has ended waits a
 * while, parked, for the next new task instead of ending; new tasks take the most recently
 * parked thread first. Which host thread runs a task is invisible to the guest: the scheduler
 * decides when it runs.
 */
public final class TaskThreads {
    /** How long an idle thread waits for a task before it ends. */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The most threads kept idle at once. */
    private static final int MAX_IDLE = 64;

    private final long stackSize;
    private final Consumer<Task> body;
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    /** Threads with stackSize bytes of stack, each running body for one task after another. */
    public TaskThreads(long stackSize, Consumer<Task> body) {
        this.stackSize = stackSize;
        this.body = body;
    }

    private final class Worker implements Runnable {
        Thread thread;
        /** The task handed to this thread, read by it once it is unparked. */
        volatile Task next;

        @Override
        public void run() {
            Task t = next;
            while (t != null) {
                next = null;
                body.accept(t);
                t = awaitNext();
            }
        }

        /** Parks on the idle list until a task comes, or returns null (the thread ends) after IDLE_NANOS. */
        private Task awaitNext() {
            if (idleCount.incrementAndGet() > MAX_IDLE) {
                idleCount.decrementAndGet();
                return null;
            }
            Thread.interrupted(); // nothing of the last task's carries over
            thread.setName("kava-idle");
            idle.push(this);
            long deadline = System.nanoTime() + IDLE_NANOS;
            while (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (idle.remove(this)) {
                        idleCount.decrementAndGet();
                        return null;
                    }
                    // start() took this thread off the list just now: its task is on the way.
                    while (next == null) LockSupport.park(this);
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
            return next;
        }
    }

    /**
     * Runs t on an idle thread, or on a new one; the task's scheduler entity knows its thread
     * before the thread can run it. Throws what Thread.start throws when the host cannot make
     * one more thread.
     */
    public void start(Task t, String name) {
        Worker w = idle.poll();
        if (w != null) {
            idleCount.decrementAndGet();
            w.thread.setName(name);
            t.se.setThread(w.thread);
            w.next = t;
            LockSupport.unpark(w.thread);
            return;
        }
        w = new Worker();
        Thread th = Thread.ofPlatform().name(name).daemon(true).stackSize(stackSize).unstarted(w);
        w.thread = th;
        w.next = t;
        t.se.setThread(th);
        th.start();
    }
}
