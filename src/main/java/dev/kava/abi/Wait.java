package dev.kava.abi;

/** wait4/waitid options and id types (include/uapi/linux/wait.h), SIGCHLD si_codes (include/uapi/asm-generic/siginfo.h). */
public final class Wait {
    private Wait() {}

    public static final int WNOHANG = 0x00000001;
    public static final int WUNTRACED = 0x00000002;
    public static final int WSTOPPED = WUNTRACED;
    public static final int WEXITED = 0x00000004;
    public static final int WCONTINUED = 0x00000008;
    public static final int WNOWAIT = 0x01000000;
    public static final int __WNOTHREAD = 0x20000000;
    public static final int __WALL = 0x40000000;
    public static final int __WCLONE = 0x80000000;

    public static final int P_ALL = 0;
    public static final int P_PID = 1;
    public static final int P_PGID = 2;
    public static final int P_PIDFD = 3;

    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;
    public static final int CLD_TRAPPED = 4;
    public static final int CLD_STOPPED = 5;
    public static final int CLD_CONTINUED = 6;

    /** sizeof(struct rusage) on 64-bit (include/uapi/linux/resource.h): two timevals and 14 longs. */
    public static final int RUSAGE_SIZE = 144;
    public static final int RUSAGE_SELF = 0;
    public static final int RUSAGE_CHILDREN = -1;
    public static final int RUSAGE_THREAD = 1;
}
