package dev.kava.abi;

/**
 * Flags of the file I/O syscalls: preadv2/pwritev2's RWF_* and sync_file_range's flags
 * (include/uapi/linux/fs.h), splice/tee/vmsplice's SPLICE_F_* (include/linux/splice.h),
 * utimensat's UTIME_NOW/UTIME_OMIT (include/linux/stat.h), and copy_file_range's only
 * kernel-internal flag (include/linux/fs.h).
 */
public final class Fs {
    private Fs() {}

    /** high priority request, poll if possible */
    public static final int RWF_HIPRI = 0x00000001;
    /** per-IO O_DSYNC */
    public static final int RWF_DSYNC = 0x00000002;
    /** per-IO O_SYNC */
    public static final int RWF_SYNC = 0x00000004;
    /** per-IO, return -EAGAIN if operation would block */
    public static final int RWF_NOWAIT = 0x00000008;
    /** per-IO O_APPEND */
    public static final int RWF_APPEND = 0x00000010;
    /** per-IO negation of O_APPEND */
    public static final int RWF_NOAPPEND = 0x00000020;
    /** Atomic Write */
    public static final int RWF_ATOMIC = 0x00000040;
    /** buffered IO that drops the cache after reading or writing data */
    public static final int RWF_DONTCACHE = 0x00000080;
    /** prevent pipe and socket writes from raising SIGPIPE */
    public static final int RWF_NOSIGNAL = 0x00000100;
    /** mask of flags supported by the kernel */
    public static final int RWF_SUPPORTED = RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND | RWF_NOAPPEND
            | RWF_ATOMIC | RWF_DONTCACHE | RWF_NOSIGNAL;

    public static final int SYNC_FILE_RANGE_WAIT_BEFORE = 1;
    public static final int SYNC_FILE_RANGE_WRITE = 2;
    public static final int SYNC_FILE_RANGE_WAIT_AFTER = 4;

    // include/linux/splice.h
    /** move pages instead of copying */
    public static final int SPLICE_F_MOVE = 0x01;
    /** don't block on the pipe splicing (but we may still block on the fd we splice from/to) */
    public static final int SPLICE_F_NONBLOCK = 0x02;
    /** expect more data */
    public static final int SPLICE_F_MORE = 0x04;
    /** pages passed in are a gift */
    public static final int SPLICE_F_GIFT = 0x08;
    public static final int SPLICE_F_ALL = SPLICE_F_MOVE | SPLICE_F_NONBLOCK | SPLICE_F_MORE | SPLICE_F_GIFT;

    // include/linux/stat.h
    public static final long UTIME_NOW = (1L << 30) - 1L;
    public static final long UTIME_OMIT = (1L << 30) - 2L;
}
