package dev.kava.abi;

/** Memory protection and mapping flags. From include/uapi/asm-generic/mman-common.h and mman.h. */
public final class Mman {
    private Mman() {}

    public static final int PROT_NONE = 0x0;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int PROT_EXEC = 0x4;
    public static final int PROT_GROWSDOWN = 0x01000000;
    public static final int PROT_GROWSUP = 0x02000000;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_SHARED_VALIDATE = 0x03;
    public static final int MAP_TYPE = 0x0f;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_GROWSDOWN = 0x0100;
    public static final int MAP_DENYWRITE = 0x0800;
    public static final int MAP_EXECUTABLE = 0x1000;
    public static final int MAP_LOCKED = 0x2000;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MAP_POPULATE = 0x8000;
    public static final int MAP_NONBLOCK = 0x10000;
    public static final int MAP_STACK = 0x20000;
    public static final int MAP_HUGETLB = 0x40000;
    public static final int MAP_SYNC = 0x80000;
    public static final int MAP_FIXED_NOREPLACE = 0x100000;

    // msync flags (include/uapi/asm-generic/mman-common.h)
    public static final int MS_ASYNC = 1;
    public static final int MS_INVALIDATE = 2;
    public static final int MS_SYNC = 4;

    // mlockall flags (include/uapi/asm-generic/mman.h)
    public static final int MCL_CURRENT = 1;
    public static final int MCL_FUTURE = 2;
    public static final int MCL_ONFAULT = 4;
    // mlock2 flags (include/uapi/asm-generic/mman-common.h)
    public static final int MLOCK_ONFAULT = 0x01;
}
