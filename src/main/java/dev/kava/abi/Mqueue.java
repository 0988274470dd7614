package dev.kava.abi;

/**
 * POSIX message queue ABI (include/uapi/linux/mqueue.h) and the limits of ipc/mq_sysctl.c and
 * include/linux/ipc_namespace.h.
 */
public final class Mqueue {
    private Mqueue() {}

    public static final int MQ_PRIO_MAX = 32768;
    /** Per-uid limit of kernel memory used by mqueue, in bytes (the RLIMIT_MSGQUEUE default). */
    public static final int MQ_BYTES_MAX = 819200;

    /** struct mq_attr: mq_flags 0, mq_maxmsg 8, mq_msgsize 16, mq_curmsgs 24, four reserved longs; 64 bytes. */
    public static final int MQ_ATTR_SIZE = 64;
    public static final int MQ_FLAGS = 0, MQ_MAXMSG = 8, MQ_MSGSIZE = 16, MQ_CURMSGS = 24;

    /** SIGEV_THREAD notification codes and cookie length. */
    public static final int NOTIFY_NONE = 0;
    public static final int NOTIFY_WOKENUP = 1;
    public static final int NOTIFY_REMOVED = 2;
    public static final int NOTIFY_COOKIE_LEN = 32;

    /** Limits (include/linux/ipc_namespace.h). */
    public static final int DFLT_QUEUESMAX = 256;
    public static final int MIN_MSGMAX = 1;
    public static final int DFLT_MSG = 10;
    public static final int DFLT_MSGMAX = 10;
    public static final int HARD_MSGMAX = 65536;
    public static final int MIN_MSGSIZEMAX = 128;
    public static final int DFLT_MSGSIZE = 8192;
    public static final int DFLT_MSGSIZEMAX = 8192;
    public static final int HARD_MSGSIZEMAX = 16 * 1024 * 1024;
    /** HARD_QUEUESMAX (ipc/mq_sysctl.c: the sysctl's upper bound). */
    public static final int HARD_QUEUESMAX = 1024;

    /** MQUEUE_MAGIC (include/uapi/linux/magic.h). */
    public static final long MQUEUE_MAGIC = 0x19800202L;
}
