package dev.kava.arch.riscv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kava.abi.Time;
import dev.kava.kernel.time.Clock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The generated vDSO: its code is what binutils makes of its listing, and its vvar page. */
class VdsoTest {
    @Test
    void codeMatchesBinutilsAssemblingTheListing() {
        String listing = Vdso.listing();
        byte[] want = Asm.assemble(listing, false);
        long start = Vdso.symbol("__vdso_rt_sigreturn");
        byte[] got = Arrays.copyOfRange(Vdso.image(), (int) start, (int) start + want.length);
        assertArrayEquals(want, got, listing);
        // Nothing after the code: the listing is all of it.
        long end = 0;
        for (String f : new String[] {"__vdso_rt_sigreturn", "__vdso_gettimeofday", "__vdso_clock_gettime",
                "__vdso_clock_getres", "__vdso_getcpu", "__vdso_flush_icache", "__vdso_riscv_hwprobe"}) {
            assertTrue(Vdso.symbol(f) >= start);
            end = Math.max(end, Vdso.symbol(f));
        }
        assertTrue(end < start + want.length);
    }

    @Test
    void hostClockPageComputesWhatTheSyscallsReturn() {
        Clock c = new Clock();
        ByteBuffer v = ByteBuffer.wrap(c.vvarPage()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Vdso.VDSO_CLOCKMODE_ARCHTIMER, v.getInt(Vdso.VVAR_CLOCK_MODE));
        int mask = v.getInt(Vdso.VVAR_CLOCK_MASK);
        assertEquals(0, mask & (1 << Time.CLOCK_PROCESS_CPUTIME_ID | 1 << Time.CLOCK_THREAD_CPUTIME_ID));
        long mult = v.getInt(Vdso.VVAR_MULT) & 0xffffffffL;
        long baseMono = v.getLong(Vdso.VVAR_BASE + 8 * Time.CLOCK_MONOTONIC);
        long baseReal = v.getLong(Vdso.VVAR_BASE + 8 * Time.CLOCK_REALTIME);
        for (int i = 0; i < 1000; i++) {
            long before = c.timeCsr() * mult;
            long mono = c.monotonicNanos(), real = c.realtimeNanos();
            long after = c.timeCsr() * mult;
            // What the vDSO computes from the CSR before and after brackets the syscalls' answers.
            assertTrue(baseMono + before <= mono && mono <= baseMono + after, "monotonic");
            assertTrue(baseReal + before <= real && real <= baseReal + after, "realtime");
        }
    }

    @Test
    void virtualClockSendsEveryCallToTheKernel() {
        ByteBuffer v = ByteBuffer.wrap(Clock.virtual().vvarPage()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Vdso.VDSO_CLOCKMODE_NONE, v.getInt(Vdso.VVAR_CLOCK_MODE));
        assertEquals(0, v.getInt(Vdso.VVAR_CLOCK_MASK));
    }
}
