package dev.kava.kernel.time;

import dev.kava.abi.Errno;
import dev.kava.abi.Time;
import dev.kava.arch.riscv.Vdso;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Setting CLOCK_REALTIME: the offset, the shared vvar page and its sequence count, the limits. */
class ClockTest {
    private static ByteBuffer page(Clock c) {
        return ByteBuffer.wrap(c.vvarPage()).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void settimeMovesRealtimeAndTaiInThePageButNotMonotonic() {
        Clock c = new Clock();
        ByteBuffer before = page(c);
        int seq = before.getInt(Vdso.VVAR_SEQ);
        long target = 4_000_000_000L; // 2096
        assertEquals(0, c.settime(target, 5));
        ByteBuffer after = page(c);
        assertEquals(seq + 2, after.getInt(Vdso.VVAR_SEQ), "one update, and even again: no writer inside");
        long base = after.getLong(Vdso.VVAR_BASE + 8 * Time.CLOCK_REALTIME);
        assertEquals(c.realtimeOffset(), base);
        assertEquals(base, after.getLong(Vdso.VVAR_BASE + 8 * Time.CLOCK_REALTIME_COARSE));
        assertEquals(base + TimeSyscalls.TAI_OFFSET_NANOS, after.getLong(Vdso.VVAR_BASE + 8 * Time.CLOCK_TAI));
        assertEquals(before.getLong(Vdso.VVAR_BASE + 8 * Time.CLOCK_MONOTONIC), after.getLong(Vdso.VVAR_BASE + 8 * Time.CLOCK_MONOTONIC));
        assertEquals(before.getLong(Vdso.VVAR_BASE + 8 * Time.CLOCK_BOOTTIME), after.getLong(Vdso.VVAR_BASE + 8 * Time.CLOCK_BOOTTIME));
        long real = c.realtimeNanos();
        assertTrue(real >= target * Time.NSEC_PER_SEC && real < (target + 60) * Time.NSEC_PER_SEC);
        assertEquals(1, c.setCount());
    }

    @Test
    void injectOffsetStepsByTheDelta() {
        Clock c = Clock.virtual(); // a clock that does not move by itself
        long real = c.realtimeNanos();
        assertEquals(0, c.injectOffset(-1_500_000_000L));
        assertEquals(real - 1_500_000_000L, c.realtimeNanos());
        assertEquals(0, c.monotonicNanos());
        assertEquals(-Errno.EINVAL, c.injectOffset(-real - 1), "before boot");
        assertEquals(-Errno.EINVAL, c.injectOffset(Long.MAX_VALUE), "past TIME_SETTOD_SEC_MAX");
    }

    @Test
    void validSettodIsTimespec64ValidSettod() {
        assertTrue(Clock.validSettod(0, 0));
        assertTrue(Clock.validSettod(Time.TIME_SETTOD_SEC_MAX - 1, 999_999_999));
        assertFalse(Clock.validSettod(Time.TIME_SETTOD_SEC_MAX, 0));
        assertFalse(Clock.validSettod(-1, 0));
        assertFalse(Clock.validSettod(0, Time.NSEC_PER_SEC));
        assertFalse(Clock.validSettod(0, -1));
        assertEquals(8_277_292_036L, Time.TIME_SETTOD_SEC_MAX);
    }

    @Test
    void aTimezoneAloneWarpsTheClockOnlyTheFirstTime() {
        Clock c = Clock.virtual();
        long real = c.realtimeNanos();
        c.setSysTz(-60, 0, false);
        assertEquals(real - 3600 * Time.NSEC_PER_SEC, c.realtimeNanos(), "timekeeping_warp_clock: minuteswest * 60 s");
        c.setSysTz(120, 1, false);
        assertEquals(real - 3600 * Time.NSEC_PER_SEC, c.realtimeNanos());
        assertEquals(120, c.sysTz()[0]);
        assertEquals(1, c.sysTz()[1]);
    }
}
