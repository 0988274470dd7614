package dev.kava.abi;

/** riscv_hwprobe keys and values. From arch/riscv/include/uapi/asm/hwprobe.h. */
public final class Hwprobe {
    private Hwprobe() {}

    /** sizeof(struct riscv_hwprobe): __s64 key, __u64 value. */
    public static final int PAIR_SIZE = 16;

    public static final int KEY_MVENDORID = 0;
    public static final int KEY_MARCHID = 1;
    public static final int KEY_MIMPID = 2;
    public static final int KEY_BASE_BEHAVIOR = 3;
    public static final long BASE_BEHAVIOR_IMA = 1L << 0;
    public static final int KEY_IMA_EXT_0 = 4;
    public static final long IMA_FD = 1L << 0;
    public static final long IMA_C = 1L << 1;
    public static final long IMA_V = 1L << 2;
    public static final long EXT_ZBA = 1L << 3;
    public static final long EXT_ZBB = 1L << 4;
    public static final long EXT_ZBS = 1L << 5;
    public static final long EXT_ZICBOZ = 1L << 6;
    public static final long EXT_ZBC = 1L << 7;
    public static final long EXT_ZCA = 1L << 43;
    public static final long EXT_ZCB = 1L << 44;
    public static final long EXT_ZCD = 1L << 45;
    public static final long EXT_ZCF = 1L << 46;
    public static final long EXT_ZICNTR = 1L << 50;
    public static final long EXT_ZIHPM = 1L << 51;
    public static final long EXT_ZAAMO = 1L << 56;
    public static final long EXT_ZALRSC = 1L << 57;
    public static final int KEY_CPUPERF_0 = 5;
    public static final int KEY_ZICBOZ_BLOCK_SIZE = 6;
    public static final int KEY_HIGHEST_VIRT_ADDRESS = 7;
    public static final int KEY_TIME_CSR_FREQ = 8;
    public static final int KEY_MISALIGNED_SCALAR_PERF = 9;
    public static final long MISALIGNED_SCALAR_UNKNOWN = 0;
    public static final long MISALIGNED_SCALAR_EMULATED = 1;
    public static final long MISALIGNED_SCALAR_SLOW = 2;
    public static final long MISALIGNED_SCALAR_FAST = 3;
    public static final long MISALIGNED_SCALAR_UNSUPPORTED = 4;
    public static final int KEY_MISALIGNED_VECTOR_PERF = 10;
    public static final long MISALIGNED_VECTOR_UNKNOWN = 0;
    public static final long MISALIGNED_VECTOR_SLOW = 2;
    public static final long MISALIGNED_VECTOR_FAST = 3;
    public static final long MISALIGNED_VECTOR_UNSUPPORTED = 4;
    public static final int KEY_VENDOR_EXT_THEAD_0 = 11;
    public static final int KEY_ZICBOM_BLOCK_SIZE = 12;
    public static final int KEY_VENDOR_EXT_SIFIVE_0 = 13;
    /** RISCV_HWPROBE_MAX_KEY as far as this file transcribes the keys (arch/riscv/include/asm/hwprobe.h). */
    public static final int MAX_KEY = 13;

    /** Flags. */
    public static final int WHICH_CPUS = 1 << 0;
}
