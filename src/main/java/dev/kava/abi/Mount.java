package dev.kava.abi;

/** mount(2) and umount2(2) flags (include/uapi/linux/mount.h; umount flags from include/linux/fs.h). */
public final class Mount {
    private Mount() {}

    public static final int MS_RDONLY = 1;
    public static final int MS_NOSUID = 2;
    public static final int MS_NODEV = 4;
    public static final int MS_NOEXEC = 8;
    public static final int MS_SYNCHRONOUS = 16;
    public static final int MS_REMOUNT = 32;
    public static final int MS_MANDLOCK = 64;
    public static final int MS_DIRSYNC = 128;
    public static final int MS_NOSYMFOLLOW = 256;
    public static final int MS_NOATIME = 1024;
    public static final int MS_NODIRATIME = 2048;
    public static final int MS_BIND = 4096;
    public static final int MS_MOVE = 8192;
    public static final int MS_REC = 16384;
    public static final int MS_SILENT = 32768;
    public static final int MS_POSIXACL = 1 << 16;
    public static final int MS_UNBINDABLE = 1 << 17;
    public static final int MS_PRIVATE = 1 << 18;
    public static final int MS_SLAVE = 1 << 19;
    public static final int MS_SHARED = 1 << 20;
    public static final int MS_RELATIME = 1 << 21;
    public static final int MS_KERNMOUNT = 1 << 22;
    public static final int MS_I_VERSION = 1 << 23;
    public static final int MS_STRICTATIME = 1 << 24;
    public static final int MS_LAZYTIME = 1 << 25;
    // These sb flags are internal to the kernel
    public static final int MS_SUBMOUNT = 1 << 26;
    public static final int MS_NOREMOTELOCK = 1 << 27;
    public static final int MS_NOSEC = 1 << 28;
    public static final int MS_BORN = 1 << 29;
    public static final int MS_ACTIVE = 1 << 30;
    public static final int MS_NOUSER = 1 << 31;
    /** Superblock flags that can be altered by MS_REMOUNT. */
    public static final int MS_RMT_MASK = MS_RDONLY | MS_SYNCHRONOUS | MS_MANDLOCK | MS_I_VERSION | MS_LAZYTIME;
    public static final int MS_MGC_VAL = 0xC0ED0000;
    public static final int MS_MGC_MSK = 0xffff0000;

    /** The per-mount flags kava keeps (what MNT_* holds in struct vfsmount). */
    public static final int MNT_FLAGS_MASK = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME
            | MS_NODIRATIME | MS_RELATIME | MS_NOSYMFOLLOW;

    // umount2 flags (include/linux/fs.h)
    public static final int MNT_FORCE = 0x1;
    public static final int MNT_DETACH = 0x2;
    public static final int MNT_EXPIRE = 0x4;
    public static final int UMOUNT_NOFOLLOW = 0x8;
    public static final int UMOUNT_UNUSED = 0x80000000;

    // statfs f_flags (include/linux/statfs.h ST_*: the same bits as MS_* for these)
    public static final int ST_RDONLY = 0x0001;
    public static final int ST_NOSUID = 0x0002;
    public static final int ST_NODEV = 0x0004;
    public static final int ST_NOEXEC = 0x0008;
    public static final int ST_SYNCHRONOUS = 0x0010;
    public static final int ST_VALID = 0x0020;
    public static final int ST_MANDLOCK = 0x0040;
    public static final int ST_NOATIME = 0x0400;
    public static final int ST_NODIRATIME = 0x0800;
    public static final int ST_RELATIME = 0x1000;
    public static final int ST_NOSYMFOLLOW = 0x2000;
}
