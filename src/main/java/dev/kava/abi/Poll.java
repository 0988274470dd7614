package dev.kava.abi;

/** poll()/select() events (include/uapi/asm-generic/poll.h; riscv64 uses the generic values) and struct pollfd. */
public final class Poll {
    private Poll() {}

    public static final int POLLIN = 0x0001;
    public static final int POLLPRI = 0x0002;
    public static final int POLLOUT = 0x0004;
    public static final int POLLERR = 0x0008;
    public static final int POLLHUP = 0x0010;
    public static final int POLLNVAL = 0x0020;
    public static final int POLLRDNORM = 0x0040;
    public static final int POLLRDBAND = 0x0080;
    public static final int POLLWRNORM = 0x0100;
    public static final int POLLWRBAND = 0x0200;
    public static final int POLLMSG = 0x0400;
    public static final int POLLREMOVE = 0x1000;
    public static final int POLLRDHUP = 0x2000;

    /** DEFAULT_POLLMASK (include/linux/poll.h): what a file without a poll method reports. */
    public static final int DEFAULT_POLLMASK = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;

    /** struct pollfd: int fd; short events; short revents. */
    public static final int POLLFD_SIZE = 8;

    /** fs/select.c: the event sets select() maps readiness to. */
    public static final int POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
    public static final int POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
    public static final int POLLEX_SET = POLLPRI;
}
