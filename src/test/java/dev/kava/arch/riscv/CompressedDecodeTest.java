package dev.kava.arch.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Every RVC instruction must decode exactly like the 32-bit instruction it expands to. The
 * assembler produces both forms of the same source (with and without .option rvc), and the
 * two decodes are compared field by field.
 */
class CompressedDecodeTest {
    /** Each compressed instruction and the 32-bit instruction it expands to (RVC chapter, tables 16.5-16.7). */
    private static final String[][] PAIRS = {
            {"c.addi4spn s0, sp, 1020", "addi s0, sp, 1020"},
            {"c.addi4spn a5, sp, 4", "addi a5, sp, 4"},
            {"c.fld fa0, 248(a1)", "fld fa0, 248(a1)"},
            {"c.lw a2, 124(s1)", "lw a2, 124(s1)"},
            {"c.ld a3, 248(a4)", "ld a3, 248(a4)"},
            {"c.fsd fs1, 8(a5)", "fsd fs1, 8(a5)"},
            {"c.sw a0, 64(s0)", "sw a0, 64(s0)"},
            {"c.sd a1, 0(a2)", "sd a1, 0(a2)"},
            {"c.nop", "addi zero, zero, 0"},
            {"c.addi a0, -32", "addi a0, a0, -32"},
            {"c.addi t6, 31", "addi t6, t6, 31"},
            {"c.addiw a1, -1", "addiw a1, a1, -1"},
            {"c.addiw t0, 17", "addiw t0, t0, 17"},
            {"c.li s1, -32", "addi s1, zero, -32"},
            {"c.li ra, 5", "addi ra, zero, 5"},
            {"c.addi16sp sp, -512", "addi sp, sp, -512"},
            {"c.addi16sp sp, 496", "addi sp, sp, 496"},
            {"c.lui a0, 0xfffe0", "lui a0, 0xfffe0"},
            {"c.lui t1, 0x1f", "lui t1, 0x1f"},
            {"c.srli a0, 63", "srli a0, a0, 63"},
            {"c.srai s1, 1", "srai s1, s1, 1"},
            {"c.andi a2, -1", "andi a2, a2, -1"},
            {"c.sub a3, a4", "sub a3, a3, a4"},
            {"c.xor s0, s1", "xor s0, s0, s1"},
            {"c.or a5, a0", "or a5, a5, a0"},
            {"c.and a1, a2", "and a1, a1, a2"},
            {"c.subw a3, a5", "subw a3, a3, a5"},
            {"c.addw s0, a4", "addw s0, s0, a4"},
            {"c.slli t3, 63", "slli t3, t3, 63"},
            {"c.fldsp fs11, 504(sp)", "fld fs11, 504(sp)"},
            {"c.lwsp ra, 252(sp)", "lw ra, 252(sp)"},
            {"c.ldsp t4, 504(sp)", "ld t4, 504(sp)"},
            {"c.jr ra", "jalr zero, 0(ra)"},
            {"c.mv a0, t6", "add a0, zero, t6"},
            {"c.ebreak", "ebreak"},
            {"c.jalr t2", "jalr ra, 0(t2)"},
            {"c.add s2, a7", "add s2, s2, a7"},
            {"c.fsdsp ft0, 504(sp)", "fsd ft0, 504(sp)"},
            {"c.swsp t0, 252(sp)", "sw t0, 252(sp)"},
            {"c.sdsp s11, 0(sp)", "sd s11, 0(sp)"}
    };

    /** Branch and jump offsets differ in encoding position only; test them on their own. */
    private static final String CONTROL = """
            1: c.beqz a0, 1b
            c.bnez s1, 2f
            c.j 1b
            c.beqz a5, 2f
            c.j 2f
            2: nop
            """;

    @Test
    void compressedMatchesExpanded() {
        StringBuilder c = new StringBuilder(), w = new StringBuilder();
        for (String[] p : PAIRS) {
            c.append(p[0]).append('\n');
            w.append(p[1]).append('\n');
        }
        compare(c.toString(), w.toString());
    }

    private static void compare(String src, String full) {
        ByteBuffer c = ByteBuffer.wrap(Asm.assemble(src, true)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer w = ByteBuffer.wrap(Asm.assemble(full, false)).order(ByteOrder.LITTLE_ENDIAN);
        int n = 0;
        while (c.hasRemaining()) {
            int cb = c.getShort() & 0xffff;
            int wb = w.getInt();
            Insn ci = Decoder.decode(cb), wi = Decoder.decode(wb);
            String where = PAIRS[n][0] + ": " + String.format("%04x", cb) + " vs " + String.format("%08x", wb);
            assertEquals(2, Decoder.length(cb), where + " should be compressed");
            assertEquals(Op.name(wi.op), Op.name(ci.op), where);
            assertEquals(wi.rd, ci.rd, where + " rd");
            assertEquals(wi.rs1, ci.rs1, where + " rs1");
            assertEquals(wi.rs2, ci.rs2, where + " rs2");
            assertEquals(wi.imm, ci.imm, where + " imm");
            n++;
        }
    }

    @Test
    void compressedBranchOffsets() {
        ByteBuffer c = ByteBuffer.wrap(Asm.assemble(CONTROL, true)).order(ByteOrder.LITTLE_ENDIAN);
        // Layout (2 bytes each): beqz(0) -> 0, bnez(2) -> 10, j(4) -> 0, beqz(6) -> 10, j(8) -> 10, nop(10)
        long[] expected = {0, 8, -4, 4, 2};
        for (long e : expected) assertEquals(e, Decoder.decode(c.getShort() & 0xffff).imm);
    }

    @Test
    void reservedCompressedEncodingsAreIllegal() {
        assertEquals(Op.ILLEGAL, Decoder.decode(0x0000).op, "all zeros");
        assertEquals(Op.ILLEGAL, Decoder.decode(0x6101).op, "c.addi16sp with zero immediate is reserved");
        assertEquals(Op.ILLEGAL, Decoder.decode(0x6081).op, "c.lui with zero immediate is reserved");
        assertEquals(Op.ILLEGAL, Decoder.decode(0x4002).op, "c.lwsp with rd=0 is reserved");
        assertEquals(Op.ILLEGAL, Decoder.decode(0x8002).op, "c.jr with rs1=0 is reserved");
        assertEquals(Op.ILLEGAL, Decoder.decode(0x2001).op, "c.addiw with rd=0 is reserved");
    }
}
