package dev.kava.abi;

/** AF_UNIX addresses (include/uapi/linux/un.h). */
public final class Un {
    private Un() {}

    /** UNIX_PATH_MAX: the size of sun_path. */
    public static final int UNIX_PATH_MAX = 108;
    /** offsetof(struct sockaddr_un, sun_path): after sa_family_t sun_family. */
    public static final int SUN_PATH_OFFSET = 2;
    /** sizeof(struct sockaddr_un). */
    public static final int SOCKADDR_UN_SIZE = SUN_PATH_OFFSET + UNIX_PATH_MAX;
    /** SIOCUNIXFILE: open the socket's bound file with O_PATH. */
    public static final int SIOCUNIXFILE = Socket.SIOCPROTOPRIVATE + 0;
}
