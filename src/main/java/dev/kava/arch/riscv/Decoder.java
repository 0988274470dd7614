package dev.kava.arch.riscv;

import static dev.kava.arch.riscv.Op.*;

/**
 * Decodes RV64GC + Zba/Zbb/Zbs instruction bits into {@link Insn}s (the RISC-V unprivileged
 * ISA, chapters RV32I/RV64I, M, A, F, D, C, Zicsr, Zifencei, B). Compressed instructions are
 * expanded to their 32-bit equivalents. Anything that is not a valid user-mode instruction of
 * the implemented extensions decodes to {@link Op#ILLEGAL}.
 */
public final class Decoder {
    private Decoder() {}

    /** Instruction length from the low bits of its first parcel: 2 if compressed, else 4. */
    public static int length(int firstParcel) {
        return (firstParcel & 3) == 3 ? 4 : 2;
    }

    public static Insn decode(int bits) {
        return (bits & 3) == 3 ? decode32(bits) : decode16(bits & 0xffff);
    }

    private static Insn illegal(int bits, int len) {
        return new Insn(ILLEGAL, Insn.X_SINK, 0, 0, 0, 0, 0, len, bits);
    }

    /** rd as a destination: x0 is redirected to the sink. */
    private static int dst(int rd) {
        return rd == 0 ? Insn.X_SINK : rd;
    }

    private static Insn r(int op, int rd, int rs1, int rs2, int bits) {
        return new Insn(op, dst(rd), rs1, rs2, 0, 0, 0, 4, bits);
    }

    private static Insn i(int op, int rd, int rs1, long imm, int bits) {
        return new Insn(op, dst(rd), rs1, 0, 0, 0, imm, 4, bits);
    }

    /** An instruction whose rd names a floating-point register (no sink redirection). */
    private static Insn f(int op, int rd, int rs1, int rs2, int rs3, int rm, long imm, int len, int bits) {
        return new Insn(op, rd, rs1, rs2, rs3, rm, imm, len, bits);
    }

    private static Insn decode32(int b) {
        int opcode = b & 0x7f;
        int rd = (b >>> 7) & 31, f3 = (b >>> 12) & 7, rs1 = (b >>> 15) & 31, rs2 = (b >>> 20) & 31;
        int f7 = b >>> 25;
        long immI = b >> 20;
        return switch (opcode) {
            case 0x37 -> i(LUI, rd, 0, b & 0xfffff000, b);
            case 0x17 -> i(AUIPC, rd, 0, b & 0xfffff000, b);
            case 0x6f -> i(JAL, rd, 0, immJ(b), b);
            case 0x67 -> f3 == 0 ? i(JALR, rd, rs1, immI, b) : illegal(b, 4);
            case 0x63 -> {
                int op = switch (f3) {
                    case 0 -> BEQ; case 1 -> BNE; case 4 -> BLT; case 5 -> BGE; case 6 -> BLTU; case 7 -> BGEU;
                    default -> ILLEGAL;
                };
                yield op == ILLEGAL ? illegal(b, 4) : new Insn(op, Insn.X_SINK, rs1, rs2, 0, 0, immB(b), 4, b);
            }
            case 0x03 -> {
                int op = switch (f3) {
                    case 0 -> LB; case 1 -> LH; case 2 -> LW; case 3 -> LD; case 4 -> LBU; case 5 -> LHU; case 6 -> LWU;
                    default -> ILLEGAL;
                };
                yield op == ILLEGAL ? illegal(b, 4) : i(op, rd, rs1, immI, b);
            }
            case 0x23 -> {
                int op = switch (f3) { case 0 -> SB; case 1 -> SH; case 2 -> SW; case 3 -> SD; default -> ILLEGAL; };
                yield op == ILLEGAL ? illegal(b, 4) : new Insn(op, Insn.X_SINK, rs1, rs2, 0, 0, immS(b), 4, b);
            }
            case 0x13 -> opImm(b, rd, f3, rs1, immI);
            case 0x1b -> opImm32(b, rd, f3, rs1, immI);
            case 0x33 -> op(b, rd, f3, rs1, rs2, f7);
            case 0x3b -> op32(b, rd, f3, rs1, rs2, f7);
            case 0x0f -> switch (f3) {
                case 0 -> i(FENCE, 0, 0, 0, b);
                case 1 -> i(FENCE_I, 0, 0, 0, b);
                default -> illegal(b, 4);
            };
            case 0x73 -> system(b, rd, f3, rs1);
            case 0x2f -> amo(b, rd, f3, rs1, rs2);
            case 0x07 -> switch (f3) {
                case 2 -> f(FLW, rd, rs1, 0, 0, 0, immI, 4, b);
                case 3 -> f(FLD, rd, rs1, 0, 0, 0, immI, 4, b);
                default -> illegal(b, 4);
            };
            case 0x27 -> switch (f3) {
                case 2 -> f(FSW, 0, rs1, rs2, 0, 0, immS(b), 4, b);
                case 3 -> f(FSD, 0, rs1, rs2, 0, 0, immS(b), 4, b);
                default -> illegal(b, 4);
            };
            case 0x43, 0x47, 0x4b, 0x4f -> fma(b, opcode, rd, f3, rs1, rs2);
            case 0x53 -> opFp(b, rd, f3, rs1, rs2, f7);
            default -> illegal(b, 4);
        };
    }

    static long immS(int b) {
        return ((b >> 25) << 5) | ((b >>> 7) & 31);
    }

    static long immB(int b) {
        return ((long) (b >> 31) << 12) | (((b >>> 7) & 1) << 11) | (((b >>> 25) & 0x3f) << 5) | (((b >>> 8) & 0xf) << 1);
    }

    static long immJ(int b) {
        return ((long) (b >> 31) << 20) | (b & 0xff000) | (((b >>> 20) & 1) << 11) | (((b >>> 21) & 0x3ff) << 1);
    }

    private static Insn opImm(int b, int rd, int f3, int rs1, long imm) {
        int shamt = (b >>> 20) & 63, f6 = b >>> 26, imm12 = b >>> 20;
        return switch (f3) {
            case 0 -> i(ADDI, rd, rs1, imm, b);
            case 2 -> i(SLTI, rd, rs1, imm, b);
            case 3 -> i(SLTIU, rd, rs1, imm, b);
            case 4 -> i(XORI, rd, rs1, imm, b);
            case 6 -> i(ORI, rd, rs1, imm, b);
            case 7 -> i(ANDI, rd, rs1, imm, b);
            case 1 -> switch (f6) {
                case 0x00 -> i(SLLI, rd, rs1, shamt, b);
                case 0x12 -> i(BCLRI, rd, rs1, shamt, b);
                case 0x1a -> i(BINVI, rd, rs1, shamt, b);
                case 0x0a -> i(BSETI, rd, rs1, shamt, b);
                case 0x18 -> switch (imm12) {
                    case 0x600 -> i(CLZ, rd, rs1, 0, b);
                    case 0x601 -> i(CTZ, rd, rs1, 0, b);
                    case 0x602 -> i(CPOP, rd, rs1, 0, b);
                    case 0x604 -> i(SEXT_B, rd, rs1, 0, b);
                    case 0x605 -> i(SEXT_H, rd, rs1, 0, b);
                    default -> illegal(b, 4);
                };
                default -> illegal(b, 4);
            };
            case 5 -> {
                if (imm12 == 0x287) yield i(ORC_B, rd, rs1, 0, b);
                if (imm12 == 0x6b8) yield i(REV8, rd, rs1, 0, b);
                yield switch (f6) {
                    case 0x00 -> i(SRLI, rd, rs1, shamt, b);
                    case 0x10 -> i(SRAI, rd, rs1, shamt, b);
                    case 0x18 -> i(RORI, rd, rs1, shamt, b);
                    case 0x12 -> i(BEXTI, rd, rs1, shamt, b);
                    default -> illegal(b, 4);
                };
            }
            default -> illegal(b, 4);
        };
    }

    private static Insn opImm32(int b, int rd, int f3, int rs1, long imm) {
        int shamt = (b >>> 20) & 31, f7 = b >>> 25, imm12 = b >>> 20;
        return switch (f3) {
            case 0 -> i(ADDIW, rd, rs1, imm, b);
            case 1 -> {
                if (f7 == 0x00) yield i(SLLIW, rd, rs1, shamt, b);
                if ((b >>> 26) == 0x02) yield i(SLLI_UW, rd, rs1, (b >>> 20) & 63, b);
                yield switch (imm12) {
                    case 0x600 -> i(CLZW, rd, rs1, 0, b);
                    case 0x601 -> i(CTZW, rd, rs1, 0, b);
                    case 0x602 -> i(CPOPW, rd, rs1, 0, b);
                    default -> illegal(b, 4);
                };
            }
            case 5 -> switch (f7) {
                case 0x00 -> i(SRLIW, rd, rs1, shamt, b);
                case 0x20 -> i(SRAIW, rd, rs1, shamt, b);
                case 0x30 -> i(RORIW, rd, rs1, shamt, b);
                default -> illegal(b, 4);
            };
            default -> illegal(b, 4);
        };
    }

    private static Insn op(int b, int rd, int f3, int rs1, int rs2, int f7) {
        int op = switch (f7) {
            case 0x00 -> switch (f3) {
                case 0 -> ADD; case 1 -> SLL; case 2 -> SLT; case 3 -> SLTU; case 4 -> XOR; case 5 -> SRL; case 6 -> OR; default -> AND;
            };
            case 0x20 -> switch (f3) { case 0 -> SUB; case 5 -> SRA; case 4 -> XNOR; case 6 -> ORN; case 7 -> ANDN; default -> ILLEGAL; };
            case 0x01 -> switch (f3) {
                case 0 -> MUL; case 1 -> MULH; case 2 -> MULHSU; case 3 -> MULHU; case 4 -> DIV; case 5 -> DIVU; case 6 -> REM; default -> REMU;
            };
            case 0x10 -> switch (f3) { case 2 -> SH1ADD; case 4 -> SH2ADD; case 6 -> SH3ADD; default -> ILLEGAL; };
            case 0x05 -> switch (f3) { case 4 -> MIN; case 5 -> MINU; case 6 -> MAX; case 7 -> MAXU; default -> ILLEGAL; };
            case 0x30 -> switch (f3) { case 1 -> ROL; case 5 -> ROR; default -> ILLEGAL; };
            case 0x24 -> switch (f3) { case 1 -> BCLR; case 5 -> BEXT; default -> ILLEGAL; };
            case 0x34 -> f3 == 1 ? BINV : ILLEGAL;
            case 0x14 -> f3 == 1 ? BSET : ILLEGAL;
            default -> ILLEGAL;
        };
        return op == ILLEGAL ? illegal(b, 4) : r(op, rd, rs1, rs2, b);
    }

    private static Insn op32(int b, int rd, int f3, int rs1, int rs2, int f7) {
        int op = switch (f7) {
            case 0x00 -> switch (f3) { case 0 -> ADDW; case 1 -> SLLW; case 5 -> SRLW; default -> ILLEGAL; };
            case 0x20 -> switch (f3) { case 0 -> SUBW; case 5 -> SRAW; default -> ILLEGAL; };
            case 0x01 -> switch (f3) { case 0 -> MULW; case 4 -> DIVW; case 5 -> DIVUW; case 6 -> REMW; case 7 -> REMUW; default -> ILLEGAL; };
            case 0x04 -> f3 == 0 ? ADD_UW : (f3 == 4 && rs2 == 0 ? ZEXT_H : ILLEGAL);
            case 0x10 -> switch (f3) { case 2 -> SH1ADD_UW; case 4 -> SH2ADD_UW; case 6 -> SH3ADD_UW; default -> ILLEGAL; };
            case 0x30 -> switch (f3) { case 1 -> ROLW; case 5 -> RORW; default -> ILLEGAL; };
            default -> ILLEGAL;
        };
        return op == ILLEGAL ? illegal(b, 4) : r(op, rd, rs1, rs2, b);
    }

    private static Insn system(int b, int rd, int f3, int rs1) {
        int csr = b >>> 20;
        int op = switch (f3) {
            case 0 -> {
                if (rd != 0 || rs1 != 0) yield ILLEGAL;
                yield csr == 0 ? ECALL : csr == 1 ? EBREAK : ILLEGAL;
            }
            case 1 -> CSRRW; case 2 -> CSRRS; case 3 -> CSRRC; case 5 -> CSRRWI; case 6 -> CSRRSI; case 7 -> CSRRCI;
            default -> ILLEGAL;
        };
        if (op == ILLEGAL) return illegal(b, 4);
        // For CSR instructions rm carries the CSR number and rs1 the source register or 5-bit immediate.
        return new Insn(op, dst(rd), rs1, 0, 0, csr, rs1, 4, b);
    }

    private static Insn amo(int b, int rd, int f3, int rs1, int rs2) {
        if (f3 != 2 && f3 != 3) return illegal(b, 4);
        boolean dw = f3 == 3;
        int op = switch (b >>> 27) {
            case 0x02 -> rs2 == 0 ? (dw ? LR_D : LR_W) : ILLEGAL;
            case 0x03 -> dw ? SC_D : SC_W;
            case 0x01 -> dw ? AMOSWAP_D : AMOSWAP_W;
            case 0x00 -> dw ? AMOADD_D : AMOADD_W;
            case 0x04 -> dw ? AMOXOR_D : AMOXOR_W;
            case 0x0c -> dw ? AMOAND_D : AMOAND_W;
            case 0x08 -> dw ? AMOOR_D : AMOOR_W;
            case 0x10 -> dw ? AMOMIN_D : AMOMIN_W;
            case 0x14 -> dw ? AMOMAX_D : AMOMAX_W;
            case 0x18 -> dw ? AMOMINU_D : AMOMINU_W;
            case 0x1c -> dw ? AMOMAXU_D : AMOMAXU_W;
            default -> ILLEGAL;
        };
        return op == ILLEGAL ? illegal(b, 4) : r(op, rd, rs1, rs2, b);
    }

    /** Rounding mode fields 5 and 6 are reserved: the instruction is illegal whatever frm holds. */
    private static boolean validRm(int rm) {
        return rm != 5 && rm != 6;
    }

    private static Insn fma(int b, int opcode, int rd, int rm, int rs1, int rs2) {
        int fmt = (b >>> 25) & 3, rs3 = b >>> 27;
        if (fmt > 1 || !validRm(rm)) return illegal(b, 4);
        boolean d = fmt == 1;
        int op = switch (opcode) {
            case 0x43 -> d ? FMADD_D : FMADD_S;
            case 0x47 -> d ? FMSUB_D : FMSUB_S;
            case 0x4b -> d ? FNMSUB_D : FNMSUB_S;
            default -> d ? FNMADD_D : FNMADD_S;
        };
        return f(op, rd, rs1, rs2, rs3, rm, 0, 4, b);
    }

    private static Insn opFp(int b, int rd, int f3, int rs1, int rs2, int f7) {
        int op;
        boolean intDest = false, usesRm = false;
        switch (f7) {
            case 0x00 -> { op = FADD_S; usesRm = true; }
            case 0x01 -> { op = FADD_D; usesRm = true; }
            case 0x04 -> { op = FSUB_S; usesRm = true; }
            case 0x05 -> { op = FSUB_D; usesRm = true; }
            case 0x08 -> { op = FMUL_S; usesRm = true; }
            case 0x09 -> { op = FMUL_D; usesRm = true; }
            case 0x0c -> { op = FDIV_S; usesRm = true; }
            case 0x0d -> { op = FDIV_D; usesRm = true; }
            case 0x2c -> { op = rs2 == 0 ? FSQRT_S : ILLEGAL; usesRm = true; }
            case 0x2d -> { op = rs2 == 0 ? FSQRT_D : ILLEGAL; usesRm = true; }
            case 0x10 -> op = switch (f3) { case 0 -> FSGNJ_S; case 1 -> FSGNJN_S; case 2 -> FSGNJX_S; default -> ILLEGAL; };
            case 0x11 -> op = switch (f3) { case 0 -> FSGNJ_D; case 1 -> FSGNJN_D; case 2 -> FSGNJX_D; default -> ILLEGAL; };
            case 0x14 -> op = switch (f3) { case 0 -> FMIN_S; case 1 -> FMAX_S; default -> ILLEGAL; };
            case 0x15 -> op = switch (f3) { case 0 -> FMIN_D; case 1 -> FMAX_D; default -> ILLEGAL; };
            case 0x20 -> { op = rs2 == 1 ? FCVT_S_D : ILLEGAL; usesRm = true; }
            case 0x21 -> { op = rs2 == 0 ? FCVT_D_S : ILLEGAL; usesRm = true; }
            case 0x50 -> { op = switch (f3) { case 0 -> FLE_S; case 1 -> FLT_S; case 2 -> FEQ_S; default -> ILLEGAL; }; intDest = true; }
            case 0x51 -> { op = switch (f3) { case 0 -> FLE_D; case 1 -> FLT_D; case 2 -> FEQ_D; default -> ILLEGAL; }; intDest = true; }
            case 0x60 -> { op = switch (rs2) { case 0 -> FCVT_W_S; case 1 -> FCVT_WU_S; case 2 -> FCVT_L_S; case 3 -> FCVT_LU_S; default -> ILLEGAL; }; intDest = true; usesRm = true; }
            case 0x61 -> { op = switch (rs2) { case 0 -> FCVT_W_D; case 1 -> FCVT_WU_D; case 2 -> FCVT_L_D; case 3 -> FCVT_LU_D; default -> ILLEGAL; }; intDest = true; usesRm = true; }
            case 0x68 -> { op = switch (rs2) { case 0 -> FCVT_S_W; case 1 -> FCVT_S_WU; case 2 -> FCVT_S_L; case 3 -> FCVT_S_LU; default -> ILLEGAL; }; usesRm = true; }
            case 0x69 -> { op = switch (rs2) { case 0 -> FCVT_D_W; case 1 -> FCVT_D_WU; case 2 -> FCVT_D_L; case 3 -> FCVT_D_LU; default -> ILLEGAL; }; usesRm = true; }
            case 0x70 -> { op = rs2 != 0 ? ILLEGAL : f3 == 0 ? FMV_X_W : f3 == 1 ? FCLASS_S : ILLEGAL; intDest = true; }
            case 0x71 -> { op = rs2 != 0 ? ILLEGAL : f3 == 0 ? FMV_X_D : f3 == 1 ? FCLASS_D : ILLEGAL; intDest = true; }
            case 0x78 -> op = rs2 == 0 && f3 == 0 ? FMV_W_X : ILLEGAL;
            case 0x79 -> op = rs2 == 0 && f3 == 0 ? FMV_D_X : ILLEGAL;
            default -> op = ILLEGAL;
        }
        if (op == ILLEGAL || (usesRm && !validRm(f3))) return illegal(b, 4);
        return f(op, intDest ? dst(rd) : rd, rs1, rs2, 0, f3, 0, 4, b);
    }

    // ---- compressed (RVC) ----

    private static Insn c(int op, int rd, int rs1, int rs2, long imm, int bits) {
        return new Insn(op, dst(rd), rs1, rs2, 0, 0, imm, 2, bits);
    }

    private static Insn cf(int op, int rd, int rs1, int rs2, long imm, int bits) {
        return new Insn(op, rd, rs1, rs2, 0, 0, imm, 2, bits);
    }

    private static int bit(int b, int i) {
        return (b >>> i) & 1;
    }

    private static int bits(int b, int hi, int lo) {
        return (b >>> lo) & ((1 << (hi - lo + 1)) - 1);
    }

    /** Sign-extends the low n bits of v. */
    private static long sext(int v, int n) {
        return ((long) v << (64 - n)) >> (64 - n);
    }

    private static Insn decode16(int b) {
        int f3 = b >>> 13;
        int rdp = 8 + bits(b, 4, 2), rs1p = 8 + bits(b, 9, 7);
        int rd = bits(b, 11, 7), rs2 = bits(b, 6, 2);
        switch (b & 3) {
            case 0 -> {
                switch (f3) {
                    case 0 -> {
                        int imm = (bits(b, 12, 11) << 4) | (bits(b, 10, 7) << 6) | (bit(b, 6) << 2) | (bit(b, 5) << 3);
                        return imm == 0 ? illegal(b, 2) : c(ADDI, rdp, 2, 0, imm, b);
                    }
                    case 1 -> { return cf(FLD, rdp, rs1p, 0, (bits(b, 12, 10) << 3) | (bits(b, 6, 5) << 6), b); }
                    case 2 -> { return c(LW, rdp, rs1p, 0, (bits(b, 12, 10) << 3) | (bit(b, 6) << 2) | (bit(b, 5) << 6), b); }
                    case 3 -> { return c(LD, rdp, rs1p, 0, (bits(b, 12, 10) << 3) | (bits(b, 6, 5) << 6), b); }
                    case 5 -> { return cf(FSD, 0, rs1p, rdp, (bits(b, 12, 10) << 3) | (bits(b, 6, 5) << 6), b); }
                    case 6 -> { return c(SW, 0, rs1p, rdp, (bits(b, 12, 10) << 3) | (bit(b, 6) << 2) | (bit(b, 5) << 6), b); }
                    case 7 -> { return c(SD, 0, rs1p, rdp, (bits(b, 12, 10) << 3) | (bits(b, 6, 5) << 6), b); }
                    default -> { return illegal(b, 2); }
                }
            }
            case 1 -> {
                long imm6 = sext((bit(b, 12) << 5) | bits(b, 6, 2), 6);
                switch (f3) {
                    case 0 -> { return c(ADDI, rd, rd, 0, imm6, b); }
                    case 1 -> { return rd == 0 ? illegal(b, 2) : c(ADDIW, rd, rd, 0, imm6, b); }
                    case 2 -> { return c(ADDI, rd, 0, 0, imm6, b); }
                    case 3 -> {
                        if (rd == 2) {
                            long imm = sext((bit(b, 12) << 9) | (bit(b, 6) << 4) | (bit(b, 5) << 6) | (bits(b, 4, 3) << 7) | (bit(b, 2) << 5), 10);
                            return imm == 0 ? illegal(b, 2) : c(ADDI, 2, 2, 0, imm, b);
                        }
                        return imm6 == 0 ? illegal(b, 2) : c(LUI, rd, 0, 0, imm6 << 12, b);
                    }
                    case 4 -> {
                        int shamt = (bit(b, 12) << 5) | bits(b, 6, 2);
                        switch (bits(b, 11, 10)) {
                            case 0 -> { return c(SRLI, rs1p, rs1p, 0, shamt, b); }
                            case 1 -> { return c(SRAI, rs1p, rs1p, 0, shamt, b); }
                            case 2 -> { return c(ANDI, rs1p, rs1p, 0, imm6, b); }
                            default -> {
                                int fn = bits(b, 6, 5);
                                int op = bit(b, 12) == 0
                                        ? switch (fn) { case 0 -> SUB; case 1 -> XOR; case 2 -> OR; default -> AND; }
                                        : switch (fn) { case 0 -> SUBW; case 1 -> ADDW; default -> ILLEGAL; };
                                return op == ILLEGAL ? illegal(b, 2) : c(op, rs1p, rs1p, rdp, 0, b);
                            }
                        }
                    }
                    case 5 -> {
                        long imm = sext((bit(b, 12) << 11) | (bit(b, 11) << 4) | (bits(b, 10, 9) << 8) | (bit(b, 8) << 10)
                                | (bit(b, 7) << 6) | (bit(b, 6) << 7) | (bits(b, 5, 3) << 1) | (bit(b, 2) << 5), 12);
                        return c(JAL, 0, 0, 0, imm, b);
                    }
                    default -> {
                        long imm = sext((bit(b, 12) << 8) | (bits(b, 11, 10) << 3) | (bits(b, 6, 5) << 6) | (bits(b, 4, 3) << 1)
                                | (bit(b, 2) << 5), 9);
                        return c(f3 == 6 ? BEQ : BNE, 0, rs1p, 0, imm, b);
                    }
                }
            }
            case 2 -> {
                switch (f3) {
                    case 0 -> { return c(SLLI, rd, rd, 0, (bit(b, 12) << 5) | rs2, b); }
                    case 1 -> { return cf(FLD, rd, 2, 0, (bit(b, 12) << 5) | (bits(b, 6, 5) << 3) | (bits(b, 4, 2) << 6), b); }
                    case 2 -> { return rd == 0 ? illegal(b, 2) : c(LW, rd, 2, 0, (bit(b, 12) << 5) | (bits(b, 6, 4) << 2) | (bits(b, 3, 2) << 6), b); }
                    case 3 -> { return rd == 0 ? illegal(b, 2) : c(LD, rd, 2, 0, (bit(b, 12) << 5) | (bits(b, 6, 5) << 3) | (bits(b, 4, 2) << 6), b); }
                    case 4 -> {
                        if (bit(b, 12) == 0) {
                            if (rs2 == 0) return rd == 0 ? illegal(b, 2) : c(JALR, 0, rd, 0, 0, b);
                            return c(ADD, rd, 0, rs2, 0, b);
                        }
                        if (rs2 == 0) return rd == 0 ? c(EBREAK, 0, 0, 0, 0, b) : c(JALR, 1, rd, 0, 0, b);
                        return c(ADD, rd, rd, rs2, 0, b);
                    }
                    case 5 -> { return cf(FSD, 0, 2, rs2, (bits(b, 12, 10) << 3) | (bits(b, 9, 7) << 6), b); }
                    case 6 -> { return c(SW, 0, 2, rs2, (bits(b, 12, 9) << 2) | (bits(b, 8, 7) << 6), b); }
                    default -> { return c(SD, 0, 2, rs2, (bits(b, 12, 10) << 3) | (bits(b, 9, 7) << 6), b); }
                }
            }
            default -> { return illegal(b, 2); }
        }
    }
}
