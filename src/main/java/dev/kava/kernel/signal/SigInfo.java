package dev.kava.kernel.signal;

/**
 * The parts of a siginfo_t the kernel fills in (include/uapi/asm-generic/siginfo.h).
 *
 * @param signo the signal
 * @param code si_code: SI_USER, SI_TKILL, or a fault code such as SEGV_MAPERR
 * @param pid sender's pid for kill-style signals
 * @param uid sender's uid
 * @param addr faulting address for SIGSEGV/SIGBUS/SIGILL/SIGTRAP
 */
public record SigInfo(int signo, int code, int pid, int uid, long addr) {
    // si_code values (include/uapi/asm-generic/siginfo.h)
    public static final int SI_USER = 0;
    public static final int SI_KERNEL = 0x80;
    public static final int SI_TKILL = -6;
    public static final int ILL_ILLOPC = 1;
    public static final int SEGV_MAPERR = 1;
    public static final int SEGV_ACCERR = 2;
    public static final int BUS_ADRALN = 1;
    public static final int TRAP_BRKPT = 1;

    public static SigInfo user(int signo, int code, int pid, int uid) {
        return new SigInfo(signo, code, pid, uid, 0);
    }

    public static SigInfo fault(int signo, int code, long addr) {
        return new SigInfo(signo, code, 0, 0, addr);
    }
}
