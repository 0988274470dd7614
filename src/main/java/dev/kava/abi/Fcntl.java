package dev.kava.abi;

/**
 * open() flags, fcntl() commands and *at() flags.
 * From include/uapi/asm-generic/fcntl.h (riscv64 uses the generic octal values) and include/uapi/linux/fcntl.h.
 */
public final class Fcntl {
    private Fcntl() {}

    public static final int O_ACCMODE = 0_0000003;
    public static final int O_RDONLY = 0_0000000;
    public static final int O_WRONLY = 0_0000001;
    public static final int O_RDWR = 0_0000002;
    public static final int O_CREAT = 0_0000100;
    public static final int O_EXCL = 0_0000200;
    public static final int O_NOCTTY = 0_0000400;
    public static final int O_TRUNC = 0_0001000;
    public static final int O_APPEND = 0_0002000;
    public static final int O_NONBLOCK = 0_0004000;
    public static final int O_DSYNC = 0_0010000;
    public static final int FASYNC = 0_0020000;
    public static final int O_DIRECT = 0_0040000;
    public static final int O_LARGEFILE = 0_0100000;
    public static final int O_DIRECTORY = 0_0200000;
    public static final int O_NOFOLLOW = 0_0400000;
    public static final int O_NOATIME = 0_1000000;
    public static final int O_CLOEXEC = 0_2000000;
    public static final int __O_SYNC = 0_4000000;
    public static final int O_SYNC = __O_SYNC | O_DSYNC;
    public static final int O_PATH = 0_10000000;
    public static final int __O_TMPFILE = 0_20000000;
    public static final int O_TMPFILE = __O_TMPFILE | O_DIRECTORY;

    /** Every flag open() knows (include/linux/fcntl.h VALID_OPEN_FLAGS). */
    public static final int VALID_OPEN_FLAGS = O_RDONLY | O_WRONLY | O_RDWR | O_CREAT | O_EXCL | O_NOCTTY
            | O_TRUNC | O_APPEND | O_NONBLOCK | __O_SYNC | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE
            | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_PATH | __O_TMPFILE;

    public static final int F_DUPFD = 0;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_LINUX_SPECIFIC_BASE = 1024;
    public static final int F_DUPFD_CLOEXEC = F_LINUX_SPECIFIC_BASE + 6;
    /** Pipe capacity (include/uapi/linux/fcntl.h). */
    public static final int F_SETPIPE_SZ = F_LINUX_SPECIFIC_BASE + 7;
    public static final int F_GETPIPE_SZ = F_LINUX_SPECIFIC_BASE + 8;
    public static final int FD_CLOEXEC = 1;

    // include/uapi/linux/fcntl.h
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_EACCESS = 0x200;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int AT_NO_AUTOMOUNT = 0x800;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int AT_STATX_SYNC_TYPE = 0x6000;

    // include/uapi/linux/fs.h: lseek whence
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    // renameat2 flags (include/uapi/linux/fs.h)
    public static final int RENAME_NOREPLACE = 1 << 0;
    public static final int RENAME_EXCHANGE = 1 << 1;
    public static final int RENAME_WHITEOUT = 1 << 2;

    // File seals (include/uapi/linux/fcntl.h)
    public static final int F_ADD_SEALS = F_LINUX_SPECIFIC_BASE + 9;
    public static final int F_GET_SEALS = F_LINUX_SPECIFIC_BASE + 10;
    public static final int F_SEAL_SEAL = 0x0001;
    public static final int F_SEAL_SHRINK = 0x0002;
    public static final int F_SEAL_GROW = 0x0004;
    public static final int F_SEAL_WRITE = 0x0008;
    public static final int F_SEAL_FUTURE_WRITE = 0x0010;
    public static final int F_SEAL_EXEC = 0x0020;
    /** F_ALL_SEALS (mm/memfd.c). */
    public static final int F_ALL_SEALS = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE
            | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC;

    // memfd_create flags (include/uapi/linux/memfd.h)
    public static final int MFD_CLOEXEC = 0x0001;
    public static final int MFD_ALLOW_SEALING = 0x0002;
    public static final int MFD_HUGETLB = 0x0004;
    public static final int MFD_NOEXEC_SEAL = 0x0008;
    public static final int MFD_EXEC = 0x0010;
    public static final int MFD_HUGE_SHIFT = 26;
    public static final int MFD_HUGE_MASK = 0x3f;
}
