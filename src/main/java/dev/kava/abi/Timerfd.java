package dev.kava.abi;

/** timerfd flags and ioctls (include/uapi/linux/timerfd.h). */
public final class Timerfd {
    private Timerfd() {}

    public static final int TFD_TIMER_ABSTIME = 1 << 0;
    public static final int TFD_TIMER_CANCEL_ON_SET = 1 << 1;
    public static final int TFD_CLOEXEC = Fcntl.O_CLOEXEC;
    public static final int TFD_NONBLOCK = Fcntl.O_NONBLOCK;
    /** TFD_SHARED_FCNTL_FLAGS, which is also TFD_CREATE_FLAGS (include/linux/timerfd.h). */
    public static final int TFD_CREATE_FLAGS = TFD_CLOEXEC | TFD_NONBLOCK;
    /** TFD_SETTIME_FLAGS (include/linux/timerfd.h). */
    public static final int TFD_SETTIME_FLAGS = TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET;
    /** TFD_IOC_SET_TICKS: _IOW('T', 0, __u64). */
    public static final int TFD_IOC_SET_TICKS = (1 << 30) | (8 << 16) | ('T' << 8);
}
