package dev.kava.abi;

/** pidfd flags (include/uapi/linux/pidfd.h). */
public final class Pidfd {
    private Pidfd() {}

    public static final int PIDFD_NONBLOCK = Fcntl.O_NONBLOCK;
    public static final int PIDFD_THREAD = Fcntl.O_EXCL;

    /** pidfd_send_signal flags: the scope of the signal. */
    public static final int PIDFD_SIGNAL_THREAD = 1 << 0;
    public static final int PIDFD_SIGNAL_THREAD_GROUP = 1 << 1;
    public static final int PIDFD_SIGNAL_PROCESS_GROUP = 1 << 2;
    /** PIDFD_SEND_SIGNAL_FLAGS (kernel/signal.c). */
    public static final int PIDFD_SEND_SIGNAL_FLAGS = PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP
            | PIDFD_SIGNAL_PROCESS_GROUP;
}
