package dev.kava.abi;

/**
 * statx(2): the request/result mask bits, the attribute bits and the layout of struct statx
 * (include/uapi/linux/stat.h), and the AT_STATX_* sync flags (include/uapi/linux/fcntl.h).
 */
public final class Statx {
    private Statx() {}

    // stx_mask bits
    public static final int STATX_TYPE = 0x00000001;
    public static final int STATX_MODE = 0x00000002;
    public static final int STATX_NLINK = 0x00000004;
    public static final int STATX_UID = 0x00000008;
    public static final int STATX_GID = 0x00000010;
    public static final int STATX_ATIME = 0x00000020;
    public static final int STATX_MTIME = 0x00000040;
    public static final int STATX_CTIME = 0x00000080;
    public static final int STATX_INO = 0x00000100;
    public static final int STATX_SIZE = 0x00000200;
    public static final int STATX_BLOCKS = 0x00000400;
    public static final int STATX_BASIC_STATS = 0x000007ff;
    public static final int STATX_BTIME = 0x00000800;
    public static final int STATX_MNT_ID = 0x00001000;
    public static final int STATX_DIOALIGN = 0x00002000;
    public static final int STATX_MNT_ID_UNIQUE = 0x00004000;
    public static final int STATX_SUBVOL = 0x00008000;
    public static final int STATX_WRITE_ATOMIC = 0x00010000;
    public static final int STATX_DIO_READ_ALIGN = 0x00020000;
    public static final int STATX__RESERVED = 0x80000000;

    // stx_attributes bits
    public static final int STATX_ATTR_COMPRESSED = 0x00000004;
    public static final int STATX_ATTR_IMMUTABLE = 0x00000010;
    public static final int STATX_ATTR_APPEND = 0x00000020;
    public static final int STATX_ATTR_NODUMP = 0x00000040;
    public static final int STATX_ATTR_ENCRYPTED = 0x00000800;
    public static final int STATX_ATTR_AUTOMOUNT = 0x00001000;
    public static final int STATX_ATTR_MOUNT_ROOT = 0x00002000;
    public static final int STATX_ATTR_VERITY = 0x00100000;
    public static final int STATX_ATTR_DAX = 0x00200000;
    public static final int STATX_ATTR_WRITE_ATOMIC = 0x00400000;

    // include/uapi/linux/fcntl.h
    public static final int AT_STATX_SYNC_TYPE = 0x6000;
    public static final int AT_STATX_SYNC_AS_STAT = 0x0000;
    public static final int AT_STATX_FORCE_SYNC = 0x2000;
    public static final int AT_STATX_DONT_SYNC = 0x4000;

    /** sizeof(struct statx) */
    public static final int SIZE = 0x100;
    // struct statx field offsets; each struct statx_timestamp is {__s64 tv_sec; __u32 tv_nsec; __s32 __reserved}
    public static final int STX_MASK = 0x00, STX_BLKSIZE = 0x04, STX_ATTRIBUTES = 0x08, STX_NLINK = 0x10,
            STX_UID = 0x14, STX_GID = 0x18, STX_MODE = 0x1c, STX_INO = 0x20, STX_SIZE = 0x28, STX_BLOCKS = 0x30,
            STX_ATTRIBUTES_MASK = 0x38, STX_ATIME = 0x40, STX_BTIME = 0x50, STX_CTIME = 0x60, STX_MTIME = 0x70,
            STX_RDEV_MAJOR = 0x80, STX_RDEV_MINOR = 0x84, STX_DEV_MAJOR = 0x88, STX_DEV_MINOR = 0x8c,
            STX_MNT_ID = 0x90, STX_DIO_MEM_ALIGN = 0x98, STX_DIO_OFFSET_ALIGN = 0x9c, STX_SUBVOL = 0xa0,
            STX_ATOMIC_WRITE_UNIT_MIN = 0xa8, STX_ATOMIC_WRITE_UNIT_MAX = 0xac,
            STX_ATOMIC_WRITE_SEGMENTS_MAX = 0xb0, STX_DIO_READ_OFFSET_ALIGN = 0xb4;
}
