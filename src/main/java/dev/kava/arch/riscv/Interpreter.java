package dev.kava.arch.riscv;

import static dev.kava.arch.riscv.Op.*;

import java.lang.invoke.VarHandle;

/**
 * The execution engine: runs decoded instructions until a trap, an attention request or the
 * budget. Decoding is cached per code page by {@link Mmu#codePage}/{@link Mmu#buildBlock}, so a
 * later translating JIT can replace this class without touching decode or the kernel boundary.
 *
 * <p>Code runs in straight-line blocks ({@link CodePage.Block}) that end at control flow, so pc is
 * only computed where it is needed (auipc, jumps, traps). Budget and attention are checked
 * before every block; a block is at most one page of instructions.
 *
 * <p>When the JIT is on, a block that has run often enough runs as JVM bytecode instead
 * ({@link BlockCompiler}, {@link CompiledBlock}), with the same accounting of pc, instret and
 * faults as the switch below.
 */
final class Interpreter {
    private Interpreter() {}

    private static final long PAGE_MASK = ~0xfffL;

    static int run(Hart h, long budget) {
        final long[] x = h.x;
        final Mmu m = h.mmu;
        final int jitThreshold = h.jitThreshold;
        long pc = h.pc;
        long n = 0;
        CodePage cp = null;
        long base = -1;
        // The block being executed and the index in it: the catch block needs them to locate a fault.
        CodePage.Block b = null;
        int i = 0;
        try {
            outer:
            for (;;) {
                if (n >= budget || h.attention != 0) {
                    int r = n >= budget ? Trap.BUDGET_EXHAUSTED : attend(h);
                    if (r != 0) {
                        h.pc = pc;
                        h.instret += n;
                        return r;
                    }
                    base = -1; // a TLB flush may have unmapped or remapped the code page
                }
                b = null; // while null, a fault is an instruction fetch fault at pc
                if ((pc & PAGE_MASK) != base) {
                    cp = m.codePage(pc);
                    base = pc & PAGE_MASK;
                }
                b = cp.blocks[(int) (pc & 0xfff) >>> 1];
                if (b == null) b = m.buildBlock(cp, pc);
                final Insn[] ins = b.insns;
                final int[] offs = b.offs;
                final int cnt = ins.length;
                n += cnt;
                CompiledBlock jitted = b.compiled;
                if (jitted == null && jitThreshold >= 0 && b.runs++ >= jitThreshold) jitted = BlockCompiler.translate(b);
                if (jitted != null) {
                    i = -1; // a fault's index is in h.jitFaultIndex
                    pc = jitted.exec(h, x, m, base);
                    int notRun = h.jitStoreExit;
                    if (notRun != 0) {
                        // A store hit decoded code (see the store case below).
                        h.jitStoreExit = 0;
                        n -= notRun - 1;
                        base = -1;
                    }
                    continue;
                }
                for (i = 0; i < cnt; i++) {
                    final Insn in = ins[i];
                    switch (in.op) {
                        case ADDI: x[in.rd] = x[in.rs1] + in.imm; continue;
                        case ADD: x[in.rd] = x[in.rs1] + x[in.rs2]; continue;
                        case LD: x[in.rd] = m.load64(x[in.rs1] + in.imm); continue;
                        case LW: x[in.rd] = m.load32(x[in.rs1] + in.imm); continue;
                        case LBU: x[in.rd] = m.load8(x[in.rs1] + in.imm) & 0xff; continue;
                        case LB: x[in.rd] = m.load8(x[in.rs1] + in.imm); continue;
                        case LH: x[in.rd] = m.load16(x[in.rs1] + in.imm); continue;
                        case LHU: x[in.rd] = m.load16(x[in.rs1] + in.imm) & 0xffff; continue;
                        case LWU: x[in.rd] = m.load32(x[in.rs1] + in.imm) & 0xffffffffL; continue;
                        case SD: m.store64(x[in.rs1] + in.imm, x[in.rs2]); break;
                        case SW: m.store32(x[in.rs1] + in.imm, x[in.rs2]); break;
                        case SB: m.store8(x[in.rs1] + in.imm, x[in.rs2]); break;
                        case SH: m.store16(x[in.rs1] + in.imm, x[in.rs2]); break;
                        case FSD: m.store64(x[in.rs1] + in.imm, h.f[in.rs2]); break;
                        case FSW: m.store32(x[in.rs1] + in.imm, h.f[in.rs2]); break;
                        case FLD: h.f[in.rd] = m.load64(x[in.rs1] + in.imm); continue;
                        case FLW: h.f[in.rd] = 0xffffffff00000000L | (m.load32(x[in.rs1] + in.imm) & 0xffffffffL); continue;
                        case ADDIW: x[in.rd] = (int) (x[in.rs1] + in.imm); continue;
                        case ADDW: x[in.rd] = (int) (x[in.rs1] + x[in.rs2]); continue;
                        case SUB: x[in.rd] = x[in.rs1] - x[in.rs2]; continue;
                        case SUBW: x[in.rd] = (int) (x[in.rs1] - x[in.rs2]); continue;
                        case LUI: x[in.rd] = in.imm; continue;
                        case AUIPC: x[in.rd] = base + offs[i] + in.imm; continue;
                        case SLTI: x[in.rd] = x[in.rs1] < in.imm ? 1 : 0; continue;
                        case SLTIU: x[in.rd] = Long.compareUnsigned(x[in.rs1], in.imm) < 0 ? 1 : 0; continue;
                        case XORI: x[in.rd] = x[in.rs1] ^ in.imm; continue;
                        case ORI: x[in.rd] = x[in.rs1] | in.imm; continue;
                        case ANDI: x[in.rd] = x[in.rs1] & in.imm; continue;
                        case SLLI: x[in.rd] = x[in.rs1] << in.imm; continue;
                        case SRLI: x[in.rd] = x[in.rs1] >>> in.imm; continue;
                        case SRAI: x[in.rd] = x[in.rs1] >> in.imm; continue;
                        case SLL: x[in.rd] = x[in.rs1] << x[in.rs2]; continue;
                        case SLT: x[in.rd] = x[in.rs1] < x[in.rs2] ? 1 : 0; continue;
                        case SLTU: x[in.rd] = Long.compareUnsigned(x[in.rs1], x[in.rs2]) < 0 ? 1 : 0; continue;
                        case XOR: x[in.rd] = x[in.rs1] ^ x[in.rs2]; continue;
                        case SRL: x[in.rd] = x[in.rs1] >>> x[in.rs2]; continue;
                        case SRA: x[in.rd] = x[in.rs1] >> x[in.rs2]; continue;
                        case OR: x[in.rd] = x[in.rs1] | x[in.rs2]; continue;
                        case AND: x[in.rd] = x[in.rs1] & x[in.rs2]; continue;
                        case SLLIW: x[in.rd] = (int) x[in.rs1] << in.imm; continue;
                        case SRLIW: x[in.rd] = (int) x[in.rs1] >>> in.imm; continue;
                        case SRAIW: x[in.rd] = (int) x[in.rs1] >> in.imm; continue;
                        case SLLW: x[in.rd] = (int) x[in.rs1] << x[in.rs2]; continue;
                        case SRLW: x[in.rd] = (int) x[in.rs1] >>> x[in.rs2]; continue;
                        case SRAW: x[in.rd] = (int) x[in.rs1] >> x[in.rs2]; continue;

                        case BEQ: pc = base + offs[i] + (x[in.rs1] == x[in.rs2] ? in.imm : in.len); continue outer;
                        case BNE: pc = base + offs[i] + (x[in.rs1] != x[in.rs2] ? in.imm : in.len); continue outer;
                        case BLT: pc = base + offs[i] + (x[in.rs1] < x[in.rs2] ? in.imm : in.len); continue outer;
                        case BGE: pc = base + offs[i] + (x[in.rs1] >= x[in.rs2] ? in.imm : in.len); continue outer;
                        case BLTU: pc = base + offs[i] + (Long.compareUnsigned(x[in.rs1], x[in.rs2]) < 0 ? in.imm : in.len); continue outer;
                        case BGEU: pc = base + offs[i] + (Long.compareUnsigned(x[in.rs1], x[in.rs2]) >= 0 ? in.imm : in.len); continue outer;
                        case JAL: { long here = base + offs[i]; x[in.rd] = here + in.len; pc = here + in.imm; continue outer; }
                        case JALR: { long t = (x[in.rs1] + in.imm) & ~1L; x[in.rd] = base + offs[i] + in.len; pc = t; continue outer; }

                        case MUL: x[in.rd] = x[in.rs1] * x[in.rs2]; continue;
                        case MULW: x[in.rd] = (int) x[in.rs1] * (int) x[in.rs2]; continue;
                        case MULH: x[in.rd] = Math.multiplyHigh(x[in.rs1], x[in.rs2]); continue;
                        case MULHU: x[in.rd] = Math.unsignedMultiplyHigh(x[in.rs1], x[in.rs2]); continue;
                        case MULHSU: x[in.rd] = mulhsu(x[in.rs1], x[in.rs2]); continue;
                        case DIV: x[in.rd] = div(x[in.rs1], x[in.rs2]); continue;
                        case DIVU: x[in.rd] = divu(x[in.rs1], x[in.rs2]); continue;
                        case REM: x[in.rd] = rem(x[in.rs1], x[in.rs2]); continue;
                        case REMU: x[in.rd] = remu(x[in.rs1], x[in.rs2]); continue;
                        case DIVW: x[in.rd] = divw((int) x[in.rs1], (int) x[in.rs2]); continue;
                        case DIVUW: x[in.rd] = divuw((int) x[in.rs1], (int) x[in.rs2]); continue;
                        case REMW: x[in.rd] = remw((int) x[in.rs1], (int) x[in.rs2]); continue;
                        case REMUW: x[in.rd] = remuw((int) x[in.rs1], (int) x[in.rs2]); continue;

                        case ECALL: h.pc = base + offs[i]; h.instret += n - 1; return Trap.ECALL_U;
                        case EBREAK: h.pc = base + offs[i]; h.trapValue = h.pc; h.instret += n - 1; return Trap.BREAKPOINT;
                        case ILLEGAL:
                            h.pc = base + offs[i];
                            h.trapValue = in.bits & (in.len == 2 ? 0xffffL : 0xffffffffL);
                            h.instret += n - 1;
                            return Trap.ILLEGAL_INSN;
                        case FENCE: VarHandle.fullFence(); continue;
                        case FENCE_I: h.flushIcache(); pc = base + offs[i] + in.len; base = -1; continue outer;

                        default:
                            if (in.op >= FIRST_FP) {
                                if (!FpExec.exec(h, in)) return illegalInBlock(h, in, base + offs[i], n - (cnt - i));
                                continue;
                            } else if (in.op >= FIRST_CSR) {
                                // instret counts this block's instructions up to and including this one.
                                if (!csr(h, in, h.instret + n - (cnt - 1 - i))) return illegalInBlock(h, in, base + offs[i], n - (cnt - i));
                                if (i < cnt - 1) continue; // a counter read (CodePage.readsCounter) mid-block
                                pc = base + offs[i] + in.len;
                                continue outer;
                            } else if (in.op >= FIRST_ATOMIC) {
                                atomic(h, in);
                                continue;
                            }
                            x[in.rd] = BitManip.exec(in.op, x[in.rs1], x[in.rs2], in.imm);
                            continue;
                    }
                    // Only stores arrive here: one that hit decoded code ends the block at once.
                    if (m.codeModified) {
                        m.codeModified = false;
                        pc = base + offs[i] + in.len;
                        n -= cnt - i - 1;
                        base = -1;
                        continue outer;
                    }
                }
                pc = base + b.endOff;
            }
        } catch (MemoryFault f) {
            if (b == null) {
                h.pc = pc;
                h.instret += n;
            } else {
                if (i < 0) i = h.jitFaultIndex;
                // The faulting instruction and the rest of its block did not retire.
                h.pc = base + b.offs[i];
                h.instret += n - (b.insns.length - i);
            }
            h.trapValue = f.addr;
            return f.cause;
        }
    }

    /** An instruction inside a block turned out illegal (dynamic rounding with a bad frm, a CSR it may not touch). */
    private static int illegalInBlock(Hart h, Insn in, long pc, long retired) {
        h.pc = pc;
        h.trapValue = in.bits & 0xffffffffL;
        h.instret += retired;
        return Trap.ILLEGAL_INSN;
    }

    /** A store hit decoded code: refetch the current page's slots before the next instruction. */
    private static long codeChanged(Mmu m) {
        m.codeModified = false;
        return -1;
    }

    /** Handles attention bits; returns a trap code to leave run(), or 0 to go on. */
    private static int attend(Hart h) {
        int bits = h.takeAttention();
        h.mmu.flushIfPending();
        return (bits & Hart.ATTN_INTERRUPT) != 0 ? Trap.INTERRUPTED : 0;
    }

    static long div(long a, long b) {
        if (b == 0) return -1;
        if (a == Long.MIN_VALUE && b == -1) return a;
        return a / b;
    }

    static long divu(long a, long b) {
        return b == 0 ? -1L : Long.divideUnsigned(a, b);
    }

    static long remu(long a, long b) {
        return b == 0 ? a : Long.remainderUnsigned(a, b);
    }

    static long divuw(int a, int b) {
        return b == 0 ? -1L : Integer.divideUnsigned(a, b);
    }

    static long remuw(int a, int b) {
        return b == 0 ? a : Integer.remainderUnsigned(a, b);
    }

    static long mulhsu(long a, long b) {
        return Math.multiplyHigh(a, b) + (b < 0 ? a : 0);
    }

    static long rem(long a, long b) {
        if (b == 0) return a;
        if (a == Long.MIN_VALUE && b == -1) return 0;
        return a % b;
    }

    static long divw(int a, int b) {
        if (b == 0) return -1;
        if (a == Integer.MIN_VALUE && b == -1) return a;
        return a / b;
    }

    static long remw(int a, int b) {
        if (b == 0) return a;
        if (a == Integer.MIN_VALUE && b == -1) return 0;
        return a % b;
    }

    private static void atomic(Hart h, Insn in) {
        final long[] x = h.x;
        final Mmu m = h.mmu;
        long a = x[in.rs1];
        switch (in.op) {
            case LR_W -> { long v = m.loadReserved32(a); h.reservationAddr = a; h.reservationValue = v; h.reservationValid = true; x[in.rd] = v; }
            case LR_D -> { long v = m.loadReserved64(a); h.reservationAddr = a; h.reservationValue = v; h.reservationValid = true; x[in.rd] = v; }
            case SC_W -> {
                m.probeStore(a, 4);
                boolean ok = h.reservationValid && h.reservationAddr == a
                        && m.storeConditional32(a, (int) h.reservationValue, (int) x[in.rs2]);
                h.reservationValid = false;
                x[in.rd] = ok ? 0 : 1;
            }
            case SC_D -> {
                m.probeStore(a, 8);
                boolean ok = h.reservationValid && h.reservationAddr == a
                        && m.storeConditional64(a, h.reservationValue, x[in.rs2]);
                h.reservationValid = false;
                x[in.rd] = ok ? 0 : 1;
            }
            default -> {
                long v = in.op <= AMOMAXU_W ? m.amo32(in.op, a, x[in.rs2]) : m.amo64(in.op, a, x[in.rs2]);
                x[in.rd] = v;
            }
        }
    }

    /** Zicsr on the user CSRs; false if the access is illegal. */
    private static boolean csr(Hart h, Insn in, long instretNow) {
        int csr = in.rm;
        int op = in.op;
        boolean immediate = op >= CSRRWI;
        long src = immediate ? in.rs1 : h.x[in.rs1];
        boolean writes = op == CSRRW || op == CSRRWI || in.rs1 != 0;
        if (writes && Csr.readOnly(csr)) return false;
        long old;
        switch (csr) {
            case Csr.FFLAGS -> old = h.fpu.fflags;
            case Csr.FRM -> old = h.frm;
            case Csr.FCSR -> old = h.fcsr();
            case Csr.CYCLE, Csr.INSTRET -> old = instretNow - 1;
            case Csr.TIME -> old = h.timeSource.ticks();
            default -> { return false; }
        }
        if (writes) {
            long nv = switch (op) {
                case CSRRW, CSRRWI -> src;
                case CSRRS, CSRRSI -> old | src;
                default -> old & ~src;
            };
            switch (csr) {
                case Csr.FFLAGS -> h.fpu.fflags = (int) nv & 0x1f;
                case Csr.FRM -> h.frm = (int) nv & 7;
                default -> h.setFcsr((int) nv & 0xff);
            }
        }
        h.x[in.rd] = old;
        return true;
    }
}
