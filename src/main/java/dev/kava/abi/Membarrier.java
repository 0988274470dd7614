package dev.kava.abi;

/** membarrier(2) commands and flags. From include/uapi/linux/membarrier.h. */
public final class Membarrier {
    private Membarrier() {}

    public static final int MEMBARRIER_CMD_QUERY = 0;
    public static final int MEMBARRIER_CMD_GLOBAL = 1 << 0;
    public static final int MEMBARRIER_CMD_GLOBAL_EXPEDITED = 1 << 1;
    public static final int MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2;
    public static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED = 1 << 3;
    public static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;
    public static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 5;
    public static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 6;
    public static final int MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ = 1 << 7;
    public static final int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 1 << 8;
    public static final int MEMBARRIER_CMD_GET_REGISTRATIONS = 1 << 9;
    public static final int MEMBARRIER_CMD_SHARED = MEMBARRIER_CMD_GLOBAL;

    public static final int MEMBARRIER_CMD_FLAG_CPU = 1 << 0;
}
