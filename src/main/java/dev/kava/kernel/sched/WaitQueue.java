package dev.kava.kernel.sched;

import dev.kava.kernel.Task;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A wait queue (wait_queue_head_t): tasks sleeping in {@link Task#waitEvent} until something
 * changes. Whoever changes the state a waiter's condition reads calls {@link #wakeAll()} after
 * the change; each waiter is made runnable and rechecks its condition. Waiters are woken in the
 * order they started waiting, so a deterministic run wakes them in the same order every time.
 */
public final class WaitQueue {
    private final Set<Task> waiters = new LinkedHashSet<>();

    public WaitQueue() {}

    /** Wakes every task waiting on this queue (wake_up_all). */
    public void wakeAll() {
        List<Task> ws;
        synchronized (this) {
            if (waiters.isEmpty()) return;
            ws = new ArrayList<>(waiters);
        }
        for (Task w : ws) w.kernel.scheduler().wake(w);
    }

    /** Whether any task waits here (waitqueue_active). */
    public synchronized boolean hasWaiters() {
        return !waiters.isEmpty();
    }

    /** For Task.waitEvent: adds the caller before it checks its condition (prepare_to_wait). */
    public synchronized void add(Task t) {
        waiters.add(t);
    }

    /** For Task.waitEvent: removes the caller when it stops waiting (finish_wait). */
    public synchronized void remove(Task t) {
        waiters.remove(t);
    }
}
