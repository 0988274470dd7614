package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.kernel.Task;
import dev.kava.kernel.sched.WaitQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * The poll table (include/linux/poll.h, fs/select.c's poll_wqueues): what a file's poll method
 * registers its wait queues with. {@link Waiter} is the one poll, ppoll, pselect6 and
 * epoll_wait sleep on: it puts the task on every queue the polled files named, so a change to
 * any of them wakes it, and takes it off them all when the wait ends.
 */
public final class Poll {
    private Poll() {}

    /** poll_table: a file's poll method calls {@link #wait} (poll_wait) for each queue it wakes on a change. */
    public interface Table {
        void wait(WaitQueue q);

        /** The file cannot wake its waiters (a host stream): the waiter must look again soon. */
        default void needsPolling() {}
    }

    /** How often a waiter looks again at a file that cannot wake it (a host console). */
    static final long HOST_POLL_NANOS = 10_000_000L;

    /**
     * A task waiting on several files (poll_wqueues). Use: {@link #beginPass} before each scan
     * of the files (it forgets old wakeups, so none between the scan and the sleep is lost),
     * poll each file with this table, then {@link #sleep} if nothing was ready; {@link #close}
     * at the end.
     */
    public static final class Waiter implements Table, AutoCloseable {
        private final Task task;
        private final List<WaitQueue> queues = new ArrayList<>();
        private boolean hostPolling;

        public Waiter(Task task) {
            this.task = task;
        }

        @Override
        public void wait(WaitQueue q) {
            for (WaitQueue have : queues) if (have == q) return;
            queues.add(q);
            q.add(task);
        }

        @Override
        public void needsPolling() {
            hostPolling = true;
        }

        /** set_current_state(TASK_INTERRUPTIBLE) before a scan. */
        public void beginPass() {
            task.kernel.scheduler().clearWakeup(task);
        }

        /**
         * Sleeps until a queue is woken, a signal comes or the deadline (monotonic ns,
         * Long.MAX_VALUE = none) passes. Returns -EINTR if a signal is pending (or the task
         * exits), -ETIMEDOUT at the deadline, 0 to scan again.
         */
        public int sleep(long deadline) {
            if (task.exiting() || task.signalPending()) return -Errno.EINTR;
            long now = task.kernel.clock().monotonicNanos();
            if (deadline != Long.MAX_VALUE && now >= deadline) return -Errno.ETIMEDOUT;
            long until = deadline;
            if (hostPolling) until = Math.min(deadline, now + HOST_POLL_NANOS);
            task.kernel.scheduler().block(task, until);
            return 0;
        }

        /** Whether the deadline has passed. */
        public boolean timedOut(long deadline) {
            return deadline != Long.MAX_VALUE && task.kernel.clock().monotonicNanos() >= deadline;
        }

        @Override
        public void close() {
            for (WaitQueue q : queues) q.remove(task);
            queues.clear();
        }
    }
}
