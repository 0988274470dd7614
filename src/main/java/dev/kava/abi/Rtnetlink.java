package dev.kava.abi;

/**
 * NETLINK_ROUTE messages (include/uapi/linux/rtnetlink.h): message types, struct rtmsg and
 * its attributes, routing tables, route types, scopes and protocols, multicast groups.
 */
public final class Rtnetlink {
    private Rtnetlink() {}

    /** Message types (RTM_*). */
    public static final int RTM_BASE = 16;
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_SETLINK = 19;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_GETNEIGH = 30;
    public static final int RTM_GETRULE = 34;
    public static final int RTM_GETQDISC = 38;
    public static final int RTM_GETNETCONF = 82;
    /** RTM_MAX: ((__RTM_MAX + 3) & ~3) - 1 with RTM_GETTUNNEL = 122 the last type. */
    public static final int RTM_MAX = 123;

    /** struct rtgenmsg: rtgen_family u8. */
    public static final int RTGENMSG_SIZE = 1;

    /** struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags u32. */
    public static final int RTMSG_SIZE = 12;
    public static final int RTM_FAMILY = 0;
    public static final int RTM_DST_LEN = 1;
    public static final int RTM_SRC_LEN = 2;
    public static final int RTM_TOS = 3;
    public static final int RTM_TABLE = 4;
    public static final int RTM_PROTOCOL = 5;
    public static final int RTM_SCOPE = 6;
    public static final int RTM_TYPE = 7;
    public static final int RTM_FLAGS = 8;

    /** rtm_flags */
    public static final int RTM_F_NOTIFY = 0x100;
    public static final int RTM_F_CLONED = 0x200;
    public static final int RTM_F_PREFIX = 0x800;
    public static final int RTM_F_LOOKUP_TABLE = 0x1000;
    public static final int RTM_F_FIB_MATCH = 0x2000;

    /** enum rtattr_type_t */
    public static final int RTA_UNSPEC = 0;
    public static final int RTA_DST = 1;
    public static final int RTA_SRC = 2;
    public static final int RTA_IIF = 3;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_METRICS = 8;
    public static final int RTA_MULTIPATH = 9;
    public static final int RTA_FLOW = 11;
    public static final int RTA_CACHEINFO = 12;
    public static final int RTA_TABLE = 15;
    public static final int RTA_MARK = 16;
    public static final int RTA_VIA = 18;
    public static final int RTA_PREF = 20;
    public static final int RTA_ENCAP_TYPE = 21;
    public static final int RTA_ENCAP = 22;
    public static final int RTA_EXPIRES = 23;
    public static final int RTA_PAD = 24;
    public static final int RTA_UID = 25;
    public static final int RTA_TTL_PROPAGATE = 26;
    public static final int RTA_IP_PROTO = 27;
    public static final int RTA_SPORT = 28;
    public static final int RTA_DPORT = 29;
    public static final int RTA_NH_ID = 30;
    public static final int RTA_FLOWLABEL = 31;
    public static final int RTA_MAX = 31;

    /** struct rta_cacheinfo: clntref, lastuse, expires, error, used, id, ts, tsage (u32 each). */
    public static final int RTA_CACHEINFO_SIZE = 32;

    /** The rt_flags a cloned IPv4 route reports in rtm_flags (RTCF_LOCAL, include/uapi/linux/in_route.h). */
    public static final int RTCF_LOCAL = 0x80000000;
    public static final int RTCF_BROADCAST = 0x10000000;
    public static final int RTCF_MULTICAST = 0x20000000;

    /** rtnh_flags */
    public static final int RTNH_F_LINKDOWN = 16;

    /** RTEXT_FILTER_* (IFLA_EXT_MASK) */
    public static final int RTEXT_FILTER_VF = 1;
    public static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    /** enum rt_class_t */
    public static final int RT_TABLE_UNSPEC = 0;
    public static final int RT_TABLE_COMPAT = 252;
    public static final int RT_TABLE_DEFAULT = 253;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RT_TABLE_LOCAL = 255;

    /** rtm_type */
    public static final int RTN_UNSPEC = 0;
    public static final int RTN_UNICAST = 1;
    public static final int RTN_LOCAL = 2;
    public static final int RTN_BROADCAST = 3;
    public static final int RTN_ANYCAST = 4;
    public static final int RTN_MULTICAST = 5;
    public static final int RTN_BLACKHOLE = 6;
    public static final int RTN_UNREACHABLE = 7;
    public static final int RTN_PROHIBIT = 8;
    public static final int RTN_THROW = 9;
    public static final int RTN_NAT = 10;
    public static final int RTN_XRESOLVE = 11;

    /** rtm_protocol */
    public static final int RTPROT_UNSPEC = 0;
    public static final int RTPROT_REDIRECT = 1;
    public static final int RTPROT_KERNEL = 2;
    public static final int RTPROT_BOOT = 3;
    public static final int RTPROT_STATIC = 4;
    public static final int RTPROT_RA = 9;

    /** enum rt_scope_t */
    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_SITE = 200;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RT_SCOPE_HOST = 254;
    public static final int RT_SCOPE_NOWHERE = 255;

    /** The route metric IPv6 gives kernel prefix routes (IP6_RT_PRIO_ADDRCONF, include/net/ip6_route.h). */
    public static final int IP6_RT_PRIO_USER = 1024;
    public static final int IP6_RT_PRIO_ADDRCONF = 256;

    /** enum rtnetlink_groups: what a netlink listener subscribes to (RTNLGRP_*). */
    public static final int RTNLGRP_LINK = 1;
    public static final int RTNLGRP_IPV4_IFADDR = 5;
    public static final int RTNLGRP_IPV4_ROUTE = 7;
    public static final int RTNLGRP_IPV6_IFADDR = 9;
    public static final int RTNLGRP_IPV6_ROUTE = 11;
    /**
     * RTNLGRP_MAX: the last group, RTNLGRP_IPV6_ACADDR (39) since Linux 6.14; rtnetlink's
     * kernel socket has this many groups, so NETLINK_ADD_MEMBERSHIP takes 1..39.
     */
    public static final int RTNLGRP_MAX = 39;
}
