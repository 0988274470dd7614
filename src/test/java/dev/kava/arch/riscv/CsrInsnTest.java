package dev.kava.arch.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Zicsr on the user CSRs (fflags, frm, fcsr, cycle, time, instret) and what is illegal. */
class CsrInsnTest {
    private static final int A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16;

    @Test
    void fcsrFieldsAlias() {
        Hart h = Asm.run("""
                li t0, 0xff
                csrw fcsr, t0
                csrr a0, frm
                csrr a1, fflags
                csrwi frm, 2
                csrr a2, fcsr
                csrci fflags, 0x3
                csrr a3, fcsr
                csrrsi a4, fflags, 0x10
                li t1, -1
                csrrw a5, fcsr, t1
                csrr a6, fcsr
                """);
        assertEquals(7, h.x[A0]);
        assertEquals(0x1f, h.x[A1]);
        assertEquals(0x5f, h.x[A2]);
        assertEquals(0x5c, h.x[A3]);
        assertEquals(0x1c, h.x[A4]);
        assertEquals(0x5c, h.x[A5]);
        assertEquals(0xff, h.x[A6], "fcsr keeps only frm and fflags");
    }

    @Test
    void countersAdvance() {
        Hart h = Asm.run("""
                rdinstret a0
                nop
                nop
                rdinstret a1
                rdcycle a2
                rdtime a3
                li t0, 100000
            1:  addi t0, t0, -1
                bnez t0, 1b
                rdtime a4
                """);
        assertEquals(3, h.x[A1] - h.x[A0], "rdinstret counts retired instructions");
        assertTrue(h.x[A2] >= h.x[A1]);
        assertTrue(h.x[A4] >= h.x[A3]);
    }

    @Test
    void writingReadOnlyCounterIsIllegal() {
        Hart h = Asm.load("csrw cycle, zero");
        assertEquals(Trap.ILLEGAL_INSN, Asm.runToTrap(h));
        Hart g = Asm.load("csrrs a0, instret, t0\n");
        g.x[5] = 1;
        assertEquals(Trap.ILLEGAL_INSN, Asm.runToTrap(g), "set with a non-zero source writes");
        Hart r = Asm.run("csrrs a0, instret, zero");
        assertEquals(0, r.x[A0]);
    }

    @Test
    void machineAndSupervisorCsrsAreIllegal() {
        assertEquals(Trap.ILLEGAL_INSN, Asm.runToTrap(Asm.load("csrr a0, mstatus")));
        assertEquals(Trap.ILLEGAL_INSN, Asm.runToTrap(Asm.load("csrr a0, sstatus")));
        assertEquals(Trap.ILLEGAL_INSN, Asm.runToTrap(Asm.load("csrr a0, satp")));
        assertEquals(Trap.ILLEGAL_INSN, Asm.runToTrap(Asm.load("wfi")));
        assertEquals(Trap.ILLEGAL_INSN, Asm.runToTrap(Asm.load("mret")));
    }

    @Test
    void dynamicRoundingWithInvalidFrmIsIllegal() {
        Hart h = Asm.load("""
                csrwi frm, 5
                fsgnj.d fa0, fa1, fa1
                fadd.d fa0, fa1, fa1, dyn
                """);
        assertEquals(Trap.ILLEGAL_INSN, Asm.runToTrap(h));
        assertEquals(0x10000 + 8, h.pc, "sign injection does not round, so it runs; the fadd traps");
    }
}
