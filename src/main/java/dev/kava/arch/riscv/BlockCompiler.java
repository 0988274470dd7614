package dev.kava.arch.riscv;

import static dev.kava.arch.riscv.Op.*;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.LongAdder;

/**
 * The translating tier: turns a hot {@link CodePage.Block} into a hidden class whose one method
 * does what {@link Interpreter#run} does for that block, without the per-instruction switch and
 * Insn field loads. HotSpot then compiles the method to host code and inlines the Mmu fast paths
 * into it.
 *
 * <p>The guest registers a block uses live in JVM locals while it runs: they are loaded from
 * x[] on entry and stored back on every exit (the end, an early exit after a store to code, a
 * memory fault). Writing back every register the block writes anywhere, not only those written
 * so far, is exact because a register not yet written still holds its entry value. Locals also
 * keep HotSpot from reloading x[] after each guest memory access, which it must do for array
 * elements since guest frames are long[]-backed segments too.
 *
 * <p>Only integer, memory and bit-manipulation instructions are translated, with a branch or
 * jump as the end of the block; a block with anything else (ecall, CSR, atomics, floating-point
 * arithmetic, fence.i, illegal) stays with the interpreter. The hidden classes are defined
 * without {@code STRONG}, so a class goes away with its block when its code page is dropped.
 */
final class BlockCompiler {
    private BlockCompiler() {}

    /**
     * Off by default for now: hot loops run 2-3x faster translated, but a program with thousands
     * of warm blocks (Python's json/re) ran 2-3x slower, because HotSpot must interpret, profile
     * and compile each new hidden class before its code pays off (see the measurements in the
     * jit branch's report). {@code -Dkava.jit=on}, or setting {@code kava.jit.threshold}, turns
     * it on; {@code -Dkava.jit=off} wins over both.
     */
    static final boolean ENABLED = System.getProperty("kava.jit") == null
            ? System.getProperty("kava.jit.threshold") != null
            : System.getProperty("kava.jit").equals("on");
    /** Runs of a block before it is compiled; 0 compiles at its first run. */
    static final int THRESHOLD = Math.max(0, Integer.getInteger("kava.jit.threshold", 200));
    /**
     * HotSpot does not compile methods of more than 8000 bytes of bytecode (DontCompileHugeMethods):
     * a bigger block would run slower translated than interpreted.
     */
    private static final int MAX_CODE_BYTES = 7900;

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final ClassFile CF = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
            ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofClassLoading(LOOKUP))));

    private static final ClassDesc CD_HART = desc(Hart.class), CD_MMU = desc(Mmu.class),
            CD_FAULT = desc(MemoryFault.class), CD_COMPILED = desc(CompiledBlock.class),
            CD_LONGS = CD_long.arrayType(), CD_BLOCK = ClassDesc.of(BlockCompiler.class.getPackageName() + ".JitBlock"),
            CD_INTERP = desc(Interpreter.class), CD_BITMANIP = desc(BitManip.class),
            CD_LONG = desc(Long.class), CD_MATH = desc(Math.class);
    private static final MethodTypeDesc MTD_EXEC = MethodTypeDesc.of(CD_long, CD_HART, CD_LONGS, CD_MMU, CD_long),
            MTD_J_J = MethodTypeDesc.of(CD_long, CD_long), MTD_V_JJ = MethodTypeDesc.of(CD_void, CD_long, CD_long),
            MTD_J_JJ = MethodTypeDesc.of(CD_long, CD_long, CD_long), MTD_I_JJ = MethodTypeDesc.of(CD_int, CD_long, CD_long),
            MTD_J_II = MethodTypeDesc.of(CD_long, CD_int, CD_int),
            MTD_J_IJJJ = MethodTypeDesc.of(CD_long, CD_int, CD_long, CD_long, CD_long);

    // Locals of exec: this, h, x, m, base (two slots), then x1..x31 (two slots each), then temporaries.
    private static final int H = 1, X = 2, M = 3, BASE = 4, TMP_PC = 6 + 2 * 31, TMP_N = TMP_PC + 2,
            TMP_ADDR = TMP_N + 1, TMP_VPN = TMP_ADDR + 2, TMP_VAL = TMP_VPN + 2, TMP_TLB = TMP_VAL + 2, TMP_WORDS = TMP_TLB + 1;

    /**
     * Whether translated code may read guest memory as the long[] words behind a frame's segment
     * (Mmu.rWords): a long's bytes are in guest (little-endian) order only on a little-endian host.
     */
    private static final boolean INLINE_MEMORY = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
    private static final ClassDesc CD_WORDS = CD_LONGS.arrayType();

    private static int slot(int r) {
        return 6 + 2 * (r - 1);
    }

    private static ClassDesc desc(Class<?> c) {
        return ClassDesc.ofDescriptor(c.descriptorString());
    }

    /** Whether the compiler translates this instruction; a block with any other stays interpreted (see the class comment). */
    static boolean translatable(int op) {
        return op >= LUI && op <= SRAW || op == FENCE || op >= MUL && op <= BSETI
                || op == FLW || op == FLD || op == FSW || op == FSD;
    }

    /** Whether op writes an integer rd. */
    private static boolean writesX(int op) {
        return switch (op) {
            case BEQ, BNE, BLT, BGE, BLTU, BGEU, SB, SH, SW, SD, FENCE, FLW, FLD, FSW, FSD -> false;
            default -> true;
        };
    }

    /**
     * Translates a block that became hot and attaches the result to it; null if the block stays
     * with the interpreter, which then does not ask again for the next 2^31 runs.
     */
    static CompiledBlock translate(CodePage.Block b) {
        long t0 = System.nanoTime();
        CompiledBlock c = null;
        if (LIVE.get() < MAX_LIVE) {
            try {
                c = compile(b);
            } catch (RuntimeException | LinkageError e) {
                // A bug here must not take the guest down: the block stays interpreted, and
                // the failure shows in --stats (and fails the tests, which count on translation).
                FAILED.increment();
            }
        }
        if (c == null) {
            b.runs = Integer.MIN_VALUE;
            REFUSED.increment();
        } else {
            b.compiled = c;
            TRANSLATED.increment();
            LIVE.incrementAndGet();
            CLEANER.register(c, LIVE::decrementAndGet);
        }
        NANOS.add(System.nanoTime() - t0);
        return c;
    }

    /**
     * At most this many translated blocks alive at once ({@code kava.jit.maxBlocks}): each one
     * costs metaspace and code cache, and a full code cache would stop HotSpot compiling kava
     * itself. A block translated in excess stays with the interpreter.
     */
    private static final int MAX_LIVE = Integer.getInteger("kava.jit.maxBlocks", 30_000);
    private static final java.util.concurrent.atomic.AtomicInteger LIVE = new java.util.concurrent.atomic.AtomicInteger();
    /** Counts blocks whose code went away with their code page. */
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    // For --stats: blocks translated, blocks left to the interpreter, time spent deciding and translating.
    private static final LongAdder TRANSLATED = new LongAdder(), REFUSED = new LongAdder(), FAILED = new LongAdder(),
            NANOS = new LongAdder();

    /** Blocks translated so far in this JVM. */
    static long translatedCount() {
        return TRANSLATED.sum();
    }

    /** Blocks the compiler failed on (a bug) so far in this JVM. */
    static long failedCount() {
        return FAILED.sum();
    }

    /** One line about the translating tier's work so far in this JVM. */
    static String summary() {
        return String.format("jit: %s, %d blocks translated, %d left to the interpreter (%d by a compiler failure), %.3f s translating",
                ENABLED ? "on (threshold " + THRESHOLD + ")" : "off", TRANSLATED.sum(), REFUSED.sum(), FAILED.sum(), NANOS.sum() / 1e9);
    }

    /** The translated block, or null if it has an instruction the compiler leaves to the interpreter. */
    static CompiledBlock compile(CodePage.Block b) {
        for (Insn in : b.insns) if (!translatable(in.op)) return null;
        byte[] bytes = CF.build(CD_BLOCK, clb -> {
            clb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC);
            clb.withInterfaceSymbols(CD_COMPILED);
            clb.withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC,
                    cob -> cob.aload(0).invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void).return_());
            clb.withMethodBody("exec", MTD_EXEC, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, cob -> new Emitter(cob, b).emit());
        });
        if (codeLength(bytes) > MAX_CODE_BYTES) return null;
        try {
            MethodHandles.Lookup l = LOOKUP.defineHiddenClass(bytes, true);
            return (CompiledBlock) l.findConstructor(l.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("jit: cannot define the class of a block", e);
        }
    }

    private static int codeLength(byte[] bytes) {
        return CF.parse(bytes).methods().stream().filter(mm -> mm.methodName().equalsString("exec"))
                .findFirst().flatMap(mm -> mm.findAttribute(java.lang.classfile.Attributes.code()))
                .map(CodeAttribute::codeLength).orElse(Integer.MAX_VALUE);
    }

    /** Emits the body of exec for one block. */
    private static final class Emitter {
        private final CodeBuilder c;
        private final CodePage.Block b;
        /** Integer registers the block reads or writes (loaded on entry), and those it writes (stored on exit). */
        private final boolean[] used = new boolean[32], written = new boolean[32];
        private final Label faultExit, storeExit;

        Emitter(CodeBuilder c, CodePage.Block b) {
            this.c = c;
            this.b = b;
            this.faultExit = c.newLabel();
            this.storeExit = c.newLabel();
            for (Insn in : b.insns) {
                used[in.rs1] = true;
                if (in.op != FSW && in.op != FSD) used[in.rs2] = true;
                if (writesX(in.op) && in.rd != Insn.X_SINK) {
                    used[in.rd] = true;
                    written[in.rd] = true;
                }
            }
            used[0] = false;
        }

        void emit() {
            for (int r = 1; r < 32; r++) {
                if (used[r]) c.aload(X).loadConstant(r).laload().lstore(slot(r));
            }
            boolean hasStore = false, ended = false;
            final int cnt = b.insns.length;
            for (int k = 0; k < cnt && !ended; k++) {
                Insn in = b.insns[k];
                long here = b.offs[k];
                switch (in.op) {
                    case BEQ, BNE, BLT, BGE, BLTU, BGEU -> { branch(in, here); ended = true; }
                    case JAL -> {
                        pcRelative(here + in.len);
                        put(in.rd);
                        writeBack();
                        pcRelative(here + in.imm);
                        c.lreturn();
                        ended = true;
                    }
                    case JALR -> {
                        get(in.rs1);
                        c.loadConstant(in.imm).ladd().loadConstant(~1L).land().lstore(TMP_PC);
                        pcRelative(here + in.len);
                        put(in.rd);
                        writeBack();
                        c.lload(TMP_PC).lreturn();
                        ended = true;
                    }
                    case LB, LH, LW, LD, LBU, LHU, LWU, FLW, FLD -> load(in, k);
                    case SB, SH, SW, SD, FSW, FSD -> {
                        store(in, k);
                        hasStore = true;
                        // A store that hit decoded code ends the block right after it (see Interpreter.run).
                        Label on = c.newLabel();
                        c.aload(M).getfield(CD_MMU, "codeModified", CD_boolean).ifeq(on);
                        c.loadConstant(cnt - k).istore(TMP_N);
                        pcRelative(here + in.len);
                        c.lstore(TMP_PC).goto_(storeExit);
                        c.labelBinding(on);
                    }
                    case FENCE -> c.invokestatic(desc(java.lang.invoke.VarHandle.class), "fullFence", ConstantDescs.MTD_void);
                    default -> { alu(in, here); put(in.rd); }
                }
            }
            if (!ended) {
                // The block ends at the end of the page, or before an instruction that straddles into the next.
                writeBack();
                pcRelative(b.endOff);
                c.lreturn();
            }
            if (hasStore) {
                c.labelBinding(storeExit);
                c.aload(M).iconst_0().putfield(CD_MMU, "codeModified", CD_boolean);
                c.aload(H).iload(TMP_N).putfield(CD_HART, "jitStoreExit", CD_int);
                writeBack();
                c.lload(TMP_PC).lreturn();
            }
            if (faultUsed) {
                // The MemoryFault is on the stack; jitFaultIndex was set by the per-instruction handler.
                c.labelBinding(faultExit);
                writeBack();
                c.athrow();
            }
        }

        private boolean faultUsed;

        private void get(int r) {
            if (r == 0) c.lconst_0();
            else c.lload(slot(r));
        }

        private void put(int rd) {
            if (rd == Insn.X_SINK) c.pop2();
            else c.lstore(slot(rd));
        }

        private void writeBack() {
            for (int r = 1; r < 32; r++) {
                if (written[r]) c.aload(X).loadConstant(r).lload(slot(r)).lastore();
            }
        }

        /** Pushes base + off. */
        private void pcRelative(long off) {
            c.lload(BASE).loadConstant(off).ladd();
        }

        private void address(Insn in) {
            get(in.rs1);
            if (in.imm != 0) c.loadConstant(in.imm).ladd();
        }

        /**
         * Brackets the code of instruction k that may fault: a fault there records k in the hart
         * and leaves through the common fault exit.
         */
        private void guarded(int k, Runnable body) {
            Label start = c.newLabel(), end = c.newLabel(), handler = c.newLabel(), after = c.newLabel();
            c.labelBinding(start);
            body.run();
            c.labelBinding(end);
            c.goto_(after);
            c.labelBinding(handler);
            c.aload(H).loadConstant(k).putfield(CD_HART, "jitFaultIndex", CD_int).goto_(faultExit);
            c.labelBinding(after);
            c.exceptionCatch(start, end, handler, CD_FAULT);
            faultUsed = true;
        }

        private void load(Insn in, int k) {
            boolean fp = in.op == FLW || in.op == FLD;
            if (fp) c.aload(H).getfield(CD_HART, "f", CD_LONGS).loadConstant(in.rd);
            int size = switch (in.op) {
                case LB, LBU -> 1;
                case LH, LHU -> 2;
                case LW, LWU, FLW -> 4;
                default -> 8;
            };
            guarded(k, () -> {
                address(in);
                c.lstore(TMP_ADDR);
                Label slow = c.newLabel(), done = c.newLabel();
                if (INLINE_MEMORY) {
                    // Mmu.loadN's fast path, for naturally aligned accesses (which stay in one
                    // word): the TLB entry's word, shifted to the access's bytes and sign-extended.
                    tlbHit("rTag", "rWords", size, slow);
                    c.aload(TMP_WORDS);
                    wordIndex();
                    c.laload();
                    if (size < 8) {
                        c.lload(TMP_ADDR).l2i().loadConstant(7).iand().loadConstant(3).ishl().lushr().l2i();
                        if (size == 1) c.i2b();
                        else if (size == 2) c.i2s();
                        c.i2l();
                    }
                    c.goto_(done);
                }
                c.labelBinding(slow);
                c.aload(M).lload(TMP_ADDR).invokevirtual(CD_MMU, "load" + 8 * size, MTD_J_J);
                c.labelBinding(done);
            });
            switch (in.op) {
                case LBU -> c.loadConstant(0xffL).land();
                case LHU -> c.loadConstant(0xffffL).land();
                case LWU -> c.loadConstant(0xffffffffL).land();
                case FLW -> c.loadConstant(0xffffffffL).land().loadConstant(0xffffffff00000000L).lor();
                default -> {}
            }
            if (fp) c.lastore();
            else put(in.rd);
        }

        private void store(Insn in, int k) {
            guarded(k, () -> {
                address(in);
                c.lstore(TMP_ADDR);
                if (in.op == FSW || in.op == FSD) c.aload(H).getfield(CD_HART, "f", CD_LONGS).loadConstant(in.rs2).laload();
                else get(in.rs2);
                c.lstore(TMP_VAL);
                String name = switch (in.op) {
                    case SB -> "store8";
                    case SH -> "store16";
                    case SW, FSW -> "store32";
                    default -> "store64";
                };
                Label slow = c.newLabel(), done = c.newLabel();
                // Only whole aligned words are stored inline: a narrower store done as a
                // read-modify-write of its word could undo another hart's store to a neighbouring byte.
                if (INLINE_MEMORY && name.equals("store64")) {
                    tlbHit("wTag", "wWords", 8, slow);
                    c.aload(TMP_WORDS);
                    wordIndex();
                    c.lload(TMP_VAL).lastore().goto_(done);
                }
                c.labelBinding(slow);
                c.aload(M).lload(TMP_ADDR).lload(TMP_VAL).invokevirtual(CD_MMU, name, MTD_V_JJ);
                c.labelBinding(done);
            });
        }

        /**
         * Branches to slow unless the TLB (tags: "rTag" or "wTag") holds the page of the address
         * in TMP_ADDR as a long[] (words: "rWords" or "wWords"), and the access of size bytes is
         * naturally aligned; leaves that long[] in TMP_WORDS.
         */
        private void tlbHit(String tags, String words, int size, Label slow) {
            c.lload(TMP_ADDR).loadConstant(Mmu.TLB_SHIFT).lushr().lstore(TMP_VPN);
            c.lload(TMP_VPN).l2i().loadConstant(Mmu.TLB_ENTRIES - 1).iand().istore(TMP_TLB);
            c.aload(M).getfield(CD_MMU, tags, CD_LONGS).iload(TMP_TLB).laload().lload(TMP_VPN).lcmp().ifne(slow);
            if (size > 1) c.lload(TMP_ADDR).l2i().loadConstant(size - 1).iand().ifne(slow);
            c.aload(M).getfield(CD_MMU, words, CD_WORDS).iload(TMP_TLB).aaload().astore(TMP_WORDS);
            c.aload(TMP_WORDS).ifnull(slow);
        }

        /** Pushes the index in its frame's long[] of the word holding the address in TMP_ADDR. */
        private void wordIndex() {
            c.lload(TMP_ADDR).l2i().loadConstant((1 << Mmu.TLB_SHIFT) - 1).iand().loadConstant(3).iushr();
        }

        /** A conditional branch: the end of the block. */
        private void branch(Insn in, long here) {
            writeBack();
            Label taken = c.newLabel();
            get(in.rs1);
            get(in.rs2);
            switch (in.op) {
                case BEQ -> c.lcmp().ifeq(taken);
                case BNE -> c.lcmp().ifne(taken);
                case BLT -> c.lcmp().iflt(taken);
                case BGE -> c.lcmp().ifge(taken);
                case BLTU -> c.invokestatic(CD_LONG, "compareUnsigned", MTD_I_JJ).iflt(taken);
                default -> c.invokestatic(CD_LONG, "compareUnsigned", MTD_I_JJ).ifge(taken);
            }
            pcRelative(here + in.len);
            c.lreturn();
            c.labelBinding(taken);
            pcRelative(here + in.imm);
            c.lreturn();
        }

        /** Pushes the value an integer instruction computes for rd (the same expressions as Interpreter.run). */
        private void alu(Insn in, long here) {
            int op = in.op;
            switch (op) {
                case LUI -> c.loadConstant(in.imm);
                case AUIPC -> pcRelative(here + in.imm);
                case ADDI -> { get(in.rs1); c.loadConstant(in.imm).ladd(); }
                case SLTI -> { get(in.rs1); c.loadConstant(in.imm).lcmp(); lessThanFromSign(); }
                case SLTIU -> { get(in.rs1); c.loadConstant(in.imm).invokestatic(CD_LONG, "compareUnsigned", MTD_I_JJ); lessThanFromSign(); }
                case XORI -> { get(in.rs1); c.loadConstant(in.imm).lxor(); }
                case ORI -> { get(in.rs1); c.loadConstant(in.imm).lor(); }
                case ANDI -> { get(in.rs1); c.loadConstant(in.imm).land(); }
                case SLLI -> { get(in.rs1); c.loadConstant((int) in.imm).lshl(); }
                case SRLI -> { get(in.rs1); c.loadConstant((int) in.imm).lushr(); }
                case SRAI -> { get(in.rs1); c.loadConstant((int) in.imm).lshr(); }
                case ADD -> { get(in.rs1); get(in.rs2); c.ladd(); }
                case SUB -> { get(in.rs1); get(in.rs2); c.lsub(); }
                case SLL -> { get(in.rs1); get(in.rs2); c.l2i().lshl(); }
                case SLT -> { get(in.rs1); get(in.rs2); c.lcmp(); lessThanFromSign(); }
                case SLTU -> { get(in.rs1); get(in.rs2); c.invokestatic(CD_LONG, "compareUnsigned", MTD_I_JJ); lessThanFromSign(); }
                case XOR -> { get(in.rs1); get(in.rs2); c.lxor(); }
                case SRL -> { get(in.rs1); get(in.rs2); c.l2i().lushr(); }
                case SRA -> { get(in.rs1); get(in.rs2); c.l2i().lshr(); }
                case OR -> { get(in.rs1); get(in.rs2); c.lor(); }
                case AND -> { get(in.rs1); get(in.rs2); c.land(); }
                case ADDIW -> { get(in.rs1); c.loadConstant(in.imm).ladd().l2i().i2l(); }
                case SLLIW -> { get(in.rs1); c.l2i().loadConstant((int) in.imm).ishl().i2l(); }
                case SRLIW -> { get(in.rs1); c.l2i().loadConstant((int) in.imm).iushr().i2l(); }
                case SRAIW -> { get(in.rs1); c.l2i().loadConstant((int) in.imm).ishr().i2l(); }
                case ADDW -> { get(in.rs1); get(in.rs2); c.ladd().l2i().i2l(); }
                case SUBW -> { get(in.rs1); get(in.rs2); c.lsub().l2i().i2l(); }
                case SLLW -> { get(in.rs1); c.l2i(); get(in.rs2); c.l2i().ishl().i2l(); }
                case SRLW -> { get(in.rs1); c.l2i(); get(in.rs2); c.l2i().iushr().i2l(); }
                case SRAW -> { get(in.rs1); c.l2i(); get(in.rs2); c.l2i().ishr().i2l(); }
                case MUL -> { get(in.rs1); get(in.rs2); c.lmul(); }
                case MULW -> { get(in.rs1); c.l2i(); get(in.rs2); c.l2i().imul().i2l(); }
                case MULH -> { get(in.rs1); get(in.rs2); c.invokestatic(CD_MATH, "multiplyHigh", MTD_J_JJ); }
                case MULHU -> { get(in.rs1); get(in.rs2); c.invokestatic(CD_MATH, "unsignedMultiplyHigh", MTD_J_JJ); }
                case MULHSU -> { get(in.rs1); get(in.rs2); c.invokestatic(CD_INTERP, "mulhsu", MTD_J_JJ); }
                case DIV -> { get(in.rs1); get(in.rs2); c.invokestatic(CD_INTERP, "div", MTD_J_JJ); }
                case DIVU -> { get(in.rs1); get(in.rs2); c.invokestatic(CD_INTERP, "divu", MTD_J_JJ); }
                case REM -> { get(in.rs1); get(in.rs2); c.invokestatic(CD_INTERP, "rem", MTD_J_JJ); }
                case REMU -> { get(in.rs1); get(in.rs2); c.invokestatic(CD_INTERP, "remu", MTD_J_JJ); }
                case DIVW -> { get(in.rs1); c.l2i(); get(in.rs2); c.l2i().invokestatic(CD_INTERP, "divw", MTD_J_II); }
                case DIVUW -> { get(in.rs1); c.l2i(); get(in.rs2); c.l2i().invokestatic(CD_INTERP, "divuw", MTD_J_II); }
                case REMW -> { get(in.rs1); c.l2i(); get(in.rs2); c.l2i().invokestatic(CD_INTERP, "remw", MTD_J_II); }
                case REMUW -> { get(in.rs1); c.l2i(); get(in.rs2); c.l2i().invokestatic(CD_INTERP, "remuw", MTD_J_II); }
                default -> {
                    // Zba/Zbb/Zbs: rare in distribution builds (rv64gc), so one shared helper.
                    c.loadConstant(op);
                    get(in.rs1);
                    get(in.rs2);
                    c.loadConstant(in.imm).invokestatic(CD_BITMANIP, "exec", MTD_J_IJJJ);
                }
            }
        }

        /** Turns a comparison result (negative if less) on the stack into 1 or 0 as a long. */
        private void lessThanFromSign() {
            c.loadConstant(31).iushr().i2l();
        }
    }
}
