package dev.kava.arch.riscv.random;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One random test program: a prologue that loads every register from a table, a list of
 * random instruction groups, and an epilogue that dumps the registers and prints the scratch
 * area with write(2).
 *
 * <p>Memory layout (one RWX PT_LOAD segment at {@link #BASE}): ELF headers, code, then two
 * data pages. x31 points at the boundary between the two data pages, so misaligned accesses
 * near x31 cross a page. Relative to x31:
 * <pre>
 *   [-2048, 1536)  scratch area: random initial contents; random loads and stores go here
 *   [1536, 2048)   register table: initial values loaded by the prologue, overwritten by the
 *                  epilogue's dump (x1..x31 at 1536+8*(i-1), f0..f31 at 1784+8*i, fcsr at 2040)
 * </pre>
 * The program writes the 4096 bytes [x31-2048, x31+2048) to stdout and exits with 0.
 *
 * <p>The random part is a list of {@link Group}s. A group is a run of instructions that must
 * execute together (for example {@code addi x8, x31, k} then {@code c.lw x9, 4(x8)}); forward
 * branches and jumps only ever target the first instruction of a group (or the epilogue), so
 * every program can be truncated after any group and still be valid. That is what the test
 * uses to find the first group where kava and qemu diverge.
 */
final class RandomProgram {
    static final long BASE = 0x10000;
    static final int CODE_OFFSET = 0x80;           // code starts after the ELF headers
    static final int SCRATCH_LO = -2048;           // random accesses: [x31 + SCRATCH_LO, x31 + SCRATCH_HI)
    static final int SCRATCH_HI = 1536;
    static final int TABLE = 1536;                 // register table / dump, x31-relative
    static final int AREA_SIZE = 4096;             // bytes written to stdout, from x31 - 2048
    static final int DUMP_X = AREA_SIZE / 2 + TABLE;          // area offset of x1 in the dump
    static final int DUMP_F = DUMP_X + 31 * 8;                 // area offset of f0
    static final int DUMP_FCSR = DUMP_F + 32 * 8;              // area offset of fcsr (= 4088)

    /** A control-flow instruction's encoding as a function of its byte offset. */
    interface Fixup {
        int bits(int off);
        String asm(int off);
    }

    /** One instruction (2 or 4 bytes). */
    static final class Insn {
        final int size;
        int bits;
        String asm;
        /** Integer register this instruction writes, or -1. */
        final int intRd;
        /** For forward control flow: the group targeted, relative to this instruction's group (>= 1). */
        final int targetDelta;
        /** Index in its group of the instruction whose address the fixup offset is relative to. */
        final int anchor;
        final Fixup fixup;

        Insn(int size, int bits, String asm, int intRd) {
            this(size, bits, asm, intRd, 0, -1, null);
        }

        Insn(int size, int bits, String asm, int intRd, int targetDelta, int anchor, Fixup fixup) {
            if (fixup == null) checkEncoding(size, bits, asm);
            this.size = size;
            this.bits = bits;
            this.asm = asm;
            this.intRd = intRd;
            this.targetDelta = targetDelta;
            this.anchor = anchor;
            this.fixup = fixup;
        }
    }

    static void checkEncoding(int size, int bits, String asm) {
        if (size == 2 && (bits & ~0xffff) != 0) throw new IllegalStateException("bad 16-bit encoding " + asm);
        if (size == 2 && (bits & 3) == 3) throw new IllegalStateException("16-bit encoding with low bits 11: " + asm);
        if (size == 4 && (bits & 3) != 3) throw new IllegalStateException("32-bit encoding without low bits 11: " + asm);
    }

    /** Instructions that execute together; control flow only targets group starts. */
    record Group(String kind, List<Insn> insns) {
        int bytes() {
            int n = 0;
            for (Insn i : insns) n += i.size;
            return n;
        }
    }

    /** One line of the program listing. */
    record Line(long addr, int size, int bits, String asm, int group) {
        @Override
        public String toString() {
            String hex = size == 2 ? String.format("%04x    ", bits & 0xffff) : String.format("%08x", bits);
            String g = group >= 0 ? String.format("g%-4d", group) : "     ";
            return String.format("%s %08x: %s  %s", g, addr, hex, asm);
        }
    }

    /** The built executable. */
    record Image(byte[] elf, long entry, long x31, List<Line> listing, long[] groupAddr) {}

    final long seed;
    final List<Group> groups;
    /** Initial contents of [x31-2048, x31+2048), including the register table. */
    final byte[] area;
    final int frm;
    final int instructionCount;

    private RandomProgram(long seed, List<Group> groups, byte[] area, int frm, int count) {
        this.seed = seed;
        this.groups = groups;
        this.area = area;
        this.frm = frm;
        this.instructionCount = count;
    }

    /** Generates a program of at least {@code count} random instructions. */
    static RandomProgram generate(long seed, int count) {
        return generate(seed, count, Set.of());
    }

    /** Generates a program without the groups whose {@link Group#kind} is in {@code exclude} (for triage). */
    static RandomProgram generate(long seed, int count, Set<String> exclude) {
        SplittableRandom rnd = new SplittableRandom(seed);
        InsnGenerator gen = new InsnGenerator(rnd);
        byte[] area = new byte[AREA_SIZE];
        for (int off = 0; off < AREA_SIZE; off += 8) {
            putLong(area, off, gen.interestingMemoryWord());
        }
        for (int i = 1; i <= 30; i++) putLong(area, DUMP_X + 8 * (i - 1), gen.interestingInt());
        putLong(area, DUMP_X + 8 * 30, 0);
        for (int i = 0; i < 32; i++) putLong(area, DUMP_F + 8 * i, gen.interestingFpRegister());
        putLong(area, DUMP_FCSR, 0);
        int frm = rnd.nextInt(5);
        List<Group> groups = new ArrayList<>();
        int n = 0;
        while (n < count) {
            Group g = gen.group();
            if (exclude.contains(g.kind())) continue;
            groups.add(g);
            n += g.insns().size();
        }
        return new RandomProgram(seed, groups, area, frm, n);
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) b[off + i] = (byte) (v >>> (8 * i));
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }

    /** Builds the whole program. */
    Image build() {
        return build(groups.size());
    }

    /** Builds the program truncated to its first {@code nGroups} groups (branches beyond go to the epilogue). */
    Image build(int nGroups) {
        List<Insn> prologue = new ArrayList<>();
        List<Insn> epilogue = new ArrayList<>();
        // Sizes of prologue/epilogue are fixed; compute the layout first.
        int prologueBytes = 4 * (1 + 30 + 32 + 2);
        long codeStart = BASE + CODE_OFFSET;
        long[] groupAddr = new long[nGroups + 1];
        long a = codeStart + prologueBytes;
        for (int g = 0; g < nGroups; g++) {
            groupAddr[g] = a;
            a += groups.get(g).bytes();
        }
        groupAddr[nGroups] = a;   // epilogue
        int epilogueBytes = 4 * (31 + 32 + 2 + 4 + 1 + 3);
        long codeEnd = a + epilogueBytes;
        long dataStart = (codeEnd + 0xfff) & ~0xfffL;
        long x31 = dataStart + 4096;
        if (x31 >= 0x7ffff000L) throw new IllegalStateException("program too large");

        // Prologue.
        prologue.add(InsnGenerator.lui(31, (int) (x31 >>> 12)));
        for (int i = 1; i <= 30; i++) prologue.add(InsnGenerator.load(3, i, 31, TABLE + 8 * (i - 1)));
        for (int i = 0; i < 32; i++) prologue.add(InsnGenerator.fload(3, i, 31, TABLE + 31 * 8 + 8 * i));
        prologue.add(InsnGenerator.csrImm(5, 0, 3, 0));       // csrrwi x0, fcsr, 0
        prologue.add(InsnGenerator.csrImm(5, 0, 2, frm));     // csrrwi x0, frm, frm
        // Epilogue.
        for (int i = 1; i <= 31; i++) epilogue.add(InsnGenerator.store(3, i, 31, TABLE + 8 * (i - 1)));
        for (int i = 0; i < 32; i++) epilogue.add(InsnGenerator.fstore(3, i, 31, TABLE + 31 * 8 + 8 * i));
        epilogue.add(InsnGenerator.csrReg(2, 1, 3, 0));       // csrrs x1, fcsr, x0
        epilogue.add(InsnGenerator.store(3, 1, 31, TABLE + 63 * 8));
        epilogue.add(InsnGenerator.addi(17, 0, 64));           // a7 = write
        epilogue.add(InsnGenerator.addi(10, 0, 1));            // a0 = stdout
        epilogue.add(InsnGenerator.addi(11, 31, -2048));       // a1 = area
        epilogue.add(InsnGenerator.lui(12, 1));                // a2 = 4096
        epilogue.add(InsnGenerator.ecall());
        epilogue.add(InsnGenerator.addi(17, 0, 94));           // a7 = exit_group
        epilogue.add(InsnGenerator.addi(10, 0, 0));
        epilogue.add(InsnGenerator.ecall());
        if (sizeOf(prologue) != prologueBytes || sizeOf(epilogue) != epilogueBytes) {
            throw new IllegalStateException("prologue/epilogue size");
        }

        int imageSize = (int) (dataStart + 8192 - BASE);
        byte[] image = new byte[imageSize];
        List<Line> listing = new ArrayList<>();
        long pc = codeStart;
        for (Insn in : prologue) {
            emit(image, pc, in.size, in.bits);
            listing.add(new Line(pc, in.size, in.bits, in.asm, -1));
            pc += in.size;
        }
        for (int g = 0; g < nGroups; g++) {
            Group grp = groups.get(g);
            long[] addrs = new long[grp.insns().size()];
            long p = groupAddr[g];
            for (int k = 0; k < addrs.length; k++) {
                addrs[k] = p;
                p += grp.insns().get(k).size;
            }
            for (int k = 0; k < addrs.length; k++) {
                Insn in = grp.insns().get(k);
                int bits = in.bits;
                String asm = in.asm;
                if (in.fixup != null && in.targetDelta > 0) {
                    int target = Math.min(g + in.targetDelta, nGroups);
                    int off = (int) (groupAddr[target] - addrs[in.anchor]);
                    bits = in.fixup.bits(off);
                    asm = in.fixup.asm(off);
                }
                emit(image, addrs[k], in.size, bits);
                listing.add(new Line(addrs[k], in.size, bits, asm, g));
            }
            pc = p;
        }
        if (pc != groupAddr[nGroups]) throw new IllegalStateException("layout");
        for (Insn in : epilogue) {
            emit(image, pc, in.size, in.bits);
            listing.add(new Line(pc, in.size, in.bits, in.asm, -1));
            pc += in.size;
        }
        System.arraycopy(area, 0, image, (int) (x31 - 2048 - BASE), AREA_SIZE);
        byte[] elf = ElfWriter.write(BASE, image, codeStart);
        return new Image(elf, codeStart, x31, listing, groupAddr);
    }

    private static int sizeOf(List<Insn> l) {
        int n = 0;
        for (Insn i : l) n += i.size;
        return n;
    }

    private static void emit(byte[] image, long addr, int size, int bits) {
        int off = (int) (addr - BASE);
        for (int i = 0; i < size; i++) image[off + i] = (byte) (bits >>> (8 * i));
    }

    /** The assembly listing in GNU as syntax (for cross-checking the encodings with riscv64-linux-gnu-as). */
    static String assembly(Image img) {
        StringBuilder sb = new StringBuilder();
        sb.append(".option norelax\n.text\n");
        for (Line l : img.listing()) {
            sb.append(l.size() == 2 ? ".option rvc\n" : ".option norvc\n");
            sb.append(l.asm()).append('\n');
        }
        return sb.toString();
    }
}
