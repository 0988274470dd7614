package dev.kava.abi;

/**
 * Device numbers: the majors of include/uapi/linux/major.h, and the minors
 * Documentation/admin-guide/devices.txt assigns under them (drivers/char/mem.c's devlist,
 * drivers/tty/tty_io.c).
 */
public final class Major {
    private Major() {}

    /** MEM_MAJOR: the memory devices. */
    public static final int MEM_MAJOR = 1;
    /** TTYAUX_MAJOR: /dev/tty, /dev/console, /dev/ptmx. */
    public static final int TTYAUX_MAJOR = 5;

    // MEM_MAJOR minors (devices.txt "1 char Memory devices")
    public static final int MEM_NULL = 3;
    public static final int MEM_ZERO = 5;
    public static final int MEM_FULL = 7;
    public static final int MEM_RANDOM = 8;
    public static final int MEM_URANDOM = 9;
    public static final int MEM_KMSG = 11;

    // TTYAUX_MAJOR minors (devices.txt "5 char Alternate TTY devices")
    public static final int TTYAUX_TTY = 0;
    public static final int TTYAUX_CONSOLE = 1;
    public static final int TTYAUX_PTMX = 2;
}
