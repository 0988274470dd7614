package dev.kava.arch.riscv;

import static dev.kava.arch.riscv.Op.*;

/** The Zba, Zbb and Zbs bit-manipulation instructions (RISC-V "B" extension, version 1.0). */
final class BitManip {
    private BitManip() {}

    private static final long U32 = 0xffffffffL;

    /** Computes rd for op from rs1's value a, rs2's value b and the immediate. */
    static long exec(int op, long a, long b, long imm) {
        return switch (op) {
            case ADD_UW -> (a & U32) + b;
            case SH1ADD -> (a << 1) + b;
            case SH2ADD -> (a << 2) + b;
            case SH3ADD -> (a << 3) + b;
            case SH1ADD_UW -> ((a & U32) << 1) + b;
            case SH2ADD_UW -> ((a & U32) << 2) + b;
            case SH3ADD_UW -> ((a & U32) << 3) + b;
            case SLLI_UW -> (a & U32) << imm;
            case ANDN -> a & ~b;
            case ORN -> a | ~b;
            case XNOR -> ~(a ^ b);
            case CLZ -> Long.numberOfLeadingZeros(a);
            case CLZW -> Integer.numberOfLeadingZeros((int) a);
            case CTZ -> Long.numberOfTrailingZeros(a);
            case CTZW -> Integer.numberOfTrailingZeros((int) a);
            case CPOP -> Long.bitCount(a);
            case CPOPW -> Integer.bitCount((int) a);
            case MAX -> Math.max(a, b);
            case MAXU -> Long.compareUnsigned(a, b) >= 0 ? a : b;
            case MIN -> Math.min(a, b);
            case MINU -> Long.compareUnsigned(a, b) <= 0 ? a : b;
            case SEXT_B -> (byte) a;
            case SEXT_H -> (short) a;
            case ZEXT_H -> a & 0xffff;
            case ROL -> Long.rotateLeft(a, (int) b);
            case ROR -> Long.rotateRight(a, (int) b);
            case RORI -> Long.rotateRight(a, (int) imm);
            case ROLW -> Integer.rotateLeft((int) a, (int) b);
            case RORW -> Integer.rotateRight((int) a, (int) b);
            case RORIW -> Integer.rotateRight((int) a, (int) imm);
            case ORC_B -> orcB(a);
            case REV8 -> Long.reverseBytes(a);
            case BCLR -> a & ~(1L << b);
            case BCLRI -> a & ~(1L << imm);
            case BEXT -> (a >>> b) & 1;
            case BEXTI -> (a >>> imm) & 1;
            case BINV -> a ^ (1L << b);
            case BINVI -> a ^ (1L << imm);
            case BSET -> a | (1L << b);
            case BSETI -> a | (1L << imm);
            default -> throw new IllegalStateException("not a bit-manipulation op: " + Op.name(op));
        };
    }

    /** orc.b: each byte becomes 0xff if it is non-zero, else 0x00. */
    private static long orcB(long a) {
        long r = 0;
        for (int i = 0; i < 64; i += 8) if (((a >>> i) & 0xff) != 0) r |= 0xffL << i;
        return r;
    }
}
