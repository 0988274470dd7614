package dev.kava.arch.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kava.abi.Mman;
import org.junit.jupiter.api.Test;

/** Loads and stores: widths, sign/zero extension, misaligned and page-crossing accesses, and precise faults. */
class MemoryInsnTest {
    private static final int A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17;

    @Test
    void widthsAndExtension() {
        Hart h = Asm.run("""
                li t0, 0x20000
                li t1, 0x8182838485868788
                sd t1, 0(t0)
                lb a0, 0(t0)
                lbu a1, 0(t0)
                lh a2, 0(t0)
                lhu a3, 0(t0)
                lw a4, 4(t0)
                lwu a5, 4(t0)
                ld a6, 0(t0)
                sb t1, 9(t0)
                sh t1, 10(t0)
                sw t1, 12(t0)
                ld a7, 8(t0)
                """);
        assertEquals((byte) 0x88, h.x[A0]);
        assertEquals(0x88, h.x[A1]);
        assertEquals((short) 0x8788, h.x[A2]);
        assertEquals(0x8788, h.x[A3]);
        assertEquals((int) 0x81828384, h.x[A4]);
        assertEquals(0x81828384L, h.x[A5]);
        assertEquals(0x8182838485868788L, h.x[A6]);
        assertEquals(0x8586878887880000L | (0x88L << 8), h.x[A7]);
    }

    /** Every naturally aligned load position in a word (the fast paths shift it out of a long). */
    @Test
    void alignedLoadsAtEveryPositionOfAWord() {
        long word = 0xf8e7d6c5b4a39281L;
        StringBuilder asm = new StringBuilder("li t0, 0x20000\nli t1, " + word + "\nsd t1, 0(t0)\n");
        for (String[] kind : new String[][]{{"lb", "1"}, {"lbu", "1"}, {"lh", "2"}, {"lhu", "2"}, {"lw", "4"}, {"lwu", "4"}}) {
            int size = Integer.parseInt(kind[1]);
            StringBuilder a = new StringBuilder(asm);
            int[] regs = {10, 11, 12, 13, 14, 15, 16, 17};
            int n = 0;
            for (int off = 0; off < 8; off += size) a.append(kind[0]).append(" x").append(regs[n++]).append(", ").append(off).append("(t0)\n");
            Hart h = Asm.run(a.toString());
            n = 0;
            for (int off = 0; off < 8; off += size) {
                long bits = (word >>> (8 * off)) & (size == 8 ? -1L : (1L << (8 * size)) - 1);
                long expected = kind[0].endsWith("u") ? bits : (bits << (64 - 8 * size)) >> (64 - 8 * size);
                assertEquals(expected, h.x[regs[n++]], kind[0] + " at offset " + off);
            }
        }
    }

    @Test
    void misalignedAndPageCrossingAccessesWork() {
        // Linux emulates misaligned user accesses, so they must succeed, including across pages.
        Hart h = Asm.run("""
                li t0, 0x20ffd
                li t1, 0x1122334455667788
                sd t1, 0(t0)
                ld a0, 0(t0)
                lw a1, 1(t0)
                lhu a2, 2(t0)
                li t2, 0x20001
                sw t1, 0(t2)
                lw a3, 0(t2)
                """);
        assertEquals(0x1122334455667788L, h.x[A0]);
        assertEquals(0x44556677L, h.x[A1], "bytes 0x20ffe..0x21001");
        assertEquals(0x5566L, h.x[A2]);
        assertEquals(0x55667788L, h.x[A3]);
    }

    @Test
    void loadFromUnmappedMemoryTrapsPrecisely() {
        Hart h = Asm.load("""
                li t0, 0x12345678
                li a0, 1
                ld a1, 8(t0)
                li a0, 2
                """);
        int cause = Asm.runToTrap(h);
        assertEquals(Trap.LOAD_PAGE_FAULT, cause);
        assertEquals(0x12345680L, h.trapValue);
        assertEquals(1, h.x[A0], "instructions after the fault did not run");
        // li t0 is lui + addiw (8 bytes), li a0, 1 is c.li (2 bytes): the load is at offset 10.
        assertEquals(Asm.CODE + 10, h.pc);
    }

    @Test
    void storeToReadOnlyPageTrapsWithStoreFault() {
        Hart h = Asm.load("""
                la t0, 1f
                sw zero, 0(t0)
            1:  nop
                """);
        int cause = Asm.runToTrap(h);
        assertEquals(Trap.STORE_PAGE_FAULT, cause);
        assertEquals(h.trapValue, h.pc + 4, "the faulting store is the instruction before 1:");
    }

    @Test
    void pageCrossingStoreIsAllOrNothing() {
        Hart h = Asm.load("""
                li t0, 0x21ffc
                li t1, -1
                sd t1, 0(t0)
                """);
        h.addressSpace().unmap(0x21000, 0x1000);
        h.addressSpace().map(0x21000, 0x1000, Mman.PROT_READ);
        int cause = Asm.runToTrap(h);
        assertEquals(Trap.STORE_PAGE_FAULT, cause);
        byte[] b = new byte[4];
        h.addressSpace().copyFromUser(0x21ffc, b, 0, 4);
        assertEquals(0, b[0] | b[1] | b[2] | b[3], "no byte of a faulting store is written");
    }

    @Test
    void jumpToUnmappedAddressIsAnInstructionFault() {
        Hart h = Asm.load("""
                li t0, 0x7000000
                jr t0
                """);
        assertEquals(Trap.INSN_PAGE_FAULT, Asm.runToTrap(h));
        assertEquals(0x7000000L, h.pc);
        assertEquals(0x7000000L, h.trapValue);
    }

    @Test
    void fetchNeedsExecutePermission() {
        Hart h = Asm.load("""
                li t0, 0x20000
                jr t0
                """);
        assertEquals(Trap.INSN_PAGE_FAULT, Asm.runToTrap(h), "the data page is readable but not executable");
        assertEquals(0x20000L, h.trapValue);
    }

    @Test
    void illegalInstructionReportsItsBits() {
        Hart h = Asm.load("""
                li a0, 1
                .word 0xffffffff
                """);
        assertEquals(Trap.ILLEGAL_INSN, Asm.runToTrap(h));
        assertEquals(0xffffffffL, h.trapValue);
        assertEquals(1, h.x[A0]);
        Hart z = Asm.load(".half 0");
        assertEquals(Trap.ILLEGAL_INSN, Asm.runToTrap(z), "the all-zero parcel is illegal");
        assertEquals(Asm.CODE, z.pc);
    }

    @Test
    void ecallStopsAtTheEcall() {
        Hart h = Asm.load("""
                li a7, 64
                ecall
                """);
        assertEquals(Trap.ECALL_U, Asm.runToTrap(h));
        assertEquals(64, h.x[A7]);
        long ecallPc = h.pc;
        h.pc += 4;
        h.x[A0] = 0;
        // after the ecall the snippet runs off into zero bytes: illegal
        assertEquals(Trap.ILLEGAL_INSN, Asm.runToTrap(h));
        assertEquals(ecallPc + 4, h.pc);
    }

    @Test
    void selfModifyingCodeIsSeenAfterFenceI() {
        // Patch "li a0, 1" (addi a0, zero, 1) into "addi a0, zero, 2" and run it again.
        Hart h = Asm.load("""
                .option norvc
                li s0, 0
            1:  addi a0, zero, 1
                bnez s0, 2f
                li s0, 1
                la t0, 1b
                lw t1, 0(t0)
                li t2, 0x00100000
                add t1, t1, t2
                sw t1, 0(t0)
                fence.i
                j 1b
            2:  ebreak
                """);
        h.addressSpace().protect(Asm.CODE, 0x1000, Mman.PROT_READ | Mman.PROT_WRITE | Mman.PROT_EXEC);
        assertEquals(Trap.BREAKPOINT, Asm.runToTrap(h));
        assertEquals(2, h.x[A0]);
    }

    @Test
    void budgetStopsLoopsAndResumes() {
        Hart h = Asm.load("""
                li t0, 100000
            1:  addi t0, t0, -1
                bnez t0, 1b
                ebreak
                """);
        assertEquals(Trap.BUDGET_EXHAUSTED, h.run(1000));
        long first = h.instret();
        assertEquals(true, first >= 1000 && first < 1010, "stops at the first taken branch after the budget: " + first);
        assertEquals(Trap.BREAKPOINT, Asm.runToTrap(h));
        assertEquals(0, h.x[5]);
        assertEquals(2 + 2 * 100000, h.instret(), "li (lui+addi) + 2 per iteration; ebreak does not retire");
    }

    @Test
    void interruptFromAnotherThreadStopsTheHart() throws Exception {
        Hart h = Asm.load("1: j 1b");
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            h.interrupt();
        });
        t.start();
        assertEquals(Trap.INTERRUPTED, h.run(Long.MAX_VALUE));
        t.join();
    }
}
