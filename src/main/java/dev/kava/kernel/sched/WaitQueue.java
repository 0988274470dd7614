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
    /**
     * A waiter that is a function instead of a sleeping task (a wait_queue_entry with its own
     * func, as epoll's ep_poll_callback): called on every wakeup with the wakeup's key (a poll
     * mask, 0 = any). Called without this queue's lock held.
     */
    public interface Callback {
        void wake(int key);

        /** Added with WQ_FLAG_EXCLUSIVE (epoll's EPOLLEXCLUSIVE): one wakeup reaches one such waiter. */
        default boolean exclusive() {
            return false;
        }

        /** wake for an exclusive waiter: whether it really woke someone (then the wakeup stops there). */
        default boolean wakeExclusive(int key) {
            wake(key);
            return true;
        }
    }

    private final Set<Object> waiters = new LinkedHashSet<>();

    public WaitQueue() {}

    /** Wakes every task waiting on this queue (wake_up_all). */
    public void wakeAll() {
        wakeAll(0);
    }

    /**
     * Wakes the waiters, telling callbacks which poll events happened (wake_up_poll; 0 = any):
     * every task and ordinary callback, then the exclusive callbacks in the order they were
     * added until one of them reports it woke someone (__wake_up_common with nr_exclusive 1,
     * exclusive entries being at the tail of the queue).
     */
    public void wakeAll(int key) {
        List<Object> ws;
        synchronized (this) {
            if (waiters.isEmpty()) return;
            ws = new ArrayList<>(waiters);
        }
        List<Callback> exclusive = null;
        for (Object w : ws) {
            if (w instanceof Task t) {
                t.kernel.scheduler().wake(t);
            } else if (((Callback) w).exclusive()) {
                if (exclusive == null) exclusive = new ArrayList<>();
                exclusive.add((Callback) w);
            } else {
                ((Callback) w).wake(key);
            }
        }
        if (exclusive != null) {
            for (Callback c : exclusive) if (c.wakeExclusive(key)) break;
        }
    }

    /** Adds a callback waiter (add_wait_queue with a custom wake function). */
    public synchronized void add(Callback c) {
        waiters.add(c);
    }

    /** Removes a callback waiter. */
    public synchronized void remove(Callback c) {
        waiters.remove(c);
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
