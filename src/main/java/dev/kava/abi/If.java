package dev.kava.abi;

/** Network interfaces: flags, operational states, struct ifreq and struct ifconf (include/uapi/linux/if.h). */
public final class If {
    private If() {}

    public static final int IFNAMSIZ = 16;
    public static final int IFALIASZ = 256;

    // ---- enum net_device_flags
    public static final int IFF_UP = 1 << 0;
    public static final int IFF_BROADCAST = 1 << 1;
    public static final int IFF_DEBUG = 1 << 2;
    public static final int IFF_LOOPBACK = 1 << 3;
    public static final int IFF_POINTOPOINT = 1 << 4;
    public static final int IFF_NOTRAILERS = 1 << 5;
    public static final int IFF_RUNNING = 1 << 6;
    public static final int IFF_NOARP = 1 << 7;
    public static final int IFF_PROMISC = 1 << 8;
    public static final int IFF_ALLMULTI = 1 << 9;
    public static final int IFF_MASTER = 1 << 10;
    public static final int IFF_SLAVE = 1 << 11;
    public static final int IFF_MULTICAST = 1 << 12;
    public static final int IFF_PORTSEL = 1 << 13;
    public static final int IFF_AUTOMEDIA = 1 << 14;
    public static final int IFF_DYNAMIC = 1 << 15;
    public static final int IFF_LOWER_UP = 1 << 16;
    public static final int IFF_DORMANT = 1 << 17;
    public static final int IFF_ECHO = 1 << 18;
    /** IFF_VOLATILE: the flags the kernel, not the user, controls. */
    public static final int IFF_VOLATILE = IFF_LOOPBACK | IFF_POINTOPOINT | IFF_BROADCAST | IFF_ECHO
            | IFF_MASTER | IFF_SLAVE | IFF_RUNNING | IFF_LOWER_UP | IFF_DORMANT;

    // ---- RFC 2863 operational states (IF_OPER_*) and link modes
    public static final int IF_OPER_UNKNOWN = 0;
    public static final int IF_OPER_NOTPRESENT = 1;
    public static final int IF_OPER_DOWN = 2;
    public static final int IF_OPER_LOWERLAYERDOWN = 3;
    public static final int IF_OPER_TESTING = 4;
    public static final int IF_OPER_DORMANT = 5;
    public static final int IF_OPER_UP = 6;
    public static final int IF_LINK_MODE_DEFAULT = 0;
    public static final int IF_LINK_MODE_DORMANT = 1;
    public static final int IF_LINK_MODE_TESTING = 2;

    // ---- struct ifreq (64-bit): ifr_name[IFNAMSIZ], then a 24-byte union
    public static final int IFREQ_SIZE = 40;
    public static final int IFR_NAME = 0;
    /** The union: ifr_addr / ifr_flags / ifr_ifindex / ifr_mtu / ifr_hwaddr / ifr_newname / ifr_qlen ... */
    public static final int IFR_IFRU = 16;
    /** struct ifconf (64-bit): int ifc_len, padding, then the buffer pointer. */
    public static final int IFCONF_SIZE = 16;
    public static final int IFC_LEN = 0;
    public static final int IFC_BUF = 8;
}
