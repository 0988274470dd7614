package dev.kava.abi;

/** Capabilities: capget/capset header versions and the last capability (include/uapi/linux/capability.h). */
public final class Capability {
    private Capability() {}

    /** _LINUX_CAPABILITY_VERSION_1: one 32-bit set of each kind. */
    public static final int VERSION_1 = 0x19980330;
    /** _LINUX_CAPABILITY_VERSION_2 (deprecated) and _3: two 32-bit words of each kind. */
    public static final int VERSION_2 = 0x20071026;
    public static final int VERSION_3 = 0x20080522;
    /** struct __user_cap_header_struct { __u32 version; int pid; } */
    public static final int HEADER_SIZE = 8;
    /** struct __user_cap_data_struct { __u32 effective, permitted, inheritable; } */
    public static final int DATA_SIZE = 12;
    /** CAP_LAST_CAP: CAP_CHECKPOINT_RESTORE. */
    public static final int CAP_LAST_CAP = 40;
    /** CAP_FULL_SET */
    public static final long CAP_FULL_SET = (1L << (CAP_LAST_CAP + 1)) - 1;
}
