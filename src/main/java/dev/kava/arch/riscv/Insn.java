package dev.kava.arch.riscv;

/**
 * One decoded instruction. Decoding happens once per instruction address (see {@link CodePage});
 * the executor then works from these fields. Integer destinations that are x0 are redirected
 * to a sink register (index 32), so the executor never needs to special-case x0.
 */
public final class Insn {
    /** The register index that writes to x0 are redirected to. */
    public static final int X_SINK = 32;

    public final int op;
    public final int rd, rs1, rs2, rs3;
    /** Static rounding mode field (0..4, or 7 = dynamic) for floating-point operations; CSR number for Zicsr. */
    public final int rm;
    public final long imm;
    /** Length in bytes: 2 for compressed, 4 otherwise. */
    public final int len;
    /** The raw instruction bits (for tval on illegal instruction traps and for disassembly). */
    public final int bits;

    Insn(int op, int rd, int rs1, int rs2, int rs3, int rm, long imm, int len, int bits) {
        this.op = op;
        this.rd = rd;
        this.rs1 = rs1;
        this.rs2 = rs2;
        this.rs3 = rs3;
        this.rm = rm;
        this.imm = imm;
        this.len = len;
        this.bits = bits;
    }

    @Override
    public String toString() {
        return Op.name(op) + " rd=" + rd + " rs1=" + rs1 + " rs2=" + rs2 + " rs3=" + rs3 + " rm=" + rm + " imm=" + imm
                + " (" + (len == 2 ? String.format("%04x", bits & 0xffff) : String.format("%08x", bits)) + ")";
    }
}
