package dev.kava.arch.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RV64I and M: arithmetic, shifts, W forms, comparisons, branches, jumps, multiply and divide. */
class IntegerInsnTest {
    private static final int A0 = 10, A1 = 11, A2 = 12, A3 = 13, A4 = 14, A5 = 15, A6 = 16, A7 = 17;

    @Test
    void immediatesAndUpperImmediates() {
        Hart h = Asm.run("""
                li a0, -1
                lui a1, 0x80000
                addi a2, zero, 2047
                addi a3, zero, -2048
                auipc a4, 1
                li a5, 0x123456789abcdef0
                """);
        assertEquals(-1L, h.x[A0]);
        assertEquals(0xffffffff80000000L, h.x[A1], "lui sign-extends on RV64");
        assertEquals(2047, h.x[A2]);
        assertEquals(-2048, h.x[A3]);
        assertEquals(true, h.x[A4] > Asm.CODE, "auipc gives a pc-relative address");
        assertEquals(0x123456789abcdef0L, h.x[A5]);
    }

    @Test
    void auipcIsRelativeToItsOwnPc() {
        Hart h = Asm.run("""
                .option norvc
                nop
                auipc a0, 2
                """);
        assertEquals(Asm.CODE + 4 + 0x2000, h.x[A0]);
    }

    @Test
    void registerArithmeticAndW() {
        Hart h = Asm.run("""
                li t0, 0x7fffffff
                li t1, 1
                addw a0, t0, t1
                add a1, t0, t1
                subw a2, zero, t1
                li t2, 0xffffffff
                addiw a3, t2, 0
                sub a4, zero, t0
                """);
        assertEquals(0xffffffff80000000L, h.x[A0], "addw wraps and sign-extends");
        assertEquals(0x80000000L, h.x[A1]);
        assertEquals(-1L, h.x[A2]);
        assertEquals(-1L, h.x[A3], "sext.w of 0xffffffff");
        assertEquals(-0x7fffffffL, h.x[A4]);
    }

    @Test
    void shiftsUseOnlyLowBitsOfShamt() {
        Hart h = Asm.run("""
                li t0, -16
                li t1, 65
                sll a0, t0, t1
                srl a1, t0, t1
                sra a2, t0, t1
                li t2, 33
                sllw a3, t0, t2
                srlw a4, t0, t2
                sraw a5, t0, t2
                srai a6, t0, 63
                srliw a7, t0, 31
                """);
        assertEquals(-32L, h.x[A0]);
        assertEquals(-16L >>> 1, h.x[A1]);
        assertEquals(-8L, h.x[A2]);
        assertEquals(-32L, h.x[A3]);
        assertEquals((long) (-16 >>> 1), h.x[A4]);
        assertEquals(-8L, h.x[A5]);
        assertEquals(-1L, h.x[A6]);
        assertEquals(1L, h.x[A7]);
    }

    @Test
    void comparisons() {
        Hart h = Asm.run("""
                li t0, -1
                li t1, 1
                slt a0, t0, t1
                sltu a1, t0, t1
                slti a2, t0, 0
                sltiu a3, t1, -1
                sltiu a4, zero, 1
                """);
        assertEquals(1, h.x[A0]);
        assertEquals(0, h.x[A1]);
        assertEquals(1, h.x[A2]);
        assertEquals(1, h.x[A3], "sltiu compares with the sign-extended immediate as unsigned");
        assertEquals(1, h.x[A4]);
    }

    @Test
    void branchesAndJumps() {
        Hart h = Asm.run("""
                li a0, 0
                li t0, 10
            1:  addi a0, a0, 3
                addi t0, t0, -1
                bnez t0, 1b
                li t1, -5
                li t2, 5
                li a1, 0
                blt t1, t2, 2f
                li a1, 99
            2:  bltu t1, t2, 3f
                addi a1, a1, 1
            3:  bge t2, t1, 4f
                li a1, 99
            4:  bgeu t2, t1, 5f
                addi a1, a1, 10
            5:  jal ra, 6f
                li a2, 7
                j 7f
            6:  li a3, 8
                ret
            7:  la t3, 8f
                jalr t4, 1(t3)
            8:  li a4, 1
                """);
        assertEquals(30, h.x[A0]);
        assertEquals(11, h.x[A1]);
        assertEquals(7, h.x[A2]);
        assertEquals(8, h.x[A3]);
        assertEquals(1, h.x[A4], "jalr clears bit 0 of the target");
    }

    @Test
    void jalrWithRdEqualRs1UsesOldValue() {
        Hart h = Asm.run("""
                la t0, 1f
                jalr t0, 0(t0)
                li a0, 5
            1:  mv a1, t0
                """);
        assertEquals(0, h.x[A0]);
        assertEquals(h.x[A1], h.x[5]);
    }

    @Test
    void writesToX0AreDiscarded() {
        Hart h = Asm.run("""
                li t0, 5
                add zero, t0, t0
                addi x0, x0, 1
                lui x0, 1
                mv a0, zero
                """);
        assertEquals(0, h.x[0]);
        assertEquals(0, h.x[A0]);
    }

    @Test
    void multiply() {
        Hart h = Asm.run("""
                li t0, -3
                li t1, 0x7fffffffffffffff
                mul a0, t0, t1
                mulh a1, t0, t1
                mulhu a2, t0, t1
                mulhsu a3, t0, t1
                mulhsu a4, t1, t0
                li t2, 0x10000
                mulw a5, t2, t2
                """);
        long a = -3, b = 0x7fffffffffffffffL;
        assertEquals(a * b, h.x[A0]);
        assertEquals(Math.multiplyHigh(a, b), h.x[A1]);
        assertEquals(Math.unsignedMultiplyHigh(a, b), h.x[A2]);
        assertEquals(new java.math.BigInteger("-3").multiply(new java.math.BigInteger(Long.toUnsignedString(b))).shiftRight(64).longValue(), h.x[A3]);
        assertEquals(new java.math.BigInteger(Long.toString(b)).multiply(new java.math.BigInteger(Long.toUnsignedString(a))).shiftRight(64).longValue(), h.x[A4]);
        assertEquals(0, h.x[A5]);
    }

    @Test
    void divisionCornerCases() {
        Hart h = Asm.run("""
                li t0, 0x8000000000000000
                li t1, -1
                div a0, t0, t1
                rem a1, t0, t1
                li t2, 7
                div a2, t2, zero
                divu a3, t2, zero
                rem a4, t2, zero
                remu a5, t2, zero
                li t3, 0x80000000
                divw a6, t3, t1
                remw a7, t3, t1
                """);
        assertEquals(Long.MIN_VALUE, h.x[A0]);
        assertEquals(0, h.x[A1]);
        assertEquals(-1, h.x[A2]);
        assertEquals(-1, h.x[A3]);
        assertEquals(7, h.x[A4]);
        assertEquals(7, h.x[A5]);
        assertEquals((long) Integer.MIN_VALUE, h.x[A6]);
        assertEquals(0, h.x[A7]);
    }

    @Test
    void wordDivisionSignExtends() {
        Hart h = Asm.run("""
                li t0, -7
                li t1, 2
                divw a0, t0, t1
                remw a1, t0, t1
                divuw a2, t0, t1
                remuw a3, t0, t1
                divuw a4, t0, zero
                remuw a5, t0, zero
                """);
        assertEquals(-3, h.x[A0]);
        assertEquals(-1, h.x[A1]);
        assertEquals((long) (int) (0xfffffff9L / 2), h.x[A2]);
        assertEquals(1, h.x[A3]);
        assertEquals(-1, h.x[A4]);
        assertEquals(-7, h.x[A5]);
    }
}
