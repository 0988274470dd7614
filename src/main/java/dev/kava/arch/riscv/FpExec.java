package dev.kava.arch.riscv;

import static dev.kava.arch.riscv.Op.*;

import dev.kava.arch.riscv.fpu.Fpu;

/**
 * Executes the F and D extension's register operations (loads and stores are in the
 * interpreter, with the other memory accesses). Kept apart from the integer loop so that the
 * hot method stays small enough for the JIT.
 */
final class FpExec {
    private FpExec() {}

    private static final int SIGN_S = 0x80000000;
    private static final long SIGN_D = 0x8000000000000000L;

    /** Executes in; returns false if it is illegal (dynamic rounding with an invalid frm). */
    static boolean exec(Hart h, Insn in) {
        final long[] x = h.x, f = h.f;
        final Fpu u = h.fpu;
        int rm = in.rm == 7 ? h.frm : in.rm;
        if (rm > 4 && usesRoundingMode(in.op)) return false;
        switch (in.op) {
            case FADD_S -> f[in.rd] = Fpu.boxS(u.addS(s(f, in.rs1), s(f, in.rs2), rm));
            case FSUB_S -> f[in.rd] = Fpu.boxS(u.subS(s(f, in.rs1), s(f, in.rs2), rm));
            case FMUL_S -> f[in.rd] = Fpu.boxS(u.mulS(s(f, in.rs1), s(f, in.rs2), rm));
            case FDIV_S -> f[in.rd] = Fpu.boxS(u.divS(s(f, in.rs1), s(f, in.rs2), rm));
            case FSQRT_S -> f[in.rd] = Fpu.boxS(u.sqrtS(s(f, in.rs1), rm));
            case FMADD_S -> f[in.rd] = Fpu.boxS(u.fmaS(s(f, in.rs1), s(f, in.rs2), s(f, in.rs3), rm));
            case FMSUB_S -> f[in.rd] = Fpu.boxS(u.fmaS(s(f, in.rs1), s(f, in.rs2), s(f, in.rs3) ^ SIGN_S, rm));
            case FNMSUB_S -> f[in.rd] = Fpu.boxS(u.fmaS(s(f, in.rs1) ^ SIGN_S, s(f, in.rs2), s(f, in.rs3), rm));
            case FNMADD_S -> f[in.rd] = Fpu.boxS(u.fmaS(s(f, in.rs1) ^ SIGN_S, s(f, in.rs2), s(f, in.rs3) ^ SIGN_S, rm));
            case FSGNJ_S -> f[in.rd] = Fpu.boxS((s(f, in.rs1) & ~SIGN_S) | (s(f, in.rs2) & SIGN_S));
            case FSGNJN_S -> f[in.rd] = Fpu.boxS((s(f, in.rs1) & ~SIGN_S) | (~s(f, in.rs2) & SIGN_S));
            case FSGNJX_S -> f[in.rd] = Fpu.boxS(s(f, in.rs1) ^ (s(f, in.rs2) & SIGN_S));
            case FMIN_S -> f[in.rd] = Fpu.boxS(u.minS(s(f, in.rs1), s(f, in.rs2)));
            case FMAX_S -> f[in.rd] = Fpu.boxS(u.maxS(s(f, in.rs1), s(f, in.rs2)));
            case FEQ_S -> x[in.rd] = u.eqS(s(f, in.rs1), s(f, in.rs2));
            case FLT_S -> x[in.rd] = u.ltS(s(f, in.rs1), s(f, in.rs2));
            case FLE_S -> x[in.rd] = u.leS(s(f, in.rs1), s(f, in.rs2));
            case FCLASS_S -> x[in.rd] = Fpu.classS(s(f, in.rs1));
            case FCVT_W_S -> x[in.rd] = u.cvtWS(s(f, in.rs1), rm);
            case FCVT_WU_S -> x[in.rd] = u.cvtWuS(s(f, in.rs1), rm);
            case FCVT_L_S -> x[in.rd] = u.cvtLS(s(f, in.rs1), rm);
            case FCVT_LU_S -> x[in.rd] = u.cvtLuS(s(f, in.rs1), rm);
            case FCVT_S_W -> f[in.rd] = Fpu.boxS(u.cvtSW(x[in.rs1], rm));
            case FCVT_S_WU -> f[in.rd] = Fpu.boxS(u.cvtSWu(x[in.rs1], rm));
            case FCVT_S_L -> f[in.rd] = Fpu.boxS(u.cvtSL(x[in.rs1], rm));
            case FCVT_S_LU -> f[in.rd] = Fpu.boxS(u.cvtSLu(x[in.rs1], rm));
            case FMV_X_W -> x[in.rd] = (int) f[in.rs1];
            case FMV_W_X -> f[in.rd] = Fpu.boxS((int) x[in.rs1]);

            case FADD_D -> f[in.rd] = u.addD(f[in.rs1], f[in.rs2], rm);
            case FSUB_D -> f[in.rd] = u.subD(f[in.rs1], f[in.rs2], rm);
            case FMUL_D -> f[in.rd] = u.mulD(f[in.rs1], f[in.rs2], rm);
            case FDIV_D -> f[in.rd] = u.divD(f[in.rs1], f[in.rs2], rm);
            case FSQRT_D -> f[in.rd] = u.sqrtD(f[in.rs1], rm);
            case FMADD_D -> f[in.rd] = u.fmaD(f[in.rs1], f[in.rs2], f[in.rs3], rm);
            case FMSUB_D -> f[in.rd] = u.fmaD(f[in.rs1], f[in.rs2], f[in.rs3] ^ SIGN_D, rm);
            case FNMSUB_D -> f[in.rd] = u.fmaD(f[in.rs1] ^ SIGN_D, f[in.rs2], f[in.rs3], rm);
            case FNMADD_D -> f[in.rd] = u.fmaD(f[in.rs1] ^ SIGN_D, f[in.rs2], f[in.rs3] ^ SIGN_D, rm);
            case FSGNJ_D -> f[in.rd] = (f[in.rs1] & ~SIGN_D) | (f[in.rs2] & SIGN_D);
            case FSGNJN_D -> f[in.rd] = (f[in.rs1] & ~SIGN_D) | (~f[in.rs2] & SIGN_D);
            case FSGNJX_D -> f[in.rd] = f[in.rs1] ^ (f[in.rs2] & SIGN_D);
            case FMIN_D -> f[in.rd] = u.minD(f[in.rs1], f[in.rs2]);
            case FMAX_D -> f[in.rd] = u.maxD(f[in.rs1], f[in.rs2]);
            case FEQ_D -> x[in.rd] = u.eqD(f[in.rs1], f[in.rs2]);
            case FLT_D -> x[in.rd] = u.ltD(f[in.rs1], f[in.rs2]);
            case FLE_D -> x[in.rd] = u.leD(f[in.rs1], f[in.rs2]);
            case FCLASS_D -> x[in.rd] = Fpu.classD(f[in.rs1]);
            case FCVT_W_D -> x[in.rd] = u.cvtWD(f[in.rs1], rm);
            case FCVT_WU_D -> x[in.rd] = u.cvtWuD(f[in.rs1], rm);
            case FCVT_L_D -> x[in.rd] = u.cvtLD(f[in.rs1], rm);
            case FCVT_LU_D -> x[in.rd] = u.cvtLuD(f[in.rs1], rm);
            case FCVT_D_W -> f[in.rd] = u.cvtDW(x[in.rs1], rm);
            case FCVT_D_WU -> f[in.rd] = u.cvtDWu(x[in.rs1], rm);
            case FCVT_D_L -> f[in.rd] = u.cvtDL(x[in.rs1], rm);
            case FCVT_D_LU -> f[in.rd] = u.cvtDLu(x[in.rs1], rm);
            case FMV_X_D -> x[in.rd] = f[in.rs1];
            case FMV_D_X -> f[in.rd] = x[in.rs1];
            case FCVT_S_D -> f[in.rd] = Fpu.boxS(u.cvtSD(f[in.rs1], rm));
            case FCVT_D_S -> f[in.rd] = u.cvtDS(s(f, in.rs1));
            default -> { return false; }
        }
        return true;
    }

    /** A single-precision operand: the NaN-boxed value in f[r], or the canonical NaN if not boxed. */
    private static int s(long[] f, int r) {
        return Fpu.unboxS(f[r]);
    }

    /** Whether the instruction rounds (so a dynamic rm with an invalid frm makes it illegal). */
    private static boolean usesRoundingMode(int op) {
        return switch (op) {
            case FSGNJ_S, FSGNJN_S, FSGNJX_S, FMIN_S, FMAX_S, FEQ_S, FLT_S, FLE_S, FCLASS_S, FMV_X_W, FMV_W_X,
                 FSGNJ_D, FSGNJN_D, FSGNJX_D, FMIN_D, FMAX_D, FEQ_D, FLT_D, FLE_D, FCLASS_D, FMV_X_D, FMV_D_X -> false;
            default -> true;
        };
    }
}
