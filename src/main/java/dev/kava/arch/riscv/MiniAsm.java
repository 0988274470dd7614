package dev.kava.arch.riscv;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny RV64IM assembler for the few dozen instructions the vDSO is made of: base-ISA
 * (RISC-V Unprivileged ISA, chapter 2 "RV32I" and 4 "RV64I") and M encodings, 32-bit forms
 * only, with labels for branches. Each instruction is also kept as its assembly text, so a
 * test can assemble the same listing with binutils and compare the bytes.
 */
final class MiniAsm {
    // Register numbers (the psABI names).
    static final int ZERO = 0, RA = 1, T0 = 5, T1 = 6, T2 = 7, A0 = 10, A1 = 11, A7 = 17, T3 = 28, T4 = 29, T5 = 30, T6 = 31;
    private static final String[] NAMES = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1",
            "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
            "t3", "t4", "t5", "t6"};

    /** The time CSR (Privileged ISA, table 2.2: 0xC01, user read-only). */
    static final int CSR_TIME = 0xc01;

    private final long base;
    private final List<Integer> words = new ArrayList<>();
    private final StringBuilder listing = new StringBuilder();
    private final Map<String, Integer> labels = new HashMap<>();
    private final List<Object[]> fixups = new ArrayList<>(); // {index, label, funct3, rs1, rs2}

    /** Assembles code that will sit at offset base of its image (for auipc). */
    MiniAsm(long base) {
        this.base = base;
    }

    static String reg(int r) {
        return NAMES[r];
    }

    /** The image offset of the next instruction. */
    long pc() {
        return base + 4L * words.size();
    }

    void label(String name) {
        if (labels.putIfAbsent(name, words.size()) != null) throw new IllegalArgumentException("label " + name + " twice");
        listing.append(name).append(":\n");
    }

    private void emit(int word, String text) {
        words.add(word);
        listing.append("\t").append(text).append("\n");
    }

    private static int checkImm12(long imm) {
        if (imm < -2048 || imm > 2047) throw new IllegalArgumentException("imm12 out of range: " + imm);
        return (int) imm;
    }

    private static int r(int f7, int rs2, int rs1, int f3, int rd, int op) {
        return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
    }

    private static int i(long imm, int rs1, int f3, int rd, int op) {
        return checkImm12(imm) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
    }

    private void rType(String m, int f7, int f3, int rd, int rs1, int rs2) {
        emit(r(f7, rs2, rs1, f3, rd, 0x33), m + " " + reg(rd) + ", " + reg(rs1) + ", " + reg(rs2));
    }

    void add(int rd, int rs1, int rs2) { rType("add", 0, 0, rd, rs1, rs2); }
    void sub(int rd, int rs1, int rs2) { rType("sub", 0x20, 0, rd, rs1, rs2); }
    void sll(int rd, int rs1, int rs2) { rType("sll", 0, 1, rd, rs1, rs2); }
    void srl(int rd, int rs1, int rs2) { rType("srl", 0, 5, rd, rs1, rs2); }
    void and(int rd, int rs1, int rs2) { rType("and", 0, 7, rd, rs1, rs2); }
    void mul(int rd, int rs1, int rs2) { rType("mul", 1, 0, rd, rs1, rs2); }
    void divu(int rd, int rs1, int rs2) { rType("divu", 1, 5, rd, rs1, rs2); }
    void remu(int rd, int rs1, int rs2) { rType("remu", 1, 7, rd, rs1, rs2); }

    void addi(int rd, int rs1, long imm) {
        emit(i(imm, rs1, 0, rd, 0x13), "addi " + reg(rd) + ", " + reg(rs1) + ", " + imm);
    }

    void sltiu(int rd, int rs1, long imm) {
        emit(i(imm, rs1, 3, rd, 0x13), "sltiu " + reg(rd) + ", " + reg(rs1) + ", " + imm);
    }

    void andi(int rd, int rs1, long imm) {
        emit(i(imm, rs1, 7, rd, 0x13), "andi " + reg(rd) + ", " + reg(rs1) + ", " + imm);
    }

    void slli(int rd, int rs1, int shamt) {
        if (shamt < 0 || shamt > 63) throw new IllegalArgumentException("shamt " + shamt);
        emit(i(shamt, rs1, 1, rd, 0x13), "slli " + reg(rd) + ", " + reg(rs1) + ", " + shamt);
    }

    private void load(String m, int f3, int rd, long off, int rs1) {
        emit(i(off, rs1, f3, rd, 0x03), m + " " + reg(rd) + ", " + off + "(" + reg(rs1) + ")");
    }

    void lw(int rd, long off, int rs1) { load("lw", 2, rd, off, rs1); }
    void lwu(int rd, long off, int rs1) { load("lwu", 6, rd, off, rs1); }
    void ld(int rd, long off, int rs1) { load("ld", 3, rd, off, rs1); }

    void sd(int rs2, long off, int rs1) {
        int imm = checkImm12(off);
        emit((imm >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | 3 << 12 | (imm & 0x1f) << 7 | 0x23,
                "sd " + reg(rs2) + ", " + off + "(" + reg(rs1) + ")");
    }

    /** rd = the address of image offset target (auipc + addi, pc-relative). */
    void la(int rd, long target) {
        long delta = target - pc();
        long hi = (delta + 0x800) >> 12, lo = delta - (hi << 12);
        if (hi < -(1L << 19) || hi >= 1L << 19) throw new IllegalArgumentException("la out of range");
        emit((int) (hi & 0xfffff) << 12 | rd << 7 | 0x17, "auipc " + reg(rd) + ", " + (hi & 0xfffff));
        addi(rd, rd, lo);
    }

    /** rd = imm for any 32-bit signed imm (lui + addi, or addi alone). */
    void li(int rd, long imm) {
        if (imm >= -2048 && imm <= 2047) {
            addi(rd, ZERO, imm);
            return;
        }
        if (imm < Integer.MIN_VALUE || imm > Integer.MAX_VALUE) throw new IllegalArgumentException("li " + imm);
        long hi = (imm + 0x800) >> 12, lo = imm - (hi << 12);
        emit((int) (hi & 0xfffff) << 12 | rd << 7 | 0x37, "lui " + reg(rd) + ", " + (hi & 0xfffff));
        if (lo != 0) addi(rd, rd, lo);
    }

    /** rdtime rd (csrrs rd, time, zero). */
    void rdtime(int rd) {
        emit(CSR_TIME << 20 | 2 << 12 | rd << 7 | 0x73, "rdtime " + reg(rd));
    }

    /** fence r,r: earlier loads complete before later ones (pred = succ = R, 0b0010). */
    void fenceRR() { emit(0x0220000f, "fence r,r"); }

    void ecall() { emit(0x73, "ecall"); }
    void ret() { emit(i(0, RA, 0, ZERO, 0x67), "ret"); }

    private void branch(String m, int f3, int rs1, int rs2, String label) {
        fixups.add(new Object[] {words.size(), label, f3, rs1, rs2});
        emit(0, m + " " + reg(rs1) + ", " + reg(rs2) + ", " + label);
    }

    void beq(int rs1, int rs2, String l) { branch("beq", 0, rs1, rs2, l); }
    void bne(int rs1, int rs2, String l) { branch("bne", 1, rs1, rs2, l); }
    void bgeu(int rs1, int rs2, String l) { branch("bgeu", 7, rs1, rs2, l); }

    /** The readable listing (GNU as syntax). */
    String listing() {
        return listing.toString();
    }

    /** The code, little-endian, branches resolved. */
    byte[] bytes() {
        for (Object[] f : fixups) {
            int at = (Integer) f[0];
            Integer to = labels.get((String) f[1]);
            if (to == null) throw new IllegalArgumentException("no label " + f[1]);
            int off = (to - at) * 4;
            if (off < -4096 || off > 4094) throw new IllegalArgumentException("branch out of range");
            int rs1 = (Integer) f[3], rs2 = (Integer) f[4], f3 = (Integer) f[2];
            words.set(at, (off >> 12 & 1) << 31 | (off >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12
                    | (off >> 1 & 0xf) << 8 | (off >> 11 & 1) << 7 | 0x63);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int w : words) {
            out.write(w);
            out.write(w >> 8);
            out.write(w >> 16);
            out.write(w >> 24);
        }
        return out.toByteArray();
    }
}
