package dev.kava.abi;

/** posix_fadvise advice values (include/uapi/linux/fadvise.h; riscv64 uses the generic 4 and 5). */
public final class Fadvise {
    private Fadvise() {}

    public static final int POSIX_FADV_NORMAL = 0;
    public static final int POSIX_FADV_RANDOM = 1;
    public static final int POSIX_FADV_SEQUENTIAL = 2;
    public static final int POSIX_FADV_WILLNEED = 3;
    public static final int POSIX_FADV_DONTNEED = 4;
    public static final int POSIX_FADV_NOREUSE = 5;
}
