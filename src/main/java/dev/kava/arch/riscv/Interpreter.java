package dev.kava.arch.riscv;

import static dev.kava.arch.riscv.Op.*;

import java.lang.invoke.VarHandle;

/**
 * The execution engine: runs decoded instructions until a trap, an attention request or the
 * budget. Decoding is cached per code page by {@link Mmu#codeSlots}/{@link Mmu#decodeAt}, so a
 * later translating JIT can replace this class without touching decode or the kernel boundary.
 *
 * <p>Budget and attention are checked at taken branches, jumps and page changes: straight-line
 * code inside one page is at most 2048 instructions, so the check interval stays bounded.
 */
final class Interpreter {
    private Interpreter() {}

    private static final long PAGE_MASK = ~0xfffL;

    static int run(Hart h, long budget) {
        final long[] x = h.x;
        final Mmu m = h.mmu;
        long pc = h.pc;
        long n = 0;
        Insn[] slots = null;
        long base = -1;
        if (h.attention != 0) {
            int r = attend(h);
            if (r != 0) return r;
        }
        try {
            for (;;) {
                if ((pc & PAGE_MASK) != base) {
                    if (n >= budget || h.attention != 0) {
                        int r = n >= budget ? Trap.BUDGET_EXHAUSTED : attend(h);
                        if (r != 0) {
                            h.pc = pc;
                            h.instret += n;
                            return r;
                        }
                    }
                    slots = m.codeSlots(pc);
                    base = pc & PAGE_MASK;
                }
                Insn in = slots[(int) (pc & 0xfff) >>> 1];
                if (in == null) in = m.decodeAt(slots, pc);
                n++;
                switch (in.op) {
                    case ADDI: x[in.rd] = x[in.rs1] + in.imm; pc += in.len; continue;
                    case ADD: x[in.rd] = x[in.rs1] + x[in.rs2]; pc += in.len; continue;
                    case LD: x[in.rd] = m.load64(x[in.rs1] + in.imm); pc += in.len; continue;
                    case SD: m.store64(x[in.rs1] + in.imm, x[in.rs2]); pc += in.len; if (m.codeModified) base = codeChanged(m); continue;
                    case LW: x[in.rd] = m.load32(x[in.rs1] + in.imm); pc += in.len; continue;
                    case SW: m.store32(x[in.rs1] + in.imm, x[in.rs2]); pc += in.len; if (m.codeModified) base = codeChanged(m); continue;
                    case LBU: x[in.rd] = m.load8(x[in.rs1] + in.imm) & 0xff; pc += in.len; continue;
                    case LB: x[in.rd] = m.load8(x[in.rs1] + in.imm); pc += in.len; continue;
                    case LH: x[in.rd] = m.load16(x[in.rs1] + in.imm); pc += in.len; continue;
                    case LHU: x[in.rd] = m.load16(x[in.rs1] + in.imm) & 0xffff; pc += in.len; continue;
                    case LWU: x[in.rd] = m.load32(x[in.rs1] + in.imm) & 0xffffffffL; pc += in.len; continue;
                    case SB: m.store8(x[in.rs1] + in.imm, x[in.rs2]); pc += in.len; if (m.codeModified) base = codeChanged(m); continue;
                    case SH: m.store16(x[in.rs1] + in.imm, x[in.rs2]); pc += in.len; if (m.codeModified) base = codeChanged(m); continue;
                    case ADDIW: x[in.rd] = (int) (x[in.rs1] + in.imm); pc += in.len; continue;
                    case ADDW: x[in.rd] = (int) (x[in.rs1] + x[in.rs2]); pc += in.len; continue;
                    case SUB: x[in.rd] = x[in.rs1] - x[in.rs2]; pc += in.len; continue;
                    case SUBW: x[in.rd] = (int) (x[in.rs1] - x[in.rs2]); pc += in.len; continue;
                    case LUI: x[in.rd] = in.imm; pc += in.len; continue;
                    case AUIPC: x[in.rd] = pc + in.imm; pc += in.len; continue;
                    case SLTI: x[in.rd] = x[in.rs1] < in.imm ? 1 : 0; pc += in.len; continue;
                    case SLTIU: x[in.rd] = Long.compareUnsigned(x[in.rs1], in.imm) < 0 ? 1 : 0; pc += in.len; continue;
                    case XORI: x[in.rd] = x[in.rs1] ^ in.imm; pc += in.len; continue;
                    case ORI: x[in.rd] = x[in.rs1] | in.imm; pc += in.len; continue;
                    case ANDI: x[in.rd] = x[in.rs1] & in.imm; pc += in.len; continue;
                    case SLLI: x[in.rd] = x[in.rs1] << in.imm; pc += in.len; continue;
                    case SRLI: x[in.rd] = x[in.rs1] >>> in.imm; pc += in.len; continue;
                    case SRAI: x[in.rd] = x[in.rs1] >> in.imm; pc += in.len; continue;
                    case SLL: x[in.rd] = x[in.rs1] << x[in.rs2]; pc += in.len; continue;
                    case SLT: x[in.rd] = x[in.rs1] < x[in.rs2] ? 1 : 0; pc += in.len; continue;
                    case SLTU: x[in.rd] = Long.compareUnsigned(x[in.rs1], x[in.rs2]) < 0 ? 1 : 0; pc += in.len; continue;
                    case XOR: x[in.rd] = x[in.rs1] ^ x[in.rs2]; pc += in.len; continue;
                    case SRL: x[in.rd] = x[in.rs1] >>> x[in.rs2]; pc += in.len; continue;
                    case SRA: x[in.rd] = x[in.rs1] >> x[in.rs2]; pc += in.len; continue;
                    case OR: x[in.rd] = x[in.rs1] | x[in.rs2]; pc += in.len; continue;
                    case AND: x[in.rd] = x[in.rs1] & x[in.rs2]; pc += in.len; continue;
                    case SLLIW: x[in.rd] = (int) x[in.rs1] << in.imm; pc += in.len; continue;
                    case SRLIW: x[in.rd] = (int) x[in.rs1] >>> in.imm; pc += in.len; continue;
                    case SRAIW: x[in.rd] = (int) x[in.rs1] >> in.imm; pc += in.len; continue;
                    case SLLW: x[in.rd] = (int) x[in.rs1] << x[in.rs2]; pc += in.len; continue;
                    case SRLW: x[in.rd] = (int) x[in.rs1] >>> x[in.rs2]; pc += in.len; continue;
                    case SRAW: x[in.rd] = (int) x[in.rs1] >> x[in.rs2]; pc += in.len; continue;

                    case BEQ: if (x[in.rs1] == x[in.rs2]) { pc += in.imm; break; } pc += in.len; continue;
                    case BNE: if (x[in.rs1] != x[in.rs2]) { pc += in.imm; break; } pc += in.len; continue;
                    case BLT: if (x[in.rs1] < x[in.rs2]) { pc += in.imm; break; } pc += in.len; continue;
                    case BGE: if (x[in.rs1] >= x[in.rs2]) { pc += in.imm; break; } pc += in.len; continue;
                    case BLTU: if (Long.compareUnsigned(x[in.rs1], x[in.rs2]) < 0) { pc += in.imm; break; } pc += in.len; continue;
                    case BGEU: if (Long.compareUnsigned(x[in.rs1], x[in.rs2]) >= 0) { pc += in.imm; break; } pc += in.len; continue;
                    case JAL: x[in.rd] = pc + in.len; pc += in.imm; break;
                    case JALR: { long t = (x[in.rs1] + in.imm) & ~1L; x[in.rd] = pc + in.len; pc = t; break; }

                    case MUL: x[in.rd] = x[in.rs1] * x[in.rs2]; pc += in.len; continue;
                    case MULW: x[in.rd] = (int) x[in.rs1] * (int) x[in.rs2]; pc += in.len; continue;
                    case MULH: x[in.rd] = Math.multiplyHigh(x[in.rs1], x[in.rs2]); pc += in.len; continue;
                    case MULHU: x[in.rd] = Math.unsignedMultiplyHigh(x[in.rs1], x[in.rs2]); pc += in.len; continue;
                    case MULHSU: { long a = x[in.rs1], b = x[in.rs2]; x[in.rd] = Math.multiplyHigh(a, b) + (b < 0 ? a : 0); pc += in.len; continue; }
                    case DIV: x[in.rd] = div(x[in.rs1], x[in.rs2]); pc += in.len; continue;
                    case DIVU: { long b = x[in.rs2]; x[in.rd] = b == 0 ? -1L : Long.divideUnsigned(x[in.rs1], b); pc += in.len; continue; }
                    case REM: x[in.rd] = rem(x[in.rs1], x[in.rs2]); pc += in.len; continue;
                    case REMU: { long b = x[in.rs2]; x[in.rd] = b == 0 ? x[in.rs1] : Long.remainderUnsigned(x[in.rs1], b); pc += in.len; continue; }
                    case DIVW: x[in.rd] = divw((int) x[in.rs1], (int) x[in.rs2]); pc += in.len; continue;
                    case DIVUW: { int b = (int) x[in.rs2]; x[in.rd] = b == 0 ? -1L : Integer.divideUnsigned((int) x[in.rs1], b); pc += in.len; continue; }
                    case REMW: x[in.rd] = remw((int) x[in.rs1], (int) x[in.rs2]); pc += in.len; continue;
                    case REMUW: { int b = (int) x[in.rs2]; x[in.rd] = b == 0 ? (int) x[in.rs1] : Integer.remainderUnsigned((int) x[in.rs1], b); pc += in.len; continue; }

                    case FLD: h.f[in.rd] = m.load64(x[in.rs1] + in.imm); pc += in.len; continue;
                    case FSD: m.store64(x[in.rs1] + in.imm, h.f[in.rs2]); pc += in.len; if (m.codeModified) base = codeChanged(m); continue;
                    case FLW: h.f[in.rd] = 0xffffffff00000000L | (m.load32(x[in.rs1] + in.imm) & 0xffffffffL); pc += in.len; continue;
                    case FSW: m.store32(x[in.rs1] + in.imm, h.f[in.rs2]); pc += in.len; if (m.codeModified) base = codeChanged(m); continue;

                    case ECALL: h.pc = pc; h.instret += n - 1; return Trap.ECALL_U;
                    case EBREAK: h.pc = pc; h.trapValue = pc; h.instret += n - 1; return Trap.BREAKPOINT;
                    case ILLEGAL: h.pc = pc; h.trapValue = in.bits & (in.len == 2 ? 0xffffL : 0xffffffffL); h.instret += n - 1; return Trap.ILLEGAL_INSN;
                    case FENCE: VarHandle.fullFence(); pc += in.len; continue;
                    case FENCE_I: h.flushIcache(); pc += in.len; base = -1; continue;

                    default:
                        if (in.op >= FIRST_FP) {
                            if (!FpExec.exec(h, in)) { h.pc = pc; h.trapValue = in.bits & 0xffffffffL; h.instret += n - 1; return Trap.ILLEGAL_INSN; }
                        } else if (in.op >= FIRST_CSR) {
                            if (!csr(h, in, h.instret + n)) { h.pc = pc; h.trapValue = in.bits & 0xffffffffL; h.instret += n - 1; return Trap.ILLEGAL_INSN; }
                        } else if (in.op >= FIRST_ATOMIC) {
                            atomic(h, in);
                        } else {
                            x[in.rd] = BitManip.exec(in.op, x[in.rs1], x[in.rs2], in.imm);
                        }
                        pc += in.len;
                        continue;
                }
                // Only taken branches and jumps arrive here.
                if (n >= budget || h.attention != 0) {
                    int r = n >= budget ? Trap.BUDGET_EXHAUSTED : attend(h);
                    if (r != 0) {
                        h.pc = pc;
                        h.instret += n;
                        return r;
                    }
                    base = -1;
                }
            }
        } catch (MemoryFault f) {
            h.pc = pc;
            h.trapValue = f.addr;
            h.instret += n - 1;
            return f.cause;
        }
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
