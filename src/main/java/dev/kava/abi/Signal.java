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
