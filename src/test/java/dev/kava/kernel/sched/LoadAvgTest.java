package dev.kava.kernel.sched;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load average's fixed-point arithmetic, as kernel/sched/loadavg.c computes it. */
class LoadAvgTest {
    private static final long F = LoadAvg.LOAD_FREQ_NANOS;

    @Test
    void oneBusyTaskForAMinuteReachesAboutSixtyThreePercent() {
        LoadAvg l = new LoadAvg(0);
        // Sample points at F, 2F, ... 12F (one minute): one task runnable at each.
        for (int i = 1; i <= 12; i++) l.update(i * F, 1);
        long[] a = l.get(LoadAvg.FIXED_1 / 200);
        String one = LoadAvg.format(a[0]);
        assertTrue(one.startsWith("0.6"), one); // 1 - 1/e
        assertTrue(a[1] < a[0] && a[2] < a[1]);
    }

    @Test
    void missedSamplesFoldInAsIfTakenOneByOne() {
        LoadAvg stepwise = new LoadAvg(0), atOnce = new LoadAvg(0);
        for (int i = 1; i <= 30; i++) stepwise.update(i * F, 3);
        atOnce.update(30 * F + F / 2, 3);
        long[] a = stepwise.get(0), b = atOnce.get(0);
        // calc_load_n rounds once where 30 steps round up 30 times: within 0.02, as on Linux.
        for (int i = 0; i < 3; i++) assertTrue(Math.abs(a[i] - b[i]) <= LoadAvg.FIXED_1 / 50, a[i] + " vs " + b[i]);
    }

    @Test
    void nothingBeforeTheFirstSample() {
        LoadAvg l = new LoadAvg(100);
        l.update(100 + F - 1, 5);
        assertEquals("0.00", LoadAvg.format(l.get(0)[0]));
        assertEquals("0.01", LoadAvg.format(LoadAvg.FIXED_1 / 100 + 1));
        assertEquals("2.50", LoadAvg.format(LoadAvg.FIXED_1 * 5 / 2));
    }

    @Test
    void fixedPowerMatchesRepeatedMultiplication() {
        assertEquals(LoadAvg.FIXED_1, LoadAvg.fixedPowerInt(LoadAvg.EXP_1, LoadAvg.FSHIFT, 0));
        assertEquals(LoadAvg.EXP_1, LoadAvg.fixedPowerInt(LoadAvg.EXP_1, LoadAvg.FSHIFT, 1));
        long x = LoadAvg.FIXED_1;
        for (int i = 0; i < 5; i++) x = (x * LoadAvg.EXP_5 + LoadAvg.FIXED_1 / 2) >> LoadAvg.FSHIFT;
        assertTrue(Math.abs(x - LoadAvg.fixedPowerInt(LoadAvg.EXP_5, LoadAvg.FSHIFT, 5)) <= 2);
    }
}
