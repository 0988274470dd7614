package dev.kava.abi;

/** kcmp types (include/uapi/linux/kcmp.h). */
public final class Kcmp {
    private Kcmp() {}

    public static final int KCMP_FILE = 0;
    public static final int KCMP_VM = 1;
    public static final int KCMP_FILES = 2;
    public static final int KCMP_FS = 3;
    public static final int KCMP_SIGHAND = 4;
    public static final int KCMP_IO = 5;
    public static final int KCMP_SYSVSEM = 6;
    public static final int KCMP_EPOLL_TFD = 7;
    public static final int KCMP_TYPES = 8;
}
