package dev.kava.arch.riscv;

/** The unprivileged CSRs a user-mode program may reach (RISC-V privileged spec, "CSR Listing"). */
public final class Csr {
    private Csr() {}

    public static final int FFLAGS = 0x001;
    public static final int FRM = 0x002;
    public static final int FCSR = 0x003;
    public static final int CYCLE = 0xc00;
    public static final int TIME = 0xc01;
    public static final int INSTRET = 0xc02;

    /** CSR numbers whose top two bits are 11 are read-only: writing one is an illegal instruction. */
    static boolean readOnly(int csr) {
        return (csr >>> 10) == 3;
    }
}
