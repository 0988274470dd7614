package dev.kava.arch.riscv;

import dev.kava.mm.Page;

/**
 * The decoded code of one page frame (kept in {@link Page#icache}): one decoded instruction per
 * 2-byte parcel, and the straight-line blocks that start at each parcel. Dropped as a whole
 * when the frame is written or on fence.i.
 */
final class CodePage {
    static final int SLOTS = Page.SIZE / 2;

    final Insn[] slots = new Insn[SLOTS];
    final Block[] blocks = new Block[SLOTS];

    /**
     * A run of instructions that execute one after another: it ends after the first instruction
     * that may change control flow or needs an exact retired count (branches, jumps, ecall,
     * ebreak, illegal, fence.i, CSR accesses), at the end of the page, or before an instruction
     * that straddles into the next page.
     */
    static final class Block {
        final Insn[] insns;
        /** Page offset of each instruction. */
        final int[] offs;
        /** Page offset right after the last instruction: where execution falls through to. */
        final int endOff;
        /** Times the interpreter ran this block, until it is translated (racy between harts: only a hint). */
        int runs;
        /** The block translated to JVM bytecode, once hot; it lives and dies with this block. */
        CompiledBlock compiled;

        Block(Insn[] insns, int[] offs, int endOff) {
            this.insns = insns;
            this.offs = offs;
            this.endOff = endOff;
        }
    }

    /** Whether an instruction must be the last of its block. */
    static boolean endsBlock(Insn in) {
        return endsBlock(in.op) && !readsCounter(in);
    }

    /**
     * A pure read of cycle, time or instret (rdcycle, rdtime, rdinstret: CSRRS/CSRRC with rs1 =
     * x0): it changes no state, so it need not end its block (the vDSO reads time mid-block).
     */
    static boolean readsCounter(Insn in) {
        return (in.op == Op.CSRRS || in.op == Op.CSRRC) && in.rs1 == 0
                && (in.rm == Csr.CYCLE || in.rm == Csr.TIME || in.rm == Csr.INSTRET);
    }

    /** Whether an instruction of this kind must end its block (a counter read excepted). */
    static boolean endsBlock(int op) {
        return switch (op) {
            case Op.BEQ, Op.BNE, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU, Op.JAL, Op.JALR, Op.ECALL, Op.EBREAK, Op.ILLEGAL,
                 Op.FENCE_I, Op.CSRRW, Op.CSRRS, Op.CSRRC, Op.CSRRWI, Op.CSRRSI, Op.CSRRCI -> true;
            default -> false;
        };
    }
}
