package dev.kava.abi;

/** struct new_utsname (include/uapi/linux/utsname.h): six fields of __NEW_UTS_LEN + 1 = 65 bytes. */
public final class Utsname {
    private Utsname() {}

    public static final int FIELD_LEN = 65;
    public static final int SIZE = 6 * FIELD_LEN;
    public static final int SYSNAME = 0, NODENAME = 65, RELEASE = 130, VERSION = 195, MACHINE = 260, DOMAINNAME = 325;
}
