package dev.kava.abi;

/**
 * Auxiliary vector entry types (the AT_* keys the kernel puts after envp on the initial stack).
 * From include/uapi/linux/auxvec.h and arch/riscv/include/uapi/asm/auxvec.h.
 */
public final class Auxv {
    private Auxv() {}

    // include/uapi/linux/auxvec.h
    public static final int AT_NULL = 0;
    public static final int AT_IGNORE = 1;
    public static final int AT_EXECFD = 2;
    public static final int AT_PHDR = 3;
    public static final int AT_PHENT = 4;
    public static final int AT_PHNUM = 5;
    public static final int AT_PAGESZ = 6;
    public static final int AT_BASE = 7;
    public static final int AT_FLAGS = 8;
    public static final int AT_ENTRY = 9;
    public static final int AT_NOTELF = 10;
    public static final int AT_UID = 11;
    public static final int AT_EUID = 12;
    public static final int AT_GID = 13;
    public static final int AT_EGID = 14;
    public static final int AT_PLATFORM = 15;
    public static final int AT_HWCAP = 16;
    public static final int AT_CLKTCK = 17;
    public static final int AT_SECURE = 23;
    public static final int AT_BASE_PLATFORM = 24;
    public static final int AT_RANDOM = 25;
    public static final int AT_HWCAP2 = 26;
    public static final int AT_RSEQ_FEATURE_SIZE = 27;
    public static final int AT_RSEQ_ALIGN = 28;
    public static final int AT_HWCAP3 = 29;
    public static final int AT_HWCAP4 = 30;
    public static final int AT_EXECFN = 31;
    public static final int AT_MINSIGSTKSZ = 51;

    // arch/riscv/include/uapi/asm/auxvec.h
    public static final int AT_SYSINFO_EHDR = 33;
    public static final int AT_L1I_CACHESIZE = 40;
    public static final int AT_L1I_CACHEGEOMETRY = 41;
    public static final int AT_L1D_CACHESIZE = 42;
    public static final int AT_L1D_CACHEGEOMETRY = 43;
    public static final int AT_L2_CACHESIZE = 44;
    public static final int AT_L2_CACHEGEOMETRY = 45;
    public static final int AT_L3_CACHESIZE = 46;
    public static final int AT_L3_CACHEGEOMETRY = 47;

    /** AT_HWCAP bits on RISC-V: one bit per single-letter extension, 1 << (letter - 'A') (arch/riscv/include/uapi/asm/hwcap.h). */
    public static long hwcapBit(char extension) {
        return 1L << (Character.toUpperCase(extension) - 'A');
    }
}
