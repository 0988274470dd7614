package dev.kava.abi;

/** eventfd2 flags (include/linux/eventfd.h; uapi include/uapi/linux/eventfd.h). */
public final class Eventfd {
    private Eventfd() {}

    public static final int EFD_SEMAPHORE = 1 << 0;
    public static final int EFD_CLOEXEC = Fcntl.O_CLOEXEC;
    public static final int EFD_NONBLOCK = Fcntl.O_NONBLOCK;
    public static final int EFD_SHARED_FCNTL_FLAGS = EFD_CLOEXEC | EFD_NONBLOCK;
    public static final int EFD_FLAGS_SET = EFD_SHARED_FCNTL_FLAGS | EFD_SEMAPHORE;
}
