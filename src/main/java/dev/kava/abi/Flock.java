package dev.kava.abi;

/**
 * Advisory file locks: the fcntl lock commands, lock types and struct flock of a 64-bit
 * architecture (include/uapi/asm-generic/fcntl.h: riscv64 has no F_GETLK64 and no padding
 * macro, so struct flock is {short l_type; short l_whence; off_t l_start; off_t l_len; pid_t l_pid}),
 * and flock(2)'s operations (the same header).
 */
public final class Flock {
    private Flock() {}

    public static final int F_GETLK = 5;
    public static final int F_SETLK = 6;
    public static final int F_SETLKW = 7;
    /** Open file description locks (fcntl F_OFD_*). */
    public static final int F_OFD_GETLK = 36;
    public static final int F_OFD_SETLK = 37;
    public static final int F_OFD_SETLKW = 38;

    public static final int F_RDLCK = 0;
    public static final int F_WRLCK = 1;
    public static final int F_UNLCK = 2;

    // flock(2)
    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;
    /** Ignored since Linux 5.18 (flock() returns 0 and does nothing). */
    public static final int LOCK_MAND = 32;

    /** sizeof(struct flock) on riscv64 */
    public static final int SIZE = 32;
    public static final int L_TYPE = 0, L_WHENCE = 2, L_START = 8, L_LEN = 16, L_PID = 24;
}
