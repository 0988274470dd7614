package dev.kava.kernel.sched;

import dev.kava.kernel.Task;

import java.util.ArrayDeque;

/**
 * Which runnable task gets a free vCPU next (a sched_class, reduced to its run queue). Called
 * only under the scheduler's lock.
 */
public interface SchedPolicy {
    /** Adds a task that became runnable (enqueue_task). */
    void enqueue(Task t);

    /** Removes and returns the task to run next, or null when none is runnable (pick_next_task). */
    Task pickNext();

    boolean isEmpty();

    /** How many tasks wait for a vCPU (nr_running minus the running ones). */
    int size();

    /** First in, first out: round-robin when preempted tasks go back to the tail. */
    final class Fifo implements SchedPolicy {
        private final ArrayDeque<Task> queue = new ArrayDeque<>();

        @Override
        public void enqueue(Task t) {
            queue.addLast(t);
        }

        @Override
        public Task pickNext() {
            return queue.pollFirst();
        }

        @Override
        public boolean isEmpty() {
            return queue.isEmpty();
        }

        @Override
        public int size() {
            return queue.size();
        }
    }
}
