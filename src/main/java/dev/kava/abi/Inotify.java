package dev.kava.abi;

/**
 * inotify: the event bits, watch flags, init flags and ioctl of include/uapi/linux/inotify.h,
 * the layout of struct inotify_event, and ALL_INOTIFY_BITS of include/linux/inotify.h.
 */
public final class Inotify {
    private Inotify() {}

    // ---- events user space can watch for
    public static final int IN_ACCESS = 0x00000001;
    public static final int IN_MODIFY = 0x00000002;
    public static final int IN_ATTRIB = 0x00000004;
    public static final int IN_CLOSE_WRITE = 0x00000008;
    public static final int IN_CLOSE_NOWRITE = 0x00000010;
    public static final int IN_OPEN = 0x00000020;
    public static final int IN_MOVED_FROM = 0x00000040;
    public static final int IN_MOVED_TO = 0x00000080;
    public static final int IN_CREATE = 0x00000100;
    public static final int IN_DELETE = 0x00000200;
    public static final int IN_DELETE_SELF = 0x00000400;
    public static final int IN_MOVE_SELF = 0x00000800;

    // ---- events sent as needed to any watch
    public static final int IN_UNMOUNT = 0x00002000;
    public static final int IN_Q_OVERFLOW = 0x00004000;
    public static final int IN_IGNORED = 0x00008000;

    // ---- helper events
    public static final int IN_CLOSE = IN_CLOSE_WRITE | IN_CLOSE_NOWRITE;
    public static final int IN_MOVE = IN_MOVED_FROM | IN_MOVED_TO;

    // ---- special flags
    public static final int IN_ONLYDIR = 0x01000000;
    public static final int IN_DONT_FOLLOW = 0x02000000;
    public static final int IN_EXCL_UNLINK = 0x04000000;
    public static final int IN_MASK_CREATE = 0x10000000;
    public static final int IN_MASK_ADD = 0x20000000;
    public static final int IN_ISDIR = 0x40000000;
    public static final int IN_ONESHOT = 0x80000000;

    public static final int IN_ALL_EVENTS = IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE
            | IN_CLOSE_NOWRITE | IN_OPEN | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_CREATE
            | IN_DELETE_SELF | IN_MOVE_SELF;

    /** ALL_INOTIFY_BITS (include/linux/inotify.h): every bit inotify_add_watch accepts (22 of them). */
    public static final int ALL_INOTIFY_BITS = IN_ACCESS | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE
            | IN_CLOSE_NOWRITE | IN_OPEN | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR
            | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_ADD | IN_MASK_CREATE | IN_ISDIR | IN_ONESHOT;

    // ---- inotify_init1 flags
    public static final int IN_CLOEXEC = Fcntl.O_CLOEXEC;
    public static final int IN_NONBLOCK = Fcntl.O_NONBLOCK;

    /** INOTIFY_IOC_SETNEXTWD: _IOW('I', 0, __s32), the number the next watch descriptor gets. */
    public static final int INOTIFY_IOC_SETNEXTWD = (1 << 30) | (4 << 16) | ('I' << 8);

    /** sizeof(struct inotify_event): __s32 wd; __u32 mask; __u32 cookie; __u32 len; char name[]. */
    public static final int EVENT_SIZE = 16;
}
