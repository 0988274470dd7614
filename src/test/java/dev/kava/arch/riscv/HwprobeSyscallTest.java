package dev.kava.arch.riscv;

import dev.kava.abi.Hwprobe;
import dev.kava.mm.Mmap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HwprobeSyscallTest {
    @Test
    void extensionBitsComeFromIsa() {
        long v = HwprobeSyscall.imaExt0();
        long want = Hwprobe.IMA_FD | Hwprobe.IMA_C | Hwprobe.EXT_ZBA | Hwprobe.EXT_ZBB | Hwprobe.EXT_ZBS
                | Hwprobe.EXT_ZICNTR | Hwprobe.EXT_ZCA | Hwprobe.EXT_ZCD | Hwprobe.EXT_ZAAMO | Hwprobe.EXT_ZALRSC;
        assertEquals(Long.toHexString(want), Long.toHexString(v));
    }

    @Test
    void keys() {
        assertEquals(0L, HwprobeSyscall.value(Hwprobe.KEY_MVENDORID));
        assertEquals(Hwprobe.BASE_BEHAVIOR_IMA, HwprobeSyscall.value(Hwprobe.KEY_BASE_BEHAVIOR));
        assertEquals(Hwprobe.MISALIGNED_SCALAR_FAST, HwprobeSyscall.value(Hwprobe.KEY_MISALIGNED_SCALAR_PERF));
        assertEquals(Hwprobe.MISALIGNED_VECTOR_UNSUPPORTED, HwprobeSyscall.value(Hwprobe.KEY_MISALIGNED_VECTOR_PERF));
        assertEquals(0L, HwprobeSyscall.value(Hwprobe.KEY_ZICBOZ_BLOCK_SIZE));
        assertEquals(Mmap.TASK_SIZE - 1, HwprobeSyscall.value(Hwprobe.KEY_HIGHEST_VIRT_ADDRESS));
        assertEquals(Isa.TIMEBASE_HZ, HwprobeSyscall.value(Hwprobe.KEY_TIME_CSR_FREQ));
        assertNull(HwprobeSyscall.value(-1));
        assertNull(HwprobeSyscall.value(Hwprobe.MAX_KEY + 1));
    }
}
