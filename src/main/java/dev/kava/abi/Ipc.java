package dev.kava.abi;

/**
 * System V IPC common ABI (include/uapi/linux/ipc.h) and the generic struct ipc64_perm
 * (include/uapi/asm-generic/ipcbuf.h), which riscv64 uses.
 */
public final class Ipc {
    private Ipc() {}

    public static final int IPC_PRIVATE = 0;

    /** Resource get request flags. */
    public static final int IPC_CREAT = 00001000;
    public static final int IPC_EXCL = 00002000;
    public static final int IPC_NOWAIT = 00004000;

    /** Control commands shared by semctl, msgctl and shmctl. */
    public static final int IPC_RMID = 0;
    public static final int IPC_SET = 1;
    public static final int IPC_STAT = 2;
    public static final int IPC_INFO = 3;

    /** The version bit of the old multiplexed ipc() call (never accepted by the riscv64 syscalls). */
    public static final int IPC_64 = 0x0100;

    /**
     * struct ipc64_perm: key 0, uid 4, gid 8, cuid 12, cgid 16, mode 20 (a 32-bit mode_t, no
     * __pad1), seq 24 (unsigned short), __pad2 26, __unused1 32, __unused2 40; 48 bytes.
     */
    public static final int IPC64_PERM_SIZE = 48;
    public static final int PERM_KEY = 0, PERM_UID = 4, PERM_GID = 8, PERM_CUID = 12, PERM_CGID = 16, PERM_MODE = 20,
            PERM_SEQ = 24;

    /** IPCMNI and its shift (include/linux/ipc_namespace.h, ipc/util.h; ipcmni_extend off). */
    public static final int IPCMNI_SHIFT = 15;
    public static final int IPCMNI = 1 << IPCMNI_SHIFT;
    /** ipcid_seq_max(): INT_MAX >> IPCMNI_SHIFT. */
    public static final int IPCID_SEQ_MAX = Integer.MAX_VALUE >> IPCMNI_SHIFT;
    /** ipc_min_cycle (ipc/util.c): RADIX_TREE_MAP_SIZE, the least index range ids cycle through. */
    public static final int IPC_MIN_CYCLE = 64;
}
