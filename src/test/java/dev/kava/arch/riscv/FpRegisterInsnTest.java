package dev.kava.arch.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * F/D register-file behaviour that belongs to the hart rather than to the arithmetic: NaN-boxing
 * of singles, raw moves, FP loads/stores and sign injection. Arithmetic corner cases are in
 * dev.kava.arch.riscv.fpu.FpuTest.
 */
class FpRegisterInsnTest {
    private static final int A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14;

    @Test
    void flwNanBoxesAndFswStoresLowBits() {
        Hart h = Asm.run("""
                li t0, 0x20000
                li t1, 0x3f800000
                sw t1, 0(t0)
                flw fa0, 0(t0)
                fsw fa0, 8(t0)
                lw a0, 8(t0)
                fld fa1, 0(t0)
                """);
        assertEquals(0xffffffff3f800000L, h.f[10]);
        assertEquals(0x3f800000L, h.x[A0]);
        assertEquals(0x3f800000L, h.f[11], "fld loads the raw 64 bits");
    }

    @Test
    void movesBetweenRegisterFiles() {
        Hart h = Asm.run("""
                li t0, 0x80000000
                fmv.w.x fa0, t0
                fmv.x.w a0, fa0
                li t1, 0x123456789abcdef0
                fmv.d.x fa1, t1
                fmv.x.d a1, fa1
                fmv.x.w a2, fa1
                """);
        assertEquals(0xffffffff80000000L, h.f[10], "fmv.w.x NaN-boxes");
        assertEquals(0xffffffff80000000L, h.x[A0], "fmv.x.w sign-extends");
        assertEquals(0x123456789abcdef0L, h.x[A1]);
        assertEquals((long) (int) 0x9abcdef0, h.x[A2], "fmv.x.w moves the low bits even when not boxed");
    }

    @Test
    void improperlyBoxedSingleReadsAsCanonicalNaN() {
        Hart h = Asm.run("""
                li t0, 0x000000003f800000
                fmv.d.x fa0, t0
                fsgnj.s fa1, fa0, fa0
                fmv.x.w a0, fa1
                fsgnjn.s fa2, fa0, fa0
                fmv.x.w a1, fa2
                fclass.s a2, fa0
                """);
        assertEquals(0x7fc00000L, h.x[A0]);
        assertEquals((long) (int) 0xffc00000, h.x[A1]);
        assertEquals(1 << 9, h.x[A2], "fclass sees a quiet NaN");
    }

    @Test
    void doubleSignInjection() {
        Hart h = Asm.run("""
                li t0, 0x3ff0000000000000
                li t1, 0x8000000000000000
                fmv.d.x fa0, t0
                fmv.d.x fa1, t1
                fsgnj.d fa2, fa0, fa1
                fsgnjn.d fa3, fa0, fa1
                fsgnjx.d fa4, fa2, fa1
                fmv.x.d a0, fa2
                fmv.x.d a1, fa3
                fmv.x.d a2, fa4
                """);
        assertEquals(0xbff0000000000000L, h.x[A0]);
        assertEquals(0x3ff0000000000000L, h.x[A1]);
        assertEquals(0x3ff0000000000000L, h.x[A2]);
    }
}
