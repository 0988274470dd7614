package dev.kava.abi;

/** Interface addresses in netlink: struct ifaddrmsg, IFA_* attributes and flags (include/uapi/linux/if_addr.h). */
public final class IfAddr {
    private IfAddr() {}

    /** struct ifaddrmsg: ifa_family u8, ifa_prefixlen u8, ifa_flags u8, ifa_scope u8, ifa_index u32. */
    public static final int IFADDRMSG_SIZE = 8;

    /** Attributes (enum IFA_*). */
    public static final int IFA_UNSPEC = 0;
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_ANYCAST = 5;
    public static final int IFA_CACHEINFO = 6;
    public static final int IFA_MULTICAST = 7;
    public static final int IFA_FLAGS = 8;
    public static final int IFA_RT_PRIORITY = 9;
    public static final int IFA_TARGET_NETNSID = 10;
    public static final int IFA_PROTO = 11;
    public static final int IFA_MAX = 11;

    /** struct ifa_cacheinfo: ifa_prefered, ifa_valid, cstamp, tstamp (u32 each). */
    public static final int IFA_CACHEINFO_SIZE = 16;

    public static final int IFA_F_SECONDARY = 0x01;
    public static final int IFA_F_TEMPORARY = IFA_F_SECONDARY;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_OPTIMISTIC = 0x04;
    public static final int IFA_F_DADFAILED = 0x08;
    public static final int IFA_F_HOMEADDRESS = 0x10;
    public static final int IFA_F_DEPRECATED = 0x20;
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;
    public static final int IFA_F_MANAGETEMPADDR = 0x100;
    public static final int IFA_F_NOPREFIXROUTE = 0x200;
    public static final int IFA_F_MCAUTOJOIN = 0x400;
    public static final int IFA_F_STABLE_PRIVACY = 0x800;
    /** INFINITY_LIFE_TIME: a lifetime that never ends (include/net/addrconf.h). */
    public static final long INFINITY_LIFE_TIME = 0xFFFFFFFFL;
}
