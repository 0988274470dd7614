package dev.kava.abi;

/**
 * File mode bits (include/uapi/linux/stat.h) and the layout of struct stat as riscv64 uses it
 * (include/uapi/asm-generic/stat.h: 128 bytes, every field naturally aligned).
 */
public final class Stat {
    private Stat() {}

    public static final int S_IFMT = 0_170000;
    public static final int S_IFSOCK = 0_140000;
    public static final int S_IFLNK = 0_120000;
    public static final int S_IFREG = 0_100000;
    public static final int S_IFBLK = 0_060000;
    public static final int S_IFDIR = 0_040000;
    public static final int S_IFCHR = 0_020000;
    public static final int S_IFIFO = 0_010000;
    public static final int S_ISUID = 0_004000;
    public static final int S_ISGID = 0_002000;
    public static final int S_ISVTX = 0_001000;

    /** sizeof(struct stat) */
    public static final int SIZE = 128;
    public static final int ST_DEV = 0, ST_INO = 8, ST_MODE = 16, ST_NLINK = 20, ST_UID = 24, ST_GID = 28,
            ST_RDEV = 32, ST_SIZE = 48, ST_BLKSIZE = 56, ST_BLOCKS = 64, ST_ATIME = 72, ST_ATIME_NSEC = 80,
            ST_MTIME = 88, ST_MTIME_NSEC = 96, ST_CTIME = 104, ST_CTIME_NSEC = 112;

    // d_type values in getdents64 records (include/linux/fs_types.h; the same numbers as glibc's DT_*)
    public static final int DT_UNKNOWN = 0;
    public static final int DT_FIFO = 1;
    public static final int DT_CHR = 2;
    public static final int DT_DIR = 4;
    public static final int DT_BLK = 6;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;
    public static final int DT_SOCK = 12;

    /** d_type for a mode, as fs_umode_to_dtype() computes it: (mode >> 12) & 15. */
    public static int dtype(int mode) {
        return (mode & S_IFMT) >>> 12;
    }

    /** A dev_t in the kernel's user-visible encoding (new_encode_dev in include/linux/kdev_t.h). */
    public static long encodeDev(int major, int minor) {
        return (minor & 0xffL) | ((long) major << 8) | ((long) (minor & ~0xff) << 12);
    }
}
