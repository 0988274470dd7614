package dev.kava.arch.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kava.abi.Mman;
import dev.kava.mm.AddressSpace;
import org.junit.jupiter.api.Test;

/** The A extension: AMOs, LR/SC, alignment traps, and atomicity across host threads. */
class AtomicInsnTest {
    private static final int A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17;

    @Test
    void amoWordOpsReturnOldValueSignExtended() {
        Hart h = Asm.run("""
                li t0, 0x20000
                li t1, 0x80000000
                sw t1, 0(t0)
                li t2, 1
                amoadd.w a0, t2, (t0)
                lw a1, 0(t0)
                li t3, -5
                amomin.w a2, t3, (t0)
                lw a3, 0(t0)
                amominu.w a4, t2, (t0)
                lw a5, 0(t0)
                amomaxu.w a6, t3, (t0)
                amoswap.w a7, zero, (t0)
                """);
        assertEquals(0xffffffff80000000L, h.x[A0]);
        assertEquals(0xffffffff80000001L, h.x[A1]);
        assertEquals(0xffffffff80000001L, h.x[A2]);
        assertEquals(0xffffffff80000001L, h.x[A3], "min(-2^31+1, -5)");
        assertEquals(0xffffffff80000001L, h.x[A4]);
        assertEquals(1, h.x[A5], "minu picks 1");
        assertEquals(1, h.x[A6]);
        assertEquals(-5, h.x[A7], "maxu stored 0xfffffffb");
    }

    @Test
    void amoDoublewordLogicOps() {
        Hart h = Asm.run("""
                li t0, 0x20008
                li t1, 0xf0f0
                sd t1, 0(t0)
                li t2, 0xff00
                amoand.d a0, t2, (t0)
                amoor.d a1, t1, (t0)
                amoxor.d a2, t2, (t0)
                ld a3, 0(t0)
                li t3, -1
                amomax.d a4, t3, (t0)
                amomaxu.d a5, t3, (t0)
                ld a6, 0(t0)
                """);
        assertEquals(0xf0f0, h.x[A0]);
        assertEquals(0xf000, h.x[A1]);
        assertEquals(0xf0f0, h.x[A2]);
        assertEquals(0x0ff0, h.x[A3]);
        assertEquals(0x0ff0, h.x[A4]);
        assertEquals(0x0ff0, h.x[A5]);
        assertEquals(-1, h.x[A6]);
    }

    @Test
    void lrScSucceedsOnceAndFailsWithoutReservation() {
        Hart h = Asm.run("""
                li t0, 0x20010
                li t1, 42
                lr.d a0, (t0)
                sc.d a1, t1, (t0)
                sc.d a2, t1, (t0)
                ld a3, 0(t0)
                lr.w a4, (t0)
                sw zero, 0(t0)
                li t2, 7
                sc.w a5, t2, (t0)
                """);
        assertEquals(0, h.x[A0]);
        assertEquals(0, h.x[A1], "sc after lr succeeds");
        assertEquals(1, h.x[A2], "second sc has no reservation");
        assertEquals(42, h.x[A3]);
        assertEquals(42, h.x[A4]);
        assertEquals(1, h.x[A5], "the reserved word changed: sc fails");
    }

    @Test
    void misalignedAmoTraps() {
        Hart h = Asm.load("""
                li t0, 0x20002
                amoadd.w a0, t0, (t0)
                """);
        assertEquals(Trap.STORE_MISALIGNED, Asm.runToTrap(h));
        assertEquals(0x20002L, h.trapValue);
        Hart l = Asm.load("""
                li t0, 0x20004
                lr.d a0, (t0)
                """);
        assertEquals(Trap.LOAD_MISALIGNED, Asm.runToTrap(l));
    }

    @Test
    void amoOnReadOnlyPageIsAStoreFault() {
        Hart h = Asm.load("""
                la t0, 1f
                amoadd.w a0, zero, (t0)
            1:  nop
                """);
        assertEquals(Trap.STORE_PAGE_FAULT, Asm.runToTrap(h));
    }

    /** Two harts on two host threads increment one counter, with amoadd and with an lr/sc loop. */
    @Test
    void atomicsAreAtomicAcrossHostThreads() throws Exception {
        String src = """
                li t0, 0x20000
                addi t5, t0, 8
                li t1, 200000
            1:  li t2, 1
                amoadd.d zero, t2, (t0)
            2:  lr.w t3, (t5)
                addiw t3, t3, 1
                sc.w t4, t3, (t5)
                bnez t4, 2b
                addi t1, t1, -1
                bnez t1, 1b
                ebreak
                """;
        Hart a = Asm.load(src);
        AddressSpace as = a.addressSpace();
        Hart b = new Hart(as);
        b.pc = Asm.CODE;
        Thread ta = new Thread(() -> Asm.runToTrap(a)), tb = new Thread(() -> Asm.runToTrap(b));
        ta.start();
        tb.start();
        ta.join();
        tb.join();
        byte[] buf = new byte[16];
        as.copyFromUser(0x20000, buf, 0, 16);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(400000L, bb.getLong(0));
        assertEquals(400000, bb.getInt(8));
    }
}
