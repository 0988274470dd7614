package dev.kava.kernel.time;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimerBaseTest {
    private static final long MS = 1_000_000L;

    private static TimerBase started(String name) {
        TimerBase b = new TimerBase(name);
        b.start();
        return b;
    }

    private static void awaitIdle(TimerBase b) throws InterruptedException {
        for (int i = 0; i < 5000 && !b.idle(); i++) Thread.sleep(1);
        assertTrue(b.idle(), "the timer thread never went to sleep");
    }

    @Test
    void expiriesRunInDeadlineOrderAndCancelledOnesNever() throws Exception {
        TimerBase b = started("test-order");
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        b.schedule(() -> { ran.add(3); done.countDown(); }, 30 * MS);
        TimerBase.Pending cancelled = b.schedule(() -> ran.add(99), 10 * MS);
        b.schedule(() -> { ran.add(1); done.countDown(); }, 5 * MS);
        b.schedule(() -> { ran.add(2); done.countDown(); }, 20 * MS);
        cancelled.cancel();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        Thread.sleep(20);
        assertEquals(List.of(1, 2, 3), ran);
    }

    @Test
    void sameDeadlineRunsInArmingOrder() throws Exception {
        TimerBase b = started("test-fifo");
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(50);
        for (int i = 0; i < 50; i++) {
            int k = i;
            b.schedule(() -> { ran.add(k); done.countDown(); }, 0);
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 50; i++) assertEquals(i, ran.get(i));
    }

    /** hrtimer_reprogram: only a new first expiry before the thread's next wakeup wakes it. */
    @Test
    void armingWakesTheThreadOnlyForAnEarlierExpiry() throws Exception {
        TimerBase b = started("test-wake");
        awaitIdle(b);
        long before = b.wakeups();
        TimerBase.Pending far = b.schedule(() -> {}, TimeUnit.SECONDS.toNanos(30));
        assertEquals(before, b.wakeups(), "a timer beyond the next wakeup needs no wakeup");
        CountDownLatch near = new CountDownLatch(1);
        b.schedule(near::countDown, 0);
        assertEquals(before + 1, b.wakeups(), "a timer due now wakes the sleeping thread");
        assertTrue(near.await(10, TimeUnit.SECONDS));
        far.cancel();
    }

    /** A thread sleeping on a far timer still runs a nearer one armed later, on time. */
    @Test
    void aNearerTimerArmedWhileTheThreadSleepsRuns() throws Exception {
        TimerBase b = started("test-near");
        b.schedule(() -> {}, TimeUnit.SECONDS.toNanos(60));
        awaitIdle(b);
        CountDownLatch ran = new CountDownLatch(1);
        b.schedule(ran::countDown, 2 * MS);
        assertTrue(ran.await(10, TimeUnit.SECONDS));
    }

    @Test
    void aFailingExpiryDoesNotStopTheThread() throws Exception {
        TimerBase b = started("test-oops");
        b.schedule(() -> { throw new IllegalStateException("expected by TimerBaseTest"); }, 0);
        CountDownLatch after = new CountDownLatch(1);
        b.schedule(after::countDown, 5 * MS);
        assertTrue(after.await(10, TimeUnit.SECONDS));
    }

    @Test
    void hugeDelaysNeitherOverflowNorRun() throws Exception {
        TimerBase b = started("test-huge");
        CountDownLatch wrong = new CountDownLatch(1);
        b.schedule(wrong::countDown, Long.MAX_VALUE);
        CountDownLatch ok = new CountDownLatch(1);
        b.schedule(ok::countDown, MS);
        assertTrue(ok.await(10, TimeUnit.SECONDS));
        assertEquals(1, wrong.getCount());
    }
}
