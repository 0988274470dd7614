package dev.kava.arch.riscv.random;

import dev.kava.arch.riscv.random.RandomProgram.Fixup;
import dev.kava.arch.riscv.random.RandomProgram.Group;
import dev.kava.arch.riscv.random.RandomProgram.Insn;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random RV64GC + Zba/Zbb/Zbs instruction generator, with its own encoder (one method per
 * instruction format, RISC-V unprivileged ISA manual, chapter "RV32/64G Instruction Set
 * Listings" and the RVC chapter). Every instruction also carries its GNU as spelling so that
 * the encodings can be cross-checked with riscv64-linux-gnu-as.
 *
 * <p>Invariants of the generated code: x31 is never written (it is the scratch base);
 * memory is only accessed inside [x31 + SCRATCH_LO, x31 + SCRATCH_HI); AMOs and LR/SC are
 * naturally aligned; frm only ever holds 0..4, so dynamic rounding is always legal; no ecall,
 * ebreak, hints or reserved encodings.
 */
final class InsnGenerator {
    private final SplittableRandom rnd;

    InsnGenerator(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    // ------------------------------------------------------------------------------------
    // Opcodes
    static final int OP_LOAD = 0x03, OP_LOAD_FP = 0x07, OP_MISC_MEM = 0x0f, OP_IMM = 0x13, OP_AUIPC = 0x17,
            OP_IMM_32 = 0x1b, OP_STORE = 0x23, OP_STORE_FP = 0x27, OP_AMO = 0x2f, OP_OP = 0x33, OP_LUI = 0x37,
            OP_OP_32 = 0x3b, OP_MADD = 0x43, OP_MSUB = 0x47, OP_NMSUB = 0x4b, OP_NMADD = 0x4f, OP_FP = 0x53,
            OP_BRANCH = 0x63, OP_JALR = 0x67, OP_JAL = 0x6f, OP_SYSTEM = 0x73;

    static final int[] RMS = {0, 1, 2, 3, 4, 7};
    static final String[] RM_NAMES = {"rne", "rtz", "rdn", "rup", "rmm", "?", "?", "dyn"};
    static final String[] CSR_NAMES = {"?", "fflags", "frm", "fcsr"};

    // ------------------------------------------------------------------------------------
    // Encoders: one per format.

    static int rType(int opc, int rd, int f3, int rs1, int rs2, int f7) {
        return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
    }

    static int iType(int opc, int rd, int f3, int rs1, int imm) {
        if (imm < -2048 || imm > 2047) throw new IllegalArgumentException("imm12 " + imm);
        return ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
    }

    static int sType(int opc, int f3, int rs1, int rs2, int imm) {
        if (imm < -2048 || imm > 2047) throw new IllegalArgumentException("imm12 " + imm);
        return (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | opc;
    }

    static int bType(int f3, int rs1, int rs2, int off) {
        if (off < -4096 || off > 4094 || (off & 1) != 0) throw new IllegalArgumentException("branch offset " + off);
        return (((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12)
                | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | OP_BRANCH;
    }

    static int uType(int opc, int rd, int imm20) {
        return ((imm20 & 0xfffff) << 12) | (rd << 7) | opc;
    }

    static int jType(int rd, int off) {
        if (off < -(1 << 20) || off >= (1 << 20) || (off & 1) != 0) throw new IllegalArgumentException("jal offset " + off);
        return (((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20)
                | (((off >> 12) & 0xff) << 12) | (rd << 7) | OP_JAL;
    }

    static int r4Type(int opc, int rd, int rm, int rs1, int rs2, int rs3, int fmt) {
        return (rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opc;
    }

    static int amoType(int f5, int aq, int rl, int rd, int f3, int rs1, int rs2) {
        return (f5 << 27) | (aq << 26) | (rl << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | OP_AMO;
    }

    /** CR: c.jr, c.mv, c.jalr, c.add. */
    static int crType(int f4, int rdRs1, int rs2, int op) {
        return (f4 << 12) | (rdRs1 << 7) | (rs2 << 2) | op;
    }

    /** CI: c.addi, c.addiw, c.li, c.lui, c.slli (6-bit immediate, bit 5 at instruction bit 12). */
    static int ciType(int f3, int rd, int imm6, int op) {
        return (f3 << 13) | (((imm6 >> 5) & 1) << 12) | (rd << 7) | ((imm6 & 0x1f) << 2) | op;
    }

    /** CI: c.addi16sp (nzimm[9|4|6|8:7|5]). */
    static int ciAddi16sp(int imm) {
        return (3 << 13) | (((imm >> 9) & 1) << 12) | (2 << 7) | (((imm >> 4) & 1) << 6) | (((imm >> 6) & 1) << 5)
                | (((imm >> 7) & 3) << 3) | (((imm >> 5) & 1) << 2) | 1;
    }

    /** CI: c.lwsp (uimm[5] | uimm[4:2|7:6]). */
    static int ciLwsp(int rd, int uimm) {
        return (2 << 13) | (((uimm >> 5) & 1) << 12) | (rd << 7) | (((uimm >> 2) & 7) << 4) | (((uimm >> 6) & 3) << 2) | 2;
    }

    /** CI: c.ldsp / c.fldsp (uimm[5] | uimm[4:3|8:6]). */
    static int ciLdsp(int f3, int rd, int uimm) {
        return (f3 << 13) | (((uimm >> 5) & 1) << 12) | (rd << 7) | (((uimm >> 3) & 3) << 5) | (((uimm >> 6) & 7) << 2) | 2;
    }

    /** CSS: c.swsp (uimm[5:2|7:6]). */
    static int cssSwsp(int rs2, int uimm) {
        return (6 << 13) | (((uimm >> 2) & 0xf) << 9) | (((uimm >> 6) & 3) << 7) | (rs2 << 2) | 2;
    }

    /** CSS: c.sdsp / c.fsdsp (uimm[5:3|8:6]). */
    static int cssSdsp(int f3, int rs2, int uimm) {
        return (f3 << 13) | (((uimm >> 3) & 7) << 10) | (((uimm >> 6) & 7) << 7) | (rs2 << 2) | 2;
    }

    /** CIW: c.addi4spn (nzuimm[5:4|9:6|2|3]). */
    static int ciwAddi4spn(int rdp, int nzuimm) {
        return (((nzuimm >> 4) & 3) << 11) | (((nzuimm >> 6) & 0xf) << 7) | (((nzuimm >> 2) & 1) << 6)
                | (((nzuimm >> 3) & 1) << 5) | (rdp << 2);
    }

    /** CL/CS word: c.lw / c.sw (uimm[5:3] | uimm[2|6]). */
    static int clWord(int f3, int rdp, int rs1p, int uimm) {
        return (f3 << 13) | (((uimm >> 3) & 7) << 10) | (rs1p << 7) | (((uimm >> 2) & 1) << 6) | (((uimm >> 6) & 1) << 5)
                | (rdp << 2);
    }

    /** CL/CS double: c.ld / c.sd / c.fld / c.fsd (uimm[5:3] | uimm[7:6]). */
    static int clDouble(int f3, int rdp, int rs1p, int uimm) {
        return (f3 << 13) | (((uimm >> 3) & 7) << 10) | (rs1p << 7) | (((uimm >> 6) & 3) << 5) | (rdp << 2);
    }

    /** CA: c.sub, c.xor, c.or, c.and, c.subw, c.addw. */
    static int caType(int bit12, int rdp, int f2, int rs2p) {
        return (4 << 13) | (bit12 << 12) | (3 << 10) | (rdp << 7) | (f2 << 5) | (rs2p << 2) | 1;
    }

    /** CB: c.srli (f2=0), c.srai (1), c.andi (2). */
    static int cbImm(int f2, int rdp, int imm6) {
        return (4 << 13) | (((imm6 >> 5) & 1) << 12) | (f2 << 10) | (rdp << 7) | ((imm6 & 0x1f) << 2) | 1;
    }

    /** CB: c.beqz (f3=6) / c.bnez (7) (offset[8|4:3] | offset[7:6|2:1|5]). */
    static int cbBranch(int f3, int rs1p, int off) {
        if (off < -256 || off > 254 || (off & 1) != 0) throw new IllegalArgumentException("c.b offset " + off);
        return (f3 << 13) | (((off >> 8) & 1) << 12) | (((off >> 3) & 3) << 10) | (rs1p << 7) | (((off >> 6) & 3) << 5)
                | (((off >> 1) & 3) << 3) | (((off >> 5) & 1) << 2) | 1;
    }

    /** CJ: c.j (offset[11|4|9:8|10|6|7|3:1|5]). */
    static int cjType(int off) {
        if (off < -2048 || off > 2046 || (off & 1) != 0) throw new IllegalArgumentException("c.j offset " + off);
        return (5 << 13) | (((off >> 11) & 1) << 12) | (((off >> 4) & 1) << 11) | (((off >> 8) & 3) << 9)
                | (((off >> 10) & 1) << 8) | (((off >> 6) & 1) << 7) | (((off >> 7) & 1) << 6) | (((off >> 1) & 7) << 3)
                | (((off >> 5) & 1) << 2) | 1;
    }

    // ------------------------------------------------------------------------------------
    // Fixed instructions used by the prologue/epilogue and by the generator.

    static String x(int r) {
        return "x" + r;
    }

    static String f(int r) {
        return "f" + r;
    }

    static String rel(int off) {
        return off >= 0 ? ".+" + off : ".-" + (-off);
    }

    static Insn lui(int rd, int imm20) {
        return new Insn(4, uType(OP_LUI, rd, imm20), "lui " + x(rd) + ", 0x" + Integer.toHexString(imm20 & 0xfffff), rd);
    }

    static Insn addi(int rd, int rs1, int imm) {
        return new Insn(4, iType(OP_IMM, rd, 0, rs1, imm), "addi " + x(rd) + ", " + x(rs1) + ", " + imm, rd);
    }

    static final String[] LOADS = {"lb", "lh", "lw", "ld", "lbu", "lhu", "lwu"};
    static final String[] STORES = {"sb", "sh", "sw", "sd"};

    static Insn load(int f3, int rd, int rs1, int off) {
        return new Insn(4, iType(OP_LOAD, rd, f3, rs1, off), LOADS[f3] + " " + x(rd) + ", " + off + "(" + x(rs1) + ")", rd);
    }

    static Insn store(int f3, int rs2, int rs1, int off) {
        return new Insn(4, sType(OP_STORE, f3, rs1, rs2, off), STORES[f3] + " " + x(rs2) + ", " + off + "(" + x(rs1) + ")", -1);
    }

    static Insn fload(int f3, int rd, int rs1, int off) {
        return new Insn(4, iType(OP_LOAD_FP, rd, f3, rs1, off), (f3 == 2 ? "flw " : "fld ") + f(rd) + ", " + off + "(" + x(rs1) + ")", -1);
    }

    static Insn fstore(int f3, int rs2, int rs1, int off) {
        return new Insn(4, sType(OP_STORE_FP, f3, rs1, rs2, off), (f3 == 2 ? "fsw " : "fsd ") + f(rs2) + ", " + off + "(" + x(rs1) + ")", -1);
    }

    static final String[] CSR_OPS = {"?", "csrrw", "csrrs", "csrrc", "?", "csrrwi", "csrrsi", "csrrci"};

    static Insn csrReg(int f3, int rd, int csr, int rs1) {
        return new Insn(4, iType(OP_SYSTEM, rd, f3, rs1, csr), CSR_OPS[f3] + " " + x(rd) + ", " + CSR_NAMES[csr] + ", " + x(rs1), rd);
    }

    static Insn csrImm(int f3, int rd, int csr, int uimm) {
        return new Insn(4, iType(OP_SYSTEM, rd, f3, uimm, csr), CSR_OPS[f3] + " " + x(rd) + ", " + CSR_NAMES[csr] + ", " + uimm, rd);
    }

    static Insn ecall() {
        return new Insn(4, 0x00000073, "ecall", -1);
    }

    // ------------------------------------------------------------------------------------
    // Random choices.

    private int rd() {                 // destination: never x31, sometimes x0
        return rnd.nextInt(20) == 0 ? 0 : 1 + rnd.nextInt(30);
    }

    private int rdNz() {
        return 1 + rnd.nextInt(30);
    }

    private int rs() {                 // any source, x31 included
        return rnd.nextInt(32);
    }

    private int fr() {
        return rnd.nextInt(32);
    }

    private int rm() {
        return RMS[rnd.nextInt(RMS.length)];
    }

    private boolean chance(int percent) {
        return rnd.nextInt(100) < percent;
    }

    private int imm12() {
        return switch (rnd.nextInt(8)) {
            case 0 -> rnd.nextInt(-16, 17);
            case 1 -> new int[] {0, -1, 1, 2047, -2048, 0x7ff, -2, 0x555}[rnd.nextInt(8)];
            default -> rnd.nextInt(-2048, 2048);
        };
    }

    private int shamt(int bits) {
        return switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> bits - 1;
            case 2 -> 1;
            default -> rnd.nextInt(bits);
        };
    }

    static final long[] INT_SPECIALS = {
        0, 1, -1, 2, -2, 3, 7, 0xff, 0x80, 0x7f, 0xffff, 0x8000, 0x7fff,
        Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1,
        0xffffffff80000000L, 0x80000000L, 0x7fffffffL, 0xffffffffL, 0x100000000L, 0xffffffff7fffffffL,
        0x5555555555555555L, 0xaaaaaaaaaaaaaaaaL, 0x0123456789abcdefL, 0xfedcba9876543210L,
        0x00000000fffffffeL, 0xffffffff00000000L, 0x8000000000000001L, 63, 64, 31, 32, -63, -64,
    };

    long interestingInt() {
        return switch (rnd.nextInt(8)) {
            case 0, 1, 2 -> INT_SPECIALS[rnd.nextInt(INT_SPECIALS.length)];
            case 3 -> 1L << rnd.nextInt(64);
            case 4 -> (long) rnd.nextInt();                  // sign-extended 32-bit
            case 5 -> rnd.nextInt(-100, 100);
            case 6 -> ~(1L << rnd.nextInt(64));
            default -> rnd.nextLong();
        };
    }

    static final int[] FLOAT_SPECIALS = {
        0x00000000, 0x80000000, 0x7f800000, 0xff800000,               // +-0, +-inf
        0x7fc00000, 0xffc00000, 0x7fc12345, 0x7f800001, 0xff800001, 0x7fa00000, // qNaN, sNaN
        0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00400000,   // subnormals
        0x00800000, 0x80800000, 0x7f7fffff, 0xff7fffff,               // min/max normal
        0x3f800000, 0xbf800000, 0x3f000000, 0xbf000000, 0x3fc00000, 0x40200000, 0xc0200000, 0x40400000,
        0x3f800001, 0x3f7fffff, 0x3dcccccd, 0x3eaaaaab, 0x4b000000, 0x4b7fffff, 0x4affffff, 0x3effffff,
        0x4f000000, 0xcf000000, 0x4effffff, 0xcf000001, 0x4f800000, 0x4f7fffff, // around 2^31, 2^32
        0x5f000000, 0xdf000000, 0x5effffff, 0xdf000001, 0x5f800000, 0x5f7fffff, // around 2^63, 2^64
        0x34000000, 0x33800000, 0x0c000000, 0x72800000, 0x1e3ce508, 0x60ad78ec,
    };

    static final long[] DOUBLE_SPECIALS = {
        0L, 0x8000000000000000L, 0x7ff0000000000000L, 0xfff0000000000000L,
        0x7ff8000000000000L, 0xfff8000000000000L, 0x7ff8000012345678L, 0x7ff0000000000001L, 0xfff0000000000001L,
        0x7ff4000000000000L,
        0x0000000000000001L, 0x8000000000000001L, 0x000fffffffffffffL, 0x800fffffffffffffL, 0x0008000000000000L,
        0x0010000000000000L, 0x8010000000000000L, 0x7fefffffffffffffL, 0xffefffffffffffffL,
        0x3ff0000000000000L, 0xbff0000000000000L, 0x3fe0000000000000L, 0xbfe0000000000000L, 0x3ff8000000000000L,
        0x4004000000000000L, 0xc004000000000000L, 0x400c000000000000L, 0x3ff0000000000001L, 0x3fefffffffffffffL,
        0x3fb999999999999aL, 0x3fd5555555555555L, 0x4330000000000000L, 0x432fffffffffffffL, 0x3fdfffffffffffffL,
        0x41e0000000000000L, 0x41dfffffffc00000L, 0x41dfffffffe00000L, 0x41dffffffff00000L, 0xc1e0000000000000L,
        0xc1e0000000200000L, 0xc1e0000000100000L, 0x41f0000000000000L, 0x41efffffffe00000L, 0x41effffffff00000L,
        0x43e0000000000000L, 0xc3e0000000000000L, 0x43dfffffffffffffL, 0xc3e0000000000001L, 0x43f0000000000000L,
        0x43efffffffffffffL, 0xbfefffffffffffffL,
        0x47efffffe0000000L, 0x47efffffefffffffL, 0x47effffff0000000L, 0x47f0000000000000L, // around FLT_MAX
        0x36a0000000000000L, 0x3690000000000000L, 0x3698000000000000L, 0x380fffffffffffffL, 0x3810000000000000L, // float subnormal range
        0x3ff0000010000000L, 0x3ff0000030000000L, 0x3ff0000010000001L, 0xbff0000010000000L, // float rounding ties
        0x3cb0000000000000L, 0x3ca0000000000000L, 0x7fe0000000000000L, 0x0040000000000000L,
    };

    private long randomFloatBits() {
        // a float with a random sign, an exponent near the middle or the edges, and a random mantissa
        int exp = switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(256);
            case 1 -> 127 + rnd.nextInt(-24, 40);
            case 2 -> rnd.nextInt(0, 30);
            default -> rnd.nextInt(226, 256);
        };
        int mant = rnd.nextInt(4) == 0 ? (rnd.nextInt(0x800000) & ~0xfff) : rnd.nextInt(0x800000);
        return ((long) (rnd.nextInt(2) << 31 | exp << 23 | mant)) & 0xffffffffL;
    }

    private long randomDoubleBits() {
        long exp = switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(2048);
            case 1 -> 1023 + rnd.nextInt(-60, 70);
            case 2 -> 1023 + rnd.nextInt(-160, 140);   // float range boundaries
            default -> rnd.nextInt(2) == 0 ? rnd.nextInt(0, 60) : rnd.nextInt(1990, 2048);
        };
        long mant = rnd.nextLong() & 0xfffffffffffffL;
        if (rnd.nextInt(4) == 0) mant &= ~0xffffffffL;
        if (rnd.nextInt(6) == 0) mant &= 0xfffffffe0000000L;    // representable as float
        return ((long) rnd.nextInt(2) << 63) | (exp << 52) | mant;
    }

    /** A value for an FP register: NaN-boxed singles, doubles, or improperly boxed singles. */
    long interestingFpRegister() {
        return switch (rnd.nextInt(10)) {
            case 0, 1 -> 0xffffffff00000000L | (FLOAT_SPECIALS[rnd.nextInt(FLOAT_SPECIALS.length)] & 0xffffffffL);
            case 2, 3 -> 0xffffffff00000000L | randomFloatBits();
            case 4, 5 -> DOUBLE_SPECIALS[rnd.nextInt(DOUBLE_SPECIALS.length)];
            case 6, 7 -> randomDoubleBits();
            case 8 -> switch (rnd.nextInt(3)) {            // improperly boxed single
                case 0 -> FLOAT_SPECIALS[rnd.nextInt(FLOAT_SPECIALS.length)] & 0xffffffffL;
                case 1 -> 0xfffffffe00000000L | randomFloatBits();
                default -> (rnd.nextLong() & 0x7fffffff00000000L) | randomFloatBits();
            };
            default -> rnd.nextLong();
        };
    }

    /** A 64-bit word of initial scratch memory. */
    long interestingMemoryWord() {
        return switch (rnd.nextInt(5)) {
            case 0 -> interestingInt();
            case 1 -> interestingFpRegister();
            case 2 -> (FLOAT_SPECIALS[rnd.nextInt(FLOAT_SPECIALS.length)] & 0xffffffffL)
                    | ((long) FLOAT_SPECIALS[rnd.nextInt(FLOAT_SPECIALS.length)] << 32);
            default -> rnd.nextLong();
        };
    }

    // ------------------------------------------------------------------------------------
    // Groups.

    private static Group single(String kind, Insn i) {
        return new Group(kind, List.of(i));
    }

    /** One random group of instructions. */
    Group group() {
        int w = rnd.nextInt(1000);
        if (w < 130) return single("alu", intAlu());
        if ((w -= 130) < 60) return mulDiv();
        if ((w -= 60) < 90) return rnd.nextInt(30) == 0 ? ctzw() : single("bitmanip", bitmanip());
        if ((w -= 90) < 80) return single("mem", intLoadStore());
        if ((w -= 80) < 50) return atomic();
        if ((w -= 50) < 190) return single("fp", fpArith());
        if ((w -= 190) < 50) return single("fpmem", fpLoadStore());
        if ((w -= 50) < 40) return csr();
        if ((w -= 40) < 100) return single("c.alu", compressedAlu());
        if ((w -= 100) < 60) return compressedMem();
        if ((w -= 60) < 110) return controlFlow();
        if ((w -= 110) < 25) return loop();
        return misc();
    }

    // ---- integer ----

    private static final String[] ALU_R = {"add", "sll", "slt", "sltu", "xor", "srl", "or", "and"};
    private static final String[] ALU_I = {"addi", "?", "slti", "sltiu", "xori", "?", "ori", "andi"};

    Insn intAlu() {
        int rd = rd(), rs1 = rs(), rs2 = rs();
        switch (rnd.nextInt(12)) {
            case 0, 1 -> {               // OP
                int f3 = rnd.nextInt(8);
                boolean alt = (f3 == 0 || f3 == 5) && rnd.nextBoolean();
                String name = alt ? (f3 == 0 ? "sub" : "sra") : ALU_R[f3];
                return new Insn(4, rType(OP_OP, rd, f3, rs1, rs2, alt ? 0x20 : 0), name + " " + x(rd) + ", " + x(rs1) + ", " + x(rs2), rd);
            }
            case 2 -> {                  // OP-32
                int[] f3s = {0, 1, 5};
                int f3 = f3s[rnd.nextInt(3)];
                boolean alt = f3 != 1 && rnd.nextBoolean();
                String name = switch (f3) {
                    case 0 -> alt ? "subw" : "addw";
                    case 1 -> "sllw";
                    default -> alt ? "sraw" : "srlw";
                };
                return new Insn(4, rType(OP_OP_32, rd, f3, rs1, rs2, alt ? 0x20 : 0), name + " " + x(rd) + ", " + x(rs1) + ", " + x(rs2), rd);
            }
            case 3, 4, 5 -> {            // OP-IMM arithmetic
                int[] f3s = {0, 2, 3, 4, 6, 7};
                int f3 = f3s[rnd.nextInt(6)];
                int imm = imm12();
                return new Insn(4, iType(OP_IMM, rd, f3, rs1, imm), ALU_I[f3] + " " + x(rd) + ", " + x(rs1) + ", " + imm, rd);
            }
            case 6 -> {                  // shifts by immediate
                int sh = shamt(64);
                int kind = rnd.nextInt(3);
                int f3 = kind == 0 ? 1 : 5;
                int hi = kind == 2 ? 0x400 : 0;
                String name = new String[] {"slli", "srli", "srai"}[kind];
                return new Insn(4, iType(OP_IMM, rd, f3, rs1, hi | sh), name + " " + x(rd) + ", " + x(rs1) + ", " + sh, rd);
            }
            case 7 -> {                  // addiw
                int imm = imm12();
                return new Insn(4, iType(OP_IMM_32, rd, 0, rs1, imm), "addiw " + x(rd) + ", " + x(rs1) + ", " + imm, rd);
            }
            case 8 -> {                  // W shifts by immediate
                int sh = shamt(32);
                int kind = rnd.nextInt(3);
                int f3 = kind == 0 ? 1 : 5;
                int hi = kind == 2 ? 0x400 : 0;
                String name = new String[] {"slliw", "srliw", "sraiw"}[kind];
                return new Insn(4, iType(OP_IMM_32, rd, f3, rs1, hi | sh), name + " " + x(rd) + ", " + x(rs1) + ", " + sh, rd);
            }
            case 9 -> {
                int imm20 = rnd.nextInt(4) == 0 ? new int[] {0x80000, 0x7ffff, 0xfffff, 0, 1}[rnd.nextInt(5)] : rnd.nextInt(1 << 20);
                return new Insn(4, uType(OP_LUI, rd, imm20), "lui " + x(rd) + ", 0x" + Integer.toHexString(imm20), rd);
            }
            case 10 -> {
                int imm20 = rnd.nextInt(4) == 0 ? new int[] {0x80000, 0x7ffff, 0xfffff, 0}[rnd.nextInt(4)] : rnd.nextInt(1 << 20);
                return new Insn(4, uType(OP_AUIPC, rd, imm20), "auipc " + x(rd) + ", 0x" + Integer.toHexString(imm20), rd);
            }
            default -> {                 // OP with x0 or equal operands
                int f3 = rnd.nextInt(8);
                int a = rnd.nextBoolean() ? 0 : rs1;
                return new Insn(4, rType(OP_OP, rd, f3, a, a == 0 ? rs2 : rs1, 0),
                        ALU_R[f3] + " " + x(rd) + ", " + x(a) + ", " + x(a == 0 ? rs2 : rs1), rd);
            }
        }
    }

    private static final String[] MUL = {"mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"};

    private Insn mulInsn(int rd, int rs1, int rs2) {
        if (rnd.nextInt(3) == 0) {
            int[] f3s = {0, 4, 5, 6, 7};
            int f3 = f3s[rnd.nextInt(5)];
            String name = MUL[f3] + "w";
            return new Insn(4, rType(OP_OP_32, rd, f3, rs1, rs2, 1), name + " " + x(rd) + ", " + x(rs1) + ", " + x(rs2), rd);
        }
        int f3 = rnd.nextInt(8);
        return new Insn(4, rType(OP_OP, rd, f3, rs1, rs2, 1), MUL[f3] + " " + x(rd) + ", " + x(rs1) + ", " + x(rs2), rd);
    }

    Insn mulSingle() {
        return mulInsn(rd(), rs(), rs());
    }

    private Group mulDiv() {
        int kind = rnd.nextInt(10);
        if (kind < 6) return single("muldiv", mulSingle());
        // Division corner cases: divisor 0 or -1, dividend INT_MIN (64- or 32-bit).
        int t = rdNz();
        List<Insn> l = new ArrayList<>();
        int rs1 = rs();
        switch (kind) {
            case 6 -> l.add(addi(t, 0, 0));                                 // divide by zero
            case 7 -> l.add(addi(t, 0, -1));                                // divide by -1
            case 8 -> {                                                     // INT64_MIN / -1
                int u = rdNz();
                while (u == t) u = rdNz();
                l.add(addi(u, 0, 1));
                l.add(new Insn(4, iType(OP_IMM, u, 1, u, 63), "slli " + x(u) + ", " + x(u) + ", 63", u));
                l.add(addi(t, 0, -1));
                rs1 = u;
            }
            default -> {                                                    // INT32_MIN / -1 (W forms)
                int u = rdNz();
                while (u == t) u = rdNz();
                l.add(lui(u, 0x80000));
                l.add(addi(t, 0, -1));
                rs1 = u;
            }
        }
        int rd = rd();
        int f3 = 4 + rnd.nextInt(4);
        boolean w = kind == 9 || rnd.nextBoolean();
        l.add(new Insn(4, rType(w ? OP_OP_32 : OP_OP, rd, f3, rs1, t, 1), MUL[f3] + (w ? "w " : " ") + x(rd) + ", " + x(rs1) + ", " + x(t), rd));
        return new Group("divcorner", l);
    }

    // ---- Zba / Zbb / Zbs ----

    private record RSpec(String name, int opc, int f3, int f7) {}

    private static final RSpec[] BITMANIP_R = {
        new RSpec("sh1add", OP_OP, 2, 0x10), new RSpec("sh2add", OP_OP, 4, 0x10), new RSpec("sh3add", OP_OP, 6, 0x10),
        new RSpec("add.uw", OP_OP_32, 0, 0x04), new RSpec("sh1add.uw", OP_OP_32, 2, 0x10),
        new RSpec("sh2add.uw", OP_OP_32, 4, 0x10), new RSpec("sh3add.uw", OP_OP_32, 6, 0x10),
        new RSpec("andn", OP_OP, 7, 0x20), new RSpec("orn", OP_OP, 6, 0x20), new RSpec("xnor", OP_OP, 4, 0x20),
        new RSpec("max", OP_OP, 6, 0x05), new RSpec("maxu", OP_OP, 7, 0x05), new RSpec("min", OP_OP, 4, 0x05),
        new RSpec("minu", OP_OP, 5, 0x05), new RSpec("rol", OP_OP, 1, 0x30), new RSpec("ror", OP_OP, 5, 0x30),
        new RSpec("rolw", OP_OP_32, 1, 0x30), new RSpec("rorw", OP_OP_32, 5, 0x30),
        new RSpec("bclr", OP_OP, 1, 0x24), new RSpec("bext", OP_OP, 5, 0x24), new RSpec("binv", OP_OP, 1, 0x34),
        new RSpec("bset", OP_OP, 1, 0x14),
    };

    /** Unary ops: the full imm12 field is fixed. */
    private record USpec(String name, int opc, int f3, int imm12) {}

    private static final USpec[] BITMANIP_U = {
        new USpec("clz", OP_IMM, 1, 0x600), new USpec("ctz", OP_IMM, 1, 0x601), new USpec("cpop", OP_IMM, 1, 0x602),
        new USpec("sext.b", OP_IMM, 1, 0x604), new USpec("sext.h", OP_IMM, 1, 0x605),
        new USpec("clzw", OP_IMM_32, 1, 0x600), new USpec("cpopw", OP_IMM_32, 1, 0x602),
        new USpec("rev8", OP_IMM, 5, 0x6b8), new USpec("orc.b", OP_IMM, 5, 0x287),
        new USpec("zext.h", OP_OP_32, 4, 0x080),   // R-type with rs2 = 0, f7 = 4
    };

    /** Shift-immediate ops: imm12 = hi6 << 6 | shamt (or hi7 << 5 | shamt for W). */
    private record SSpec(String name, int opc, int f3, int hi, int bits) {}

    private static final SSpec[] BITMANIP_S = {
        new SSpec("slli.uw", OP_IMM_32, 1, 0x02 << 6, 64), new SSpec("rori", OP_IMM, 5, 0x18 << 6, 64),
        new SSpec("roriw", OP_IMM_32, 5, 0x30 << 5, 32), new SSpec("bclri", OP_IMM, 1, 0x12 << 6, 64),
        new SSpec("bexti", OP_IMM, 5, 0x12 << 6, 64), new SSpec("binvi", OP_IMM, 1, 0x1a << 6, 64),
        new SSpec("bseti", OP_IMM, 1, 0x0a << 6, 64),
    };

    Insn bitmanip() {
        int rd = rd(), rs1 = rs(), rs2 = rs();
        int k = rnd.nextInt(10);
        if (k < 5) {
            RSpec s = BITMANIP_R[rnd.nextInt(BITMANIP_R.length)];
            return new Insn(4, rType(s.opc, rd, s.f3, rs1, rs2, s.f7), s.name + " " + x(rd) + ", " + x(rs1) + ", " + x(rs2), rd);
        } else if (k < 8) {
            USpec s = BITMANIP_U[rnd.nextInt(BITMANIP_U.length)];
            int bits = (s.imm12 << 20) | (rs1 << 15) | (s.f3 << 12) | (rd << 7) | s.opc;
            return new Insn(4, bits, s.name + " " + x(rd) + ", " + x(rs1), rd);
        } else {
            SSpec s = BITMANIP_S[rnd.nextInt(BITMANIP_S.length)];
            int sh = shamt(s.bits);
            return new Insn(4, iType(s.opc, rd, s.f3, rs1, s.hi | sh), s.name + " " + x(rd) + ", " + x(rs1) + ", " + sh, rd);
        }
    }

    /**
     * ctzw on a value whose low word is non-zero. qemu 7.2 (the oracle) counts trailing zeros of
     * all 64 bits when the low word is zero (fixed in qemu 8.0: "target/riscv: fix ctzw
     * behavior"), so that case cannot be checked against it.
     */
    private Group ctzw() {
        int t = rdNz(), rd = rd(), rs1 = rs(), bit = rnd.nextInt(32);
        List<Insn> l = new ArrayList<>();
        l.add(new Insn(4, iType(OP_IMM, t, 1, rs1, (0x0a << 6) | bit), "bseti " + x(t) + ", " + x(rs1) + ", " + bit, t));
        l.add(new Insn(4, (0x601 << 20) | (t << 15) | (1 << 12) | (rd << 7) | OP_IMM_32, "ctzw " + x(rd) + ", " + x(t), rd));
        return new Group("ctzw", l);
    }

    // ---- memory ----

    /** A random x31-relative offset for an access of {@code size} bytes inside the scratch area. */
    private int memOffset(int size, int maxExtent) {
        int lo = RandomProgram.SCRATCH_LO, hi = RandomProgram.SCRATCH_HI - maxExtent;
        int off = rnd.nextInt(lo, hi + 1);
        if (rnd.nextInt(4) != 0) off &= -size;      // mostly aligned
        if (off < lo) off += size;
        if (rnd.nextInt(8) == 0) off = rnd.nextInt(-24, 24) & (rnd.nextBoolean() ? -size : -1); // around the page boundary at x31
        return off;
    }

    Insn intLoadStore() {
        if (rnd.nextInt(5) < 3) {
            int f3 = rnd.nextInt(7);
            int size = 1 << (f3 & 3);
            return load(f3, rd(), 31, memOffset(size, size));
        } else {
            int f3 = rnd.nextInt(4);
            int size = 1 << f3;
            return store(f3, rs(), 31, memOffset(size, size));
        }
    }

    Insn fpLoadStore() {
        int k = rnd.nextInt(10);
        if (k < 6) {
            boolean d = rnd.nextBoolean();
            int f3 = d ? 3 : 2, size = d ? 8 : 4;
            return k < 3 ? fload(f3, fr(), 31, memOffset(size, size)) : fstore(f3, fr(), 31, memOffset(size, size));
        }
        // fmv between register files
        return switch (rnd.nextInt(4)) {
            case 0 -> { int rd = rd(), fs = fr(); yield new Insn(4, rType(OP_FP, rd, 0, fs, 0, 0x70), "fmv.x.w " + x(rd) + ", " + f(fs), rd); }
            case 1 -> { int rd = rd(), fs = fr(); yield new Insn(4, rType(OP_FP, rd, 0, fs, 0, 0x71), "fmv.x.d " + x(rd) + ", " + f(fs), rd); }
            case 2 -> { int fd = fr(), r = rs(); yield new Insn(4, rType(OP_FP, fd, 0, r, 0, 0x78), "fmv.w.x " + f(fd) + ", " + x(r), -1); }
            default -> { int fd = fr(), r = rs(); yield new Insn(4, rType(OP_FP, fd, 0, r, 0, 0x79), "fmv.d.x " + f(fd) + ", " + x(r), -1); }
        };
    }

    private static final String[] AMO_NAMES = new String[32];

    static {
        AMO_NAMES[0x00] = "amoadd";
        AMO_NAMES[0x01] = "amoswap";
        AMO_NAMES[0x02] = "lr";
        AMO_NAMES[0x03] = "sc";
        AMO_NAMES[0x04] = "amoxor";
        AMO_NAMES[0x08] = "amoor";
        AMO_NAMES[0x0c] = "amoand";
        AMO_NAMES[0x10] = "amomin";
        AMO_NAMES[0x14] = "amomax";
        AMO_NAMES[0x18] = "amominu";
        AMO_NAMES[0x1c] = "amomaxu";
    }

    private static final int[] AMO_OPS = {0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c};

    private Insn amo(int f5, boolean d, int rd, int rs1, int rs2) {
        int aq = rnd.nextInt(2), rl = rnd.nextInt(2);
        String suffix = (d ? ".d" : ".w") + (aq == 1 ? ".aq" : "") + (rl == 1 ? "rl" : "");
        if (aq == 0 && rl == 1) suffix = (d ? ".d" : ".w") + ".rl";
        String asm = switch (f5) {
            case 0x02 -> "lr" + suffix + " " + x(rd) + ", (" + x(rs1) + ")";
            default -> AMO_NAMES[f5] + suffix + " " + x(rd) + ", " + x(rs2) + ", (" + x(rs1) + ")";
        };
        return new Insn(4, amoType(f5, aq, rl, rd, d ? 3 : 2, rs1, f5 == 0x02 ? 0 : rs2), asm, rd);
    }

    private Group atomic() {
        boolean d = rnd.nextBoolean();
        int size = d ? 8 : 4;
        int t = rdNz();
        int off = memOffset(size, size) & -size;
        if (off < RandomProgram.SCRATCH_LO) off += size;
        List<Insn> l = new ArrayList<>();
        l.add(addi(t, 31, off));
        int k = rnd.nextInt(10);
        if (k < 6) {
            l.add(amo(AMO_OPS[rnd.nextInt(AMO_OPS.length)], d, rd(), t, rs()));
            return new Group("amo", l);
        } else if (k < 9) {
            int rd1 = rd();
            while (rd1 == t) rd1 = rd();
            l.add(amo(0x02, d, rd1, t, 0));
            int n = rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                Insn in = intAlu();
                if (in.intRd == t) continue;
                l.add(in);
            }
            l.add(amo(0x03, d, rd(), t, rs()));
            return new Group("lrsc", l);
        } else {
            l.add(amo(0x03, d, rd(), t, rs()));       // sc without a reservation: must fail
            return new Group("sc", l);
        }
    }

    // ---- floating point ----

    private static String fmtSuffix(int fmt) {
        return fmt == 0 ? ".s" : ".d";
    }

    Insn fpArith() {
        int fmt = rnd.nextInt(2);
        String sfx = fmtSuffix(fmt);
        int fd = fr(), fs1 = fr(), fs2 = fr(), fs3 = fr();
        int rm = rm();
        String rmName = RM_NAMES[rm];
        int k = rnd.nextInt(24);
        switch (k) {
            case 0, 1, 2, 3, 4, 5 -> {     // fadd fsub fmul fdiv
                int f5 = k & 3;
                String name = new String[] {"fadd", "fsub", "fmul", "fdiv"}[f5];
                return new Insn(4, rType(OP_FP, fd, rm, fs1, fs2, (f5 << 2) | fmt),
                        name + sfx + " " + f(fd) + ", " + f(fs1) + ", " + f(fs2) + ", " + rmName, -1);
            }
            case 6 -> {
                return new Insn(4, rType(OP_FP, fd, rm, fs1, 0, (0x0b << 2) | fmt), "fsqrt" + sfx + " " + f(fd) + ", " + f(fs1) + ", " + rmName, -1);
            }
            case 7, 8 -> {
                int f3 = rnd.nextInt(3);
                if (rnd.nextInt(4) == 0) fs2 = fs1;
                String name = new String[] {"fsgnj", "fsgnjn", "fsgnjx"}[f3];
                return new Insn(4, rType(OP_FP, fd, f3, fs1, fs2, (0x04 << 2) | fmt), name + sfx + " " + f(fd) + ", " + f(fs1) + ", " + f(fs2), -1);
            }
            case 9 -> {
                int f3 = rnd.nextInt(2);
                return new Insn(4, rType(OP_FP, fd, f3, fs1, fs2, (0x05 << 2) | fmt),
                        (f3 == 0 ? "fmin" : "fmax") + sfx + " " + f(fd) + ", " + f(fs1) + ", " + f(fs2), -1);
            }
            case 10, 11 -> {               // compares
                int f3 = rnd.nextInt(3);
                int rd = rd();
                if (rnd.nextInt(4) == 0) fs2 = fs1;
                String name = new String[] {"fle", "flt", "feq"}[f3];
                return new Insn(4, rType(OP_FP, rd, f3, fs1, fs2, (0x14 << 2) | fmt), name + sfx + " " + x(rd) + ", " + f(fs1) + ", " + f(fs2), rd);
            }
            case 12 -> {
                int rd = rd();
                return new Insn(4, rType(OP_FP, rd, 1, fs1, 0, (0x1c << 2) | fmt), "fclass" + sfx + " " + x(rd) + ", " + f(fs1), rd);
            }
            case 13, 14, 15 -> {           // fcvt.{w,wu,l,lu}.{s,d}
                int rd = rd();
                int t = rnd.nextInt(4);
                String name = "fcvt." + new String[] {"w", "wu", "l", "lu"}[t] + sfx;
                return new Insn(4, rType(OP_FP, rd, rm, fs1, t, (0x18 << 2) | fmt), name + " " + x(rd) + ", " + f(fs1) + ", " + rmName, rd);
            }
            case 16, 17 -> {               // fcvt.{s,d}.{w,wu,l,lu}
                int rs1 = rs();
                int t = rnd.nextInt(4);
                String name = "fcvt" + sfx + "." + new String[] {"w", "wu", "l", "lu"}[t];
                int bits = rType(OP_FP, fd, rm, rs1, t, (0x1a << 2) | fmt);
                String asm = name + " " + f(fd) + ", " + x(rs1) + ", " + rmName;
                if (fmt == 1 && t < 2) {   // exact: GNU as takes no rounding mode, and encodes rne
                    asm = rm == 0 ? name + " " + f(fd) + ", " + x(rs1) : String.format(".word 0x%08x", bits);
                }
                return new Insn(4, bits, asm, -1);
            }
            case 18 -> {
                if (fmt == 0) {            // fcvt.s.d
                    return new Insn(4, rType(OP_FP, fd, rm, fs1, 1, 0x20), "fcvt.s.d " + f(fd) + ", " + f(fs1) + ", " + rmName, -1);
                }
                int bits = rType(OP_FP, fd, rm, fs1, 0, 0x21);       // fcvt.d.s (exact)
                return new Insn(4, bits, rm == 0 ? "fcvt.d.s " + f(fd) + ", " + f(fs1) : String.format(".word 0x%08x", bits), -1);
            }
            default -> {                   // fused multiply-add
                int which = rnd.nextInt(4);
                int opc = new int[] {OP_MADD, OP_MSUB, OP_NMSUB, OP_NMADD}[which];
                String name = new String[] {"fmadd", "fmsub", "fnmsub", "fnmadd"}[which];
                return new Insn(4, r4Type(opc, fd, rm, fs1, fs2, fs3, fmt),
                        name + sfx + " " + f(fd) + ", " + f(fs1) + ", " + f(fs2) + ", " + f(fs3) + ", " + rmName, -1);
            }
        }
    }

    // ---- CSRs (fflags, frm, fcsr) ----

    /**
     * A CSR access. frm must stay in 0..4: frm is only written with known-valid values, and
     * set-bits operations that could touch frm are preceded by a clear.
     */
    private Group csr() {
        int csr = 1 + rnd.nextInt(3);
        int rd = rd();
        List<Insn> l = new ArrayList<>();
        int k = rnd.nextInt(8);
        switch (k) {
            case 0 -> l.add(csrReg(2, rdNz(), csr, 0));                    // plain read
            case 1, 2 -> {                                                  // csrrw / csrrs / csrrc with a register
                int op = 1 + rnd.nextInt(3);
                int t = rdNz();
                int v = switch (csr) {
                    case 1 -> rnd.nextInt(32);
                    case 2 -> op == 3 ? rnd.nextInt(8) : op == 1 ? rnd.nextInt(5) : 0;
                    default -> {
                        int flags = rnd.nextInt(32);
                        int fr = op == 3 ? rnd.nextInt(8) : op == 1 ? rnd.nextInt(5) : 0;
                        int upper = rnd.nextInt(8) == 0 ? (rnd.nextInt(16) << 8) : 0;   // reserved bits: ignored
                        int val = upper | (fr << 5) | flags;
                        yield val >= 2048 ? val - 4096 : val;
                    }
                };
                l.add(addi(t, 0, v));
                l.add(csrReg(op, rd, csr, t));
            }
            case 3, 4 -> {                                                  // immediate forms
                int op = 5 + rnd.nextInt(3);
                int uimm = switch (csr) {
                    case 2 -> op == 7 ? rnd.nextInt(32) : op == 5 ? rnd.nextInt(5) : 0;
                    default -> rnd.nextInt(32);       // fflags, or fcsr bits 4:0 (sets frm to 0 for csrrwi)
                };
                l.add(csrImm(op, rd, csr, uimm));
            }
            case 5 -> {                                                     // clear frm, then set bits
                l.add(csrImm(7, 0, 2, 7));
                l.add(csrImm(6, rd, 2, rnd.nextInt(5)));
            }
            case 6 -> {                                                     // swap frm
                l.add(csrImm(5, rd, 2, rnd.nextInt(5)));
            }
            default -> {                                                    // clear or set all flags
                l.add(csrImm(rnd.nextBoolean() ? 7 : 6, rd, 1, 31));
            }
        }
        return new Group("csr", l);
    }

    // ---- compressed ----

    private int cr() {
        return rnd.nextInt(8);
    }

    private int nz6() {
        int v;
        do {
            v = rnd.nextInt(-32, 32);
        } while (v == 0);
        return v;
    }

    Insn compressedAlu() {
        switch (rnd.nextInt(19)) {
            case 0 -> { int rd = rdNz(), imm = nz6(); return new Insn(2, ciType(0, rd, imm, 1), "c.addi " + x(rd) + ", " + imm, rd); }
            case 1 -> { int rd = rdNz(), imm = rnd.nextInt(-32, 32); return new Insn(2, ciType(1, rd, imm, 1), "c.addiw " + x(rd) + ", " + imm, rd); }
            case 2 -> { int rd = rdNz(), imm = rnd.nextInt(-32, 32); return new Insn(2, ciType(2, rd, imm, 1), "c.li " + x(rd) + ", " + imm, rd); }
            case 3 -> {
                int rd;
                do {
                    rd = rdNz();
                } while (rd == 2);
                int imm = nz6();
                return new Insn(2, ciType(3, rd, imm, 1), "c.lui " + x(rd) + ", 0x" + Integer.toHexString(imm & 0xfffff), rd);
            }
            case 4 -> { int imm = nz6() * 16; return new Insn(2, ciAddi16sp(imm), "c.addi16sp x2, " + imm, 2); }
            case 5 -> {
                int rdp = cr(), imm = 4 * (1 + rnd.nextInt(255));
                return new Insn(2, ciwAddi4spn(rdp, imm), "c.addi4spn " + x(8 + rdp) + ", x2, " + imm, 8 + rdp);
            }
            case 6, 7 -> {
                int rdp = cr(), sh = 1 + rnd.nextInt(63);
                boolean a = rnd.nextBoolean();
                return new Insn(2, cbImm(a ? 1 : 0, rdp, sh), (a ? "c.srai " : "c.srli ") + x(8 + rdp) + ", " + sh, 8 + rdp);
            }
            case 8 -> { int rdp = cr(), imm = rnd.nextInt(-32, 32); return new Insn(2, cbImm(2, rdp, imm), "c.andi " + x(8 + rdp) + ", " + imm, 8 + rdp); }
            case 9, 10, 11 -> {
                int rdp = cr(), rs2p = cr(), f2 = rnd.nextInt(4);
                return new Insn(2, caType(0, rdp, f2, rs2p),
                        new String[] {"c.sub ", "c.xor ", "c.or ", "c.and "}[f2] + x(8 + rdp) + ", " + x(8 + rs2p), 8 + rdp);
            }
            case 12 -> {
                int rdp = cr(), rs2p = cr(), f2 = rnd.nextInt(2);
                return new Insn(2, caType(1, rdp, f2, rs2p), (f2 == 0 ? "c.subw " : "c.addw ") + x(8 + rdp) + ", " + x(8 + rs2p), 8 + rdp);
            }
            case 13, 14 -> { int rd = rdNz(), sh = 1 + rnd.nextInt(63); return new Insn(2, ciType(0, rd, sh, 2), "c.slli " + x(rd) + ", " + sh, rd); }
            case 15, 16 -> { int rd = rdNz(), r = 1 + rnd.nextInt(31); return new Insn(2, crType(8, rd, r, 2), "c.mv " + x(rd) + ", " + x(r), rd); }
            case 17 -> { int rd = rdNz(), r = 1 + rnd.nextInt(31); return new Insn(2, crType(9, rd, r, 2), "c.add " + x(rd) + ", " + x(r), rd); }
            default -> {
                if (rnd.nextInt(4) == 0) return new Insn(2, 0x0001, "c.nop", -1);
                int rd = rdNz(), r = 1 + rnd.nextInt(31);
                return new Insn(2, crType(9, rd, r, 2), "c.add " + x(rd) + ", " + x(r), rd);
            }
        }
    }

    /** Compressed loads/stores: base register materialized from x31 first. */
    private Group compressedMem() {
        List<Insn> l = new ArrayList<>();
        if (rnd.nextBoolean()) {
            // x8..x15 base
            int bp = cr();
            int base = 8 + bp;
            int k = rnd.nextInt(RandomProgram.SCRATCH_LO, RandomProgram.SCRATCH_HI - 256 + 1);
            if (rnd.nextInt(4) != 0) k &= -8;
            if (k < RandomProgram.SCRATCH_LO) k += 8;
            l.add(addi(base, 31, k));
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                int kind = rnd.nextInt(6);
                int rp = cr();
                switch (kind) {
                    case 0 -> { int u = 4 * rnd.nextInt(32); l.add(new Insn(2, clWord(2, rp, bp, u), "c.lw " + x(8 + rp) + ", " + u + "(" + x(base) + ")", 8 + rp)); }
                    case 1 -> { int u = 8 * rnd.nextInt(32); l.add(new Insn(2, clDouble(3, rp, bp, u), "c.ld " + x(8 + rp) + ", " + u + "(" + x(base) + ")", 8 + rp)); }
                    case 2 -> { int u = 4 * rnd.nextInt(32); l.add(new Insn(2, clWord(6, rp, bp, u), "c.sw " + x(8 + rp) + ", " + u + "(" + x(base) + ")", -1)); }
                    case 3 -> { int u = 8 * rnd.nextInt(32); l.add(new Insn(2, clDouble(7, rp, bp, u), "c.sd " + x(8 + rp) + ", " + u + "(" + x(base) + ")", -1)); }
                    case 4 -> { int u = 8 * rnd.nextInt(32); l.add(new Insn(2, clDouble(1, rp, bp, u), "c.fld " + f(8 + rp) + ", " + u + "(" + x(base) + ")", -1)); }
                    default -> { int u = 8 * rnd.nextInt(32); l.add(new Insn(2, clDouble(5, rp, bp, u), "c.fsd " + f(8 + rp) + ", " + u + "(" + x(base) + ")", -1)); }
                }
                if (l.getLast().intRd == base) break;   // base overwritten: stop
            }
            return new Group("c.mem", l);
        }
        // sp base
        int k = rnd.nextInt(RandomProgram.SCRATCH_LO, RandomProgram.SCRATCH_HI - 512 + 1);
        if (rnd.nextInt(4) != 0) k &= -8;
        if (k < RandomProgram.SCRATCH_LO) k += 8;
        l.add(addi(2, 31, k));
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(6);
            switch (kind) {
                case 0 -> { int rd = rdNz(), u = 4 * rnd.nextInt(64); l.add(new Insn(2, ciLwsp(rd, u), "c.lwsp " + x(rd) + ", " + u + "(x2)", rd)); }
                case 1 -> { int rd = rdNz(), u = 8 * rnd.nextInt(64); l.add(new Insn(2, ciLdsp(3, rd, u), "c.ldsp " + x(rd) + ", " + u + "(x2)", rd)); }
                case 2 -> { int r = rs(), u = 4 * rnd.nextInt(64); l.add(new Insn(2, cssSwsp(r, u), "c.swsp " + x(r) + ", " + u + "(x2)", -1)); }
                case 3 -> { int r = rs(), u = 8 * rnd.nextInt(64); l.add(new Insn(2, cssSdsp(7, r, u), "c.sdsp " + x(r) + ", " + u + "(x2)", -1)); }
                case 4 -> { int fd = fr(), u = 8 * rnd.nextInt(64); l.add(new Insn(2, ciLdsp(1, fd, u), "c.fldsp " + f(fd) + ", " + u + "(x2)", -1)); }
                default -> { int fs = fr(), u = 8 * rnd.nextInt(64); l.add(new Insn(2, cssSdsp(5, fs, u), "c.fsdsp " + f(fs) + ", " + u + "(x2)", -1)); }
            }
            if (l.getLast().intRd == 2) break;
        }
        return new Group("c.spmem", l);
    }

    // ---- control flow ----

    private static final String[] BRANCHES = {"beq", "bne", "?", "?", "blt", "bge", "bltu", "bgeu"};
    private static final int[] BRANCH_F3 = {0, 1, 4, 5, 6, 7};

    private int skip() {
        return 1 + rnd.nextInt(4);     // target group: 1 = the next group (nothing skipped) .. 4
    }

    private Group controlFlow() {
        List<Insn> l = new ArrayList<>();
        int delta = skip();
        switch (rnd.nextInt(10)) {
            case 0, 1, 2 -> {
                int f3 = BRANCH_F3[rnd.nextInt(BRANCH_F3.length)];
                int rs1 = rs(), rs2 = rnd.nextInt(6) == 0 ? rs1 : rs();
                l.add(new Insn(4, 0, "", -1, delta, 0, new Fixup() {
                    public int bits(int off) { return bType(f3, rs1, rs2, off); }
                    public String asm(int off) { return BRANCHES[f3] + " " + x(rs1) + ", " + x(rs2) + ", " + rel(off); }
                }));
            }
            case 3 -> {
                int rd = rd();
                l.add(new Insn(4, 0, "", rd, delta, 0, new Fixup() {
                    public int bits(int off) { return jType(rd, off); }
                    public String asm(int off) { return "jal " + x(rd) + ", " + rel(off); }
                }));
            }
            case 4 -> l.add(new Insn(2, 0, "", -1, delta, 0, new Fixup() {
                public int bits(int off) { return cjType(off); }
                public String asm(int off) { return "c.j " + rel(off); }
            }));
            case 5, 6 -> {
                int rp = cr();
                boolean nz = rnd.nextBoolean();
                l.add(new Insn(2, 0, "", -1, delta, 0, new Fixup() {
                    public int bits(int off) { return cbBranch(nz ? 7 : 6, rp, off); }
                    public String asm(int off) { return (nz ? "c.bnez " : "c.beqz ") + x(8 + rp) + ", " + rel(off); }
                }));
            }
            case 7, 8 -> {             // auipc t, 0; jalr rd, off(t)
                int t = rdNz(), rd = rd();
                l.add(new Insn(4, uType(OP_AUIPC, t, 0), "auipc " + x(t) + ", 0x0", t));
                l.add(new Insn(4, 0, "", rd, delta, 0, new Fixup() {
                    public int bits(int off) { return iType(OP_JALR, rd, 0, t, off); }
                    public String asm(int off) { return "jalr " + x(rd) + ", " + off + "(" + x(t) + ")"; }
                }));
            }
            default -> {               // auipc t, 0; addi t, t, off; c.jr t / c.jalr t
                int t = rdNz();
                boolean link = rnd.nextBoolean();
                l.add(new Insn(4, uType(OP_AUIPC, t, 0), "auipc " + x(t) + ", 0x0", t));
                l.add(new Insn(4, 0, "", t, delta, 0, new Fixup() {
                    public int bits(int off) { return iType(OP_IMM, t, 0, t, off); }
                    public String asm(int off) { return "addi " + x(t) + ", " + x(t) + ", " + off; }
                }));
                l.add(new Insn(2, crType(link ? 9 : 8, t, 0, 2), (link ? "c.jalr " : "c.jr ") + x(t), link ? 1 : -1));
            }
        }
        return new Group("branch", l);
    }

    /** A counted loop: li t, n; body; addi t, t, -1; bne t, x0, body. */
    private Group loop() {
        int t = rdNz();
        int n = 1 + rnd.nextInt(4);
        List<Insn> l = new ArrayList<>();
        l.add(addi(t, 0, n));
        int count = 1 + rnd.nextInt(4);
        int bodyBytes = 0;
        while (count > 0) {
            Insn in = switch (rnd.nextInt(7)) {
                case 0 -> intAlu();
                case 1 -> mulSingle();
                case 2 -> bitmanip();
                case 3 -> intLoadStore();
                case 4 -> fpArith();
                case 5 -> fpLoadStore();
                default -> compressedAlu();
            };
            if (in.intRd == t) continue;
            l.add(in);
            bodyBytes += in.size;
            count--;
        }
        l.add(addi(t, t, -1));
        int off = -(bodyBytes + 4);
        l.add(new Insn(4, bType(1, t, 0, off), "bne " + x(t) + ", x0, " + rel(off), -1));
        return new Group("loop", l);
    }

    private Group misc() {
        return switch (rnd.nextInt(3)) {
            case 0 -> single("misc", new Insn(4, 0x0330000f, "fence rw, rw", -1));
            case 1 -> single("misc", new Insn(4, 0x0ff0000f, "fence iorw, iorw", -1));
            default -> single("misc", new Insn(2, 0x0001, "c.nop", -1));
        };
    }
}
