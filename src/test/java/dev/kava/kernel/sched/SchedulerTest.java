package dev.kava.kernel.sched;

import dev.kava.arch.riscv.Hart;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.time.Clock;
import dev.kava.mm.AddressSpace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler through its API: tasks are plain Task objects (no guest code) driven either from
 * the test thread (wake/exit need no vCPU) or from host threads of their own that do what a task's
 * run loop does (waitForCpu, then yield/block/exit). Waits are latches with timeouts, never sleeps.
 */
class SchedulerTest {
    private static final long TIMEOUT_S = 30;
    private static Kernel kernel;
    private static final AtomicInteger nextTid = new AtomicInteger(100);

    @BeforeAll
    static void kernel() throws Exception {
        // Only a home for the tasks (Task needs one); its own scheduler is not used.
        kernel = new Kernel(new Kernel.Config().root(Path.of(".")));
    }

    private static Task task() {
        int tid = nextTid.getAndIncrement();
        TaskGroup g = new TaskGroup(kernel, tid, null, null, null, null, null);
        return new Task(kernel, g, tid, new Hart(new AddressSpace()));
    }

    private static Scheduler sched(int ncpus) {
        return new Scheduler(ncpus, new SchedPolicy.Fifo(), new Clock(), false);
    }

    private static int runningCount(List<Task> ts) {
        int n = 0;
        for (Task t : ts) if (t.se.isRunning()) n++;
        return n;
    }

    /** A host thread standing in for a task's run loop; failures are kept for the test thread. */
    private static Thread start(Task t, AtomicReference<Throwable> failure, Runnable body) {
        Thread th = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "task-" + t.tid);
        th.setDaemon(true);
        t.se.setThread(th);
        return th;
    }

    @Test
    void wakeGivesFreeCpusFirstThenQueues() {
        Scheduler s = sched(2);
        List<Task> ts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Task t = task();
            ts.add(t);
            s.wake(t);
        }
        assertEquals(2, runningCount(ts), "exactly the vCPUs are handed out");
        assertTrue(ts.get(0).se.isRunning() && ts.get(1).se.isRunning());
        assertTrue(ts.get(0).se.cpu() != ts.get(1).se.cpu(), "two tasks on one vCPU");
        assertEquals(5, s.nrRunning());
    }

    @Test
    void freedCpuGoesToTheOldestWakeup() {
        Scheduler s = sched(1);
        Task a = task(), b = task(), c = task(), d = task();
        s.wake(a);
        // Woken in the order c, b, d: the run queue keeps that order, not creation order.
        s.wake(c);
        s.wake(b);
        s.wake(d);
        assertTrue(a.se.isRunning());
        s.exit(a);
        assertTrue(c.se.isRunning());
        assertFalse(b.se.isRunning() || d.se.isRunning());
        assertEquals(0, c.se.cpu());
        s.exit(c);
        assertTrue(b.se.isRunning());
        s.exit(b);
        assertTrue(d.se.isRunning());
        s.exit(d);
        assertEquals(0, s.nrRunning());
    }

    @Test
    void wakingARunningTaskIsNotLostAndDoesNotQueueIt() {
        Scheduler s = sched(1);
        Task a = task(), b = task();
        s.wake(a);
        s.wake(a); // a wakeup while running: remembered, not queued
        assertEquals(1, s.nrRunning());
        s.wake(b);
        s.block(a, Long.MAX_VALUE); // returns at once, keeping the vCPU
        assertTrue(a.se.isRunning());
        assertFalse(b.se.isRunning());
    }

    @Test
    void yieldWithNobodyWaitingKeepsTheCpu() {
        Scheduler s = sched(1);
        Task a = task();
        s.wake(a);
        assertFalse(s.yield(a));
        assertTrue(a.se.isRunning());
    }

    @Test
    void yieldHandsTheCpuToTheWaiterAndQueuesBehindIt() throws Exception {
        Scheduler s = sched(1);
        Task a = task(), b = task();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean yielded = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(2);
        Thread ta = start(a, failure, () -> {
            s.waitForCpu(a);
            order.add("a");
            yielded.set(s.yield(a));
            order.add("a again");
            assertTrue(a.se.isRunning());
            s.exit(a);
            done.countDown();
        });
        Thread tb = start(b, failure, () -> {
            s.waitForCpu(b);
            order.add("b");
            assertFalse(a.se.isRunning(), "the yielder still holds a vCPU");
            s.exit(b);
            done.countDown();
        });
        s.wake(a);
        s.wake(b);
        tb.start();
        ta.start();
        assertTrue(done.await(TIMEOUT_S, TimeUnit.SECONDS), "tasks did not finish: " + order);
        assertNull(failure.get());
        assertTrue(yielded.get());
        assertEquals(List.of("a", "b", "a again"), order);
    }

    @Test
    void blockedTaskHoldsNoCpu() throws Exception {
        Scheduler s = sched(1);
        Task a = task(), b = task();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(2);
        Thread ta = start(a, failure, () -> {
            s.waitForCpu(a);
            order.add("a blocks");
            s.block(a, Long.MAX_VALUE);
            order.add("a woken");
            s.exit(a);
            done.countDown();
        });
        Thread tb = start(b, failure, () -> {
            s.waitForCpu(b);
            order.add("b runs");
            assertEquals(-1, a.se.cpu(), "a blocked task keeps a vCPU");
            assertFalse(a.se.isRunning());
            s.wake(a);
            // One vCPU, b still on it: a is runnable but must wait for it.
            assertFalse(a.se.isRunning());
            order.add("b exits");
            s.exit(b);
            done.countDown();
        });
        s.wake(a);
        s.wake(b);
        ta.start();
        tb.start();
        assertTrue(done.await(TIMEOUT_S, TimeUnit.SECONDS), "tasks did not finish: " + order);
        assertNull(failure.get());
        assertEquals(List.of("a blocks", "b runs", "b exits", "a woken"), order);
    }

    @Test
    void outsideCpuFreesTheCpuDuringHostWork() throws Exception {
        Scheduler s = sched(1);
        Task a = task(), b = task();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch bRan = new CountDownLatch(1), done = new CountDownLatch(2);
        Thread ta = start(a, failure, () -> {
            s.waitForCpu(a);
            // Host work (a console read) that only finishes once b ran: it must not hold the vCPU.
            boolean ok = s.outsideCpu(a, () -> {
                try {
                    return bRan.await(TIMEOUT_S, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return false;
                }
            });
            assertTrue(ok, "b never ran while a was outside the vCPU");
            assertTrue(a.se.isRunning());
            s.exit(a);
            done.countDown();
        });
        Thread tb = start(b, failure, () -> {
            s.waitForCpu(b);
            bRan.countDown();
            s.exit(b);
            done.countDown();
        });
        s.wake(a);
        s.wake(b);
        ta.start();
        tb.start();
        assertTrue(done.await(TIMEOUT_S, TimeUnit.SECONDS));
        assertNull(failure.get());
    }

    /** Many tasks yielding and blocking on 2 vCPUs: never more than 2 of them inside "guest code". */
    @Test
    void neverMoreTasksRunThanCpus() throws Exception {
        final int ncpus = 2, ntasks = 8, rounds = 200;
        Clock clock = new Clock();
        Scheduler s = new Scheduler(ncpus, new SchedPolicy.Fifo(), clock, false);
        AtomicInteger inside = new AtomicInteger(), maxInside = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(ntasks);
        List<Task> ts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < ntasks; i++) ts.add(task());
        for (int i = 0; i < ntasks; i++) {
            Task t = ts.get(i), peer = ts.get((i + 1) % ntasks);
            threads.add(start(t, failure, () -> {
                try {
                    s.waitForCpu(t);
                    for (int r = 0; r < rounds; r++) {
                        int n = inside.incrementAndGet();
                        maxInside.accumulateAndGet(n, Math::max);
                        if (n > ncpus) throw new AssertionError(n + " tasks running on " + ncpus + " vCPUs");
                        int cpu = t.se.cpu();
                        if (cpu < 0 || cpu >= ncpus) throw new AssertionError("running on vCPU " + cpu);
                        s.wake(peer);
                        inside.decrementAndGet();
                        // A short timed block (woken by the previous task or by its deadline) or a yield.
                        if (r % 3 == 0) s.block(t, clock.monotonicNanos() + 10_000_000L);
                        else s.yield(t);
                    }
                } finally {
                    s.exit(t);
                    done.countDown();
                }
            }));
        }
        for (Task t : ts) s.wake(t);
        threads.forEach(Thread::start);
        assertTrue(done.await(TIMEOUT_S * 2, TimeUnit.SECONDS), "tasks did not finish");
        assertNull(failure.get(), () -> String.valueOf(failure.get()));
        assertTrue(maxInside.get() >= 1 && maxInside.get() <= ncpus);
        assertEquals(0, s.nrRunning());
    }

    @Test
    void deterministicIdleMachineJumpsToTheNextDeadline() throws Exception {
        Clock clock = Clock.virtual();
        Scheduler s = new Scheduler(1, new SchedPolicy.Fifo(), clock, true);
        Task a = task();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger fired = new AtomicInteger();
        s.addVirtualTimer(500, fired::incrementAndGet);
        Thread ta = start(a, failure, () -> {
            s.waitForCpu(a);
            s.block(a, 1_000);
            assertTrue(a.se.isRunning());
            s.exit(a);
            done.countDown();
        });
        s.wake(a);
        ta.start();
        assertTrue(done.await(TIMEOUT_S, TimeUnit.SECONDS));
        assertNull(failure.get());
        assertEquals(1, fired.get(), "the virtual timer at 500 ran on the way");
        assertEquals(1_000, clock.monotonicNanos(), "the clock jumped exactly to the sleeper's deadline");
    }
}
