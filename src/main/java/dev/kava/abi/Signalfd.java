package dev.kava.abi;

/** signalfd4 flags and struct signalfd_siginfo (include/uapi/linux/signalfd.h). */
public final class Signalfd {
    private Signalfd() {}

    public static final int SFD_CLOEXEC = Fcntl.O_CLOEXEC;
    public static final int SFD_NONBLOCK = Fcntl.O_NONBLOCK;

    /** sizeof(struct signalfd_siginfo). */
    public static final int SIGINFO_SIZE = 128;
    /** Field offsets of struct signalfd_siginfo. */
    public static final int SSI_SIGNO = 0, SSI_ERRNO = 4, SSI_CODE = 8, SSI_PID = 12, SSI_UID = 16, SSI_FD = 20,
            SSI_TID = 24, SSI_BAND = 28, SSI_OVERRUN = 32, SSI_TRAPNO = 36, SSI_STATUS = 40, SSI_INT = 44,
            SSI_PTR = 48, SSI_UTIME = 56, SSI_STIME = 64, SSI_ADDR = 72, SSI_ADDR_LSB = 80, SSI_SYSCALL = 84,
            SSI_CALL_ADDR = 88, SSI_ARCH = 96;
}
