package dev.kava.abi;

/** IPv6 socket addresses and options (include/uapi/linux/in6.h, include/uapi/linux/ipv6.h). */
public final class In6 {
    private In6() {}

    /** IPPROTO_* defined by linux/in6.h (the IPv6 extension headers and ICMPv6). */
    public static final int IPPROTO_HOPOPTS = 0, IPPROTO_ROUTING = 43, IPPROTO_FRAGMENT = 44, IPPROTO_ICMPV6 = 58,
            IPPROTO_NONE = 59, IPPROTO_DSTOPTS = 60, IPPROTO_MH = 135;

    // ---- struct sockaddr_in6: sin6_family, sin6_port, sin6_flowinfo, sin6_addr, sin6_scope_id
    public static final int SOCKADDR_IN6_SIZE = 28;
    /** SIN6_LEN_RFC2133: the older sockaddr_in6 without sin6_scope_id, still accepted. */
    public static final int SIN6_LEN_RFC2133 = 24;
    public static final int SIN6_PORT = 2;
    public static final int SIN6_FLOWINFO = 4;
    public static final int SIN6_ADDR = 8;
    public static final int SIN6_SCOPE_ID = 24;

    /** struct in6_pktinfo: ipi6_addr, ipi6_ifindex. */
    public static final int IN6_PKTINFO_SIZE = 20;

    /** IPV6_FLOWINFO_MASK, IPV6_FLOWLABEL_MASK (big-endian values as host ints). */
    public static final int IPV6_FLOWINFO_MASK = 0x0fffffff;
    public static final int IPV6_FLOWLABEL_MASK = 0x000fffff;

    // ---- SOL_IPV6 options
    public static final int IPV6_ADDRFORM = 1;
    public static final int IPV6_2292PKTINFO = 2;
    public static final int IPV6_2292HOPOPTS = 3;
    public static final int IPV6_2292DSTOPTS = 4;
    public static final int IPV6_2292RTHDR = 5;
    public static final int IPV6_2292PKTOPTIONS = 6;
    public static final int IPV6_CHECKSUM = 7;
    public static final int IPV6_2292HOPLIMIT = 8;
    public static final int IPV6_NEXTHOP = 9;
    public static final int IPV6_AUTHHDR = 10;
    public static final int IPV6_FLOWINFO = 11;
    public static final int IPV6_UNICAST_HOPS = 16;
    public static final int IPV6_MULTICAST_IF = 17;
    public static final int IPV6_MULTICAST_HOPS = 18;
    public static final int IPV6_MULTICAST_LOOP = 19;
    public static final int IPV6_ADD_MEMBERSHIP = 20;
    public static final int IPV6_DROP_MEMBERSHIP = 21;
    public static final int IPV6_ROUTER_ALERT = 22;
    public static final int IPV6_MTU_DISCOVER = 23;
    public static final int IPV6_MTU = 24;
    public static final int IPV6_RECVERR = 25;
    public static final int IPV6_V6ONLY = 26;
    public static final int IPV6_JOIN_ANYCAST = 27;
    public static final int IPV6_LEAVE_ANYCAST = 28;
    public static final int IPV6_MULTICAST_ALL = 29;
    public static final int IPV6_ROUTER_ALERT_ISOLATE = 30;
    public static final int IPV6_RECVERR_RFC4884 = 31;
    public static final int IPV6_FLOWLABEL_MGR = 32;
    public static final int IPV6_FLOWINFO_SEND = 33;
    public static final int IPV6_IPSEC_POLICY = 34;
    public static final int IPV6_XFRM_POLICY = 35;
    public static final int IPV6_HDRINCL = 36;
    public static final int IPV6_RECVPKTINFO = 49;
    public static final int IPV6_PKTINFO = 50;
    public static final int IPV6_RECVHOPLIMIT = 51;
    public static final int IPV6_HOPLIMIT = 52;
    public static final int IPV6_RECVHOPOPTS = 53;
    public static final int IPV6_HOPOPTS = 54;
    public static final int IPV6_RTHDRDSTOPTS = 55;
    public static final int IPV6_RECVRTHDR = 56;
    public static final int IPV6_RTHDR = 57;
    public static final int IPV6_RECVDSTOPTS = 58;
    public static final int IPV6_DSTOPTS = 59;
    public static final int IPV6_RECVPATHMTU = 60;
    public static final int IPV6_PATHMTU = 61;
    public static final int IPV6_DONTFRAG = 62;
    public static final int IPV6_RECVTCLASS = 66;
    public static final int IPV6_TCLASS = 67;
    public static final int IPV6_AUTOFLOWLABEL = 70;
    public static final int IPV6_ADDR_PREFERENCES = 72;
    public static final int IPV6_MINHOPCOUNT = 73;
    public static final int IPV6_ORIGDSTADDR = 74;
    public static final int IPV6_RECVORIGDSTADDR = IPV6_ORIGDSTADDR;
    public static final int IPV6_TRANSPARENT = 75;
    public static final int IPV6_UNICAST_IF = 76;
    public static final int IPV6_RECVFRAGSIZE = 77;
    public static final int IPV6_FREEBIND = 78;

    /** IPV6_MTU_DISCOVER values. */
    public static final int IPV6_PMTUDISC_DONT = 0;
    public static final int IPV6_PMTUDISC_WANT = 1;
    public static final int IPV6_PMTUDISC_DO = 2;
    public static final int IPV6_PMTUDISC_PROBE = 3;
    public static final int IPV6_PMTUDISC_INTERFACE = 4;
    public static final int IPV6_PMTUDISC_OMIT = 5;

    // ---- include/uapi/linux/ipv6.h: next-header values and the fixed header
    public static final int NEXTHDR_HOP = 0;
    public static final int NEXTHDR_TCP = 6;
    public static final int NEXTHDR_UDP = 17;
    public static final int NEXTHDR_IPV6 = 41;
    public static final int NEXTHDR_ROUTING = 43;
    public static final int NEXTHDR_FRAGMENT = 44;
    public static final int NEXTHDR_GRE = 47;
    public static final int NEXTHDR_ESP = 50;
    public static final int NEXTHDR_AUTH = 51;
    public static final int NEXTHDR_ICMP = 58;
    public static final int NEXTHDR_NONE = 59;
    public static final int NEXTHDR_DEST = 60;
    public static final int NEXTHDR_MOBILITY = 135;
    /** sizeof(struct ipv6hdr) */
    public static final int IPV6_HDR_LEN = 40;
    /** IPV6_MIN_MTU */
    public static final int IPV6_MIN_MTU = 1280;
    /** IPV6_MAXPLEN: the largest payload without a jumbogram option. */
    public static final int IPV6_MAXPLEN = 65535;
}
