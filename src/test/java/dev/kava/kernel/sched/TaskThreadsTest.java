package dev.kava.kernel.sched;

import dev.kava.arch.riscv.Hart;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.mm.AddressSpace;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Host threads for tasks are reused: a thread whose task ended takes the next new task. */
class TaskThreadsTest {
    private static Task task(Kernel k, int tid) {
        TaskGroup g = new TaskGroup(k, tid, null, null, null, null, null);
        return new Task(k, g, tid, new Hart(new AddressSpace()));
    }

    @Test
    void aThreadWhoseTaskEndedRunsTheNextTask() throws Exception {
        AtomicReference<Thread> first = new AtomicReference<>(), second = new AtomicReference<>();
        CountDownLatch firstDone = new CountDownLatch(1), secondDone = new CountDownLatch(1);
        int[] n = {0};
        TaskThreads threads = new TaskThreads(1 << 20, t -> {
            if (n[0]++ == 0) {
                first.set(Thread.currentThread());
                firstDone.countDown();
            } else {
                second.set(Thread.currentThread());
                secondDone.countDown();
            }
        });
        // Only a home for the tasks (Task needs one).
        Kernel k = new Kernel(new Kernel.Config().root(Path.of(".")));
        Task a = task(k, 1), b = task(k, 2);
        threads.start(a, "a");
        assertTrue(firstDone.await(10, TimeUnit.SECONDS));
        // Wait until the thread is parked on the idle list, then hand it the next task.
        while (first.get().getState() != Thread.State.TIMED_WAITING) Thread.onSpinWait();
        threads.start(b, "b");
        assertTrue(secondDone.await(10, TimeUnit.SECONDS));
        assertSame(first.get(), second.get(), "the idle thread was reused");
        assertSame(first.get(), b.se.thread, "the scheduler knows the task's thread");
    }
}
