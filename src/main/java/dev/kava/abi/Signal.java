package dev.kava.abi;

/**
 * Signal numbers, sigaction flags and sigprocmask operations.
 * From include/uapi/asm-generic/signal.h and include/uapi/asm-generic/signal-defs.h (riscv64 uses both).
 */
public final class Signal {
    private Signal() {}

    public static final int NSIG = 64; // _NSIG

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    public static final int SIGBUS = 7;
    public static final int SIGFPE = 8;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGSTKFLT = 16;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGURG = 23;
    public static final int SIGXCPU = 24;
    public static final int SIGXFSZ = 25;
    public static final int SIGVTALRM = 26;
    public static final int SIGPROF = 27;
    public static final int SIGWINCH = 28;
    public static final int SIGIO = 29;
    public static final int SIGPWR = 30;
    public static final int SIGSYS = 31;
    public static final int SIGRTMIN = 32;
    public static final int SIGRTMAX = NSIG;

    // sa_flags (signal-defs.h). riscv defines no SA_RESTORER: its struct sigaction has no sa_restorer.
    public static final long SA_NOCLDSTOP = 0x00000001L;
    public static final long SA_NOCLDWAIT = 0x00000002L;
    public static final long SA_SIGINFO = 0x00000004L;
    public static final long SA_UNSUPPORTED = 0x00000400L;
    public static final long SA_EXPOSE_TAGBITS = 0x00000800L;
    public static final long SA_ONSTACK = 0x08000000L;
    public static final long SA_RESTART = 0x10000000L;
    public static final long SA_NODEFER = 0x40000000L;
    public static final long SA_RESETHAND = 0x80000000L;

    // sigprocmask how
    public static final int SIG_BLOCK = 0;
    public static final int SIG_UNBLOCK = 1;
    public static final int SIG_SETMASK = 2;

    // special handlers
    public static final long SIG_DFL = 0;
    public static final long SIG_IGN = 1;

    /** struct sigaction as riscv64's kernel reads it: sa_handler, sa_flags, sa_mask (no sa_restorer). */
    public static final int SIGACTION_SIZE = 24;
    public static final int SA_HANDLER = 0, SA_FLAGS = 8, SA_MASK = 16;

    /** sizeof(sigset_t) in the kernel ABI: _NSIG / 8. */
    public static final int SIGSET_SIZE = NSIG / 8;


    // sigaltstack ss_flags (include/uapi/linux/signal.h)
    public static final int SS_ONSTACK = 1;
    public static final int SS_DISABLE = 2;
    public static final int SS_AUTODISARM = 1 << 31;
    public static final int SS_FLAG_BITS = SS_AUTODISARM;
    /** MINSIGSTKSZ and SIGSTKSZ (include/uapi/asm-generic/signal.h). */
    public static final long MINSIGSTKSZ = 2048, SIGSTKSZ = 8192;
    /** stack_t on 64-bit: ss_sp, ss_flags (int, padded), ss_size. */
    public static final int STACK_T_SIZE = 24, SS_SP = 0, SS_FLAGS = 8, SS_SIZE = 16;

    // si_code values (include/uapi/asm-generic/siginfo.h)
    public static final int SI_USER = 0;
    public static final int SI_KERNEL = 0x80;
    public static final int SI_QUEUE = -1;
    public static final int SI_TIMER = -2;
    public static final int SI_MESGQ = -3;
    public static final int SI_ASYNCIO = -4;
    public static final int SI_SIGIO = -5;
    public static final int SI_TKILL = -6;
    public static final int SI_DETHREAD = -7;
    public static final int SI_ASYNCNL = -60;
    public static final int ILL_ILLOPC = 1;
    public static final int SEGV_MAPERR = 1;
    public static final int SEGV_ACCERR = 2;
    public static final int BUS_ADRALN = 1;
    public static final int BUS_ADRERR = 2;
    public static final int TRAP_BRKPT = 1;
    public static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5,
            CLD_CONTINUED = 6;

    /**
     * struct siginfo (include/uapi/asm-generic/siginfo.h) on 64-bit: SI_MAX_SIZE bytes; si_signo,
     * si_errno, si_code, then the union at 16 (__ARCH_SI_PREAMBLE_SIZE = 4 ints).
     */
    public static final int SIGINFO_SIZE = 128;
    public static final int SI_SIGNO = 0, SI_ERRNO = 4, SI_CODE = 8;
    /** _kill / _rt / _sigchld: si_pid, si_uid; _rt: si_value at 24; _sigchld: si_status 24, si_utime 32, si_stime 40. */
    public static final int SI_PID = 16, SI_UID = 20, SI_VALUE = 24, SI_STATUS = 24, SI_UTIME = 32, SI_STIME = 40;
    /** _timer: si_tid (the timer id), si_overrun, si_sigval. */
    public static final int SI_TIMERID = 16, SI_OVERRUN = 20;
    /** _sigfault: si_addr. */
    public static final int SI_ADDR = 16;

    // struct sigevent (include/uapi/asm-generic/siginfo.h): sigev_value 0, sigev_signo 8, sigev_notify 12, _tid 16.
    public static final int SIGEVENT_SIZE = 64;
    public static final int SIGEV_VALUE = 0, SIGEV_SIGNO = 8, SIGEV_NOTIFY = 12, SIGEV_TID = 16;
    public static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;

    /**
     * The riscv64 signal frame (arch/riscv/kernel/signal.c struct rt_sigframe; ucontext.h,
     * sigcontext.h, ptrace.h): siginfo, then struct ucontext { uc_flags, uc_link, uc_stack,
     * uc_sigmask, __unused[1024/8 - sizeof(sigset_t)], struct sigcontext uc_mcontext (16-byte
     * aligned: sc_regs = user_regs_struct {pc, x1..x31}, union __riscv_fp_state of 528 bytes) }.
     */
    public static final int FRAME_UC = SIGINFO_SIZE;
    public static final int UC_FLAGS = 0, UC_LINK = 8, UC_STACK = 16, UC_SIGMASK = 40, UC_MCONTEXT = 176;
    public static final int SC_REGS = 0, SC_FPREGS = 256, FP_STATE_SIZE = 528;
    /** In union __riscv_fp_state: d.fcsr after f[32]; q.reserved[3] after q.f[64] and q.fcsr. */
    public static final int FP_D_FCSR = 256, FP_Q_RESERVED = 516;
    public static final int UCONTEXT_SIZE = UC_MCONTEXT + SC_FPREGS + FP_STATE_SIZE; // 960
    public static final int RT_SIGFRAME_SIZE = SIGINFO_SIZE + UCONTEXT_SIZE; // 1088

    /** The bit for signal sig (1-based) in a sigset_t word, as sigmask() does. */
    public static long bit(int sig) {
        return 1L << (sig - 1);
    }

    private static final String[] NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    };

    /** "SIGSEGV", "SIGRTMIN+3", or "SIG" + number. */
    public static String name(int sig) {
        if (sig > 0 && sig < NAMES.length) return NAMES[sig];
        if (sig == SIGRTMIN) return "SIGRTMIN";
        if (sig > SIGRTMIN && sig <= SIGRTMAX) return "SIGRTMIN+" + (sig - SIGRTMIN);
        return "SIG" + sig;
    }
}
