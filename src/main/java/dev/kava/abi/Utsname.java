package dev.kava.abi;

/** struct new_utsname (include/uapi/linux/utsname.h): six fields of __NEW_UTS_LEN + 1 = 65 bytes. */
public final class Utsname {
    private Utsname() {}

    /** __NEW_UTS_LEN: the longest name a field holds, without its NUL. */
    public static final int NEW_UTS_LEN = 64;
    public static final int FIELD_LEN = NEW_UTS_LEN + 1;
    public static final int SIZE = 6 * FIELD_LEN;
    public static final int SYSNAME = 0, NODENAME = 65, RELEASE = 130, VERSION = 195, MACHINE = 260, DOMAINNAME = 325;
}
