package dev.kava.abi;

/** Restartable sequences ABI. From include/uapi/linux/rseq.h (Linux 7.0). */
public final class Rseq {
    private Rseq() {}

    public static final int RSEQ_CPU_ID_UNINITIALIZED = -1;
    public static final int RSEQ_CPU_ID_REGISTRATION_FAILED = -2;

    // enum rseq_flags
    public static final int RSEQ_FLAG_UNREGISTER = 1 << 0;
    public static final int RSEQ_FLAG_SLICE_EXT_DEFAULT_ON = 1 << 1;

    // enum rseq_cs_flags
    public static final int RSEQ_CS_FLAG_NO_RESTART_ON_PREEMPT = 1 << 0;
    public static final int RSEQ_CS_FLAG_NO_RESTART_ON_SIGNAL = 1 << 1;
    public static final int RSEQ_CS_FLAG_NO_RESTART_ON_MIGRATE = 1 << 2;
    public static final int RSEQ_CS_FLAG_SLICE_EXT_AVAILABLE = 1 << 4;
    public static final int RSEQ_CS_FLAG_SLICE_EXT_ENABLED = 1 << 5;

    // struct rseq field offsets
    public static final int OFF_CPU_ID_START = 0;
    public static final int OFF_CPU_ID = 4;
    public static final int OFF_RSEQ_CS = 8;
    public static final int OFF_FLAGS = 16;
    public static final int OFF_NODE_ID = 20;
    public static final int OFF_MM_CID = 24;
    public static final int OFF_SLICE_CTRL = 28;
    /** ORIG_RSEQ_SIZE (kernel/rseq.c): the size of struct rseq before the extensions. */
    public static final int ORIG_RSEQ_SIZE = 32;

    // struct rseq_cs: u32 version, u32 flags, u64 start_ip, u64 post_commit_offset, u64 abort_ip
    public static final int CS_SIZE = 32;
}
