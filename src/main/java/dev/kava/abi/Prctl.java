package dev.kava.abi;

/** prctl options. From include/uapi/linux/prctl.h. */
public final class Prctl {
    private Prctl() {}

    public static final int PR_SET_PDEATHSIG = 1;
    public static final int PR_GET_PDEATHSIG = 2;
    public static final int PR_GET_DUMPABLE = 3;
    public static final int PR_SET_DUMPABLE = 4;
    public static final int PR_SET_NAME = 15;
    /** Whether a capability is in the bounding set. */
    public static final int PR_CAPBSET_READ = 23;
    public static final int PR_GET_NAME = 16;
    public static final int PR_SET_CHILD_SUBREAPER = 36;
    public static final int PR_GET_CHILD_SUBREAPER = 37;
    public static final int PR_SET_NO_NEW_PRIVS = 38;
    public static final int PR_GET_NO_NEW_PRIVS = 39;
    /** RSEQ time slice extensions (include/uapi/linux/prctl.h). */
    public static final int PR_RSEQ_SLICE_EXTENSION = 79;
    /** TASK_COMM_LEN (include/linux/sched.h). */
    public static final int TASK_COMM_LEN = 16;
}
