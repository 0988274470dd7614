package dev.kava.abi;

/**
 * struct statfs as riscv64 lays it out (include/uapi/asm-generic/statfs.h with a 64-bit
 * __statfs_word: every field a long, f_fsid two ints), and the magic numbers of the kernel's
 * internal filesystems (include/uapi/linux/magic.h).
 */
public final class Statfs {
    private Statfs() {}

    /** sizeof(struct statfs) */
    public static final int SIZE = 120;
    public static final int F_TYPE = 0, F_BSIZE = 8, F_BLOCKS = 16, F_BFREE = 24, F_BAVAIL = 32, F_FILES = 40,
            F_FFREE = 48, F_FSID = 56, F_NAMELEN = 64, F_FRSIZE = 72, F_FLAGS = 80, F_SPARE = 88;

    // include/uapi/linux/magic.h
    public static final long PIPEFS_MAGIC = 0x50495045L;
    public static final long ANON_INODE_FS_MAGIC = 0x09041934L;
    public static final long DEVPTS_SUPER_MAGIC = 0x1cd1L;
    public static final long TMPFS_MAGIC = 0x01021994L;
    public static final long NSFS_MAGIC = 0x6e736673L;
}
