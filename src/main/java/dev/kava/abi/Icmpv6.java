package dev.kava.abi;

/** ICMPv6 (include/uapi/linux/icmpv6.h). */
public final class Icmpv6 {
    private Icmpv6() {}

    public static final int ICMPV6_DEST_UNREACH = 1;
    public static final int ICMPV6_PKT_TOOBIG = 2;
    public static final int ICMPV6_TIME_EXCEED = 3;
    public static final int ICMPV6_PARAMPROB = 4;
    public static final int ICMPV6_ERRMSG_MAX = 127;
    public static final int ICMPV6_INFOMSG_MASK = 0x80;
    public static final int ICMPV6_ECHO_REQUEST = 128;
    public static final int ICMPV6_ECHO_REPLY = 129;
    public static final int ICMPV6_MGM_QUERY = 130;
    public static final int ICMPV6_MGM_REPORT = 131;
    public static final int ICMPV6_MGM_REDUCTION = 132;
    /** NDISC (include/net/ndisc.h). */
    public static final int NDISC_ROUTER_SOLICITATION = 133;
    public static final int NDISC_ROUTER_ADVERTISEMENT = 134;
    public static final int NDISC_NEIGHBOUR_SOLICITATION = 135;
    public static final int NDISC_NEIGHBOUR_ADVERTISEMENT = 136;
    public static final int NDISC_REDIRECT = 137;

    /** Codes for ICMPV6_DEST_UNREACH. */
    public static final int ICMPV6_NOROUTE = 0;
    public static final int ICMPV6_ADM_PROHIBITED = 1;
    public static final int ICMPV6_NOT_NEIGHBOUR = 2;
    public static final int ICMPV6_ADDR_UNREACH = 3;
    public static final int ICMPV6_PORT_UNREACH = 4;
    public static final int ICMPV6_POLICY_FAIL = 5;
    public static final int ICMPV6_REJECT_ROUTE = 6;

    /** Codes for ICMPV6_TIME_EXCEED. */
    public static final int ICMPV6_EXC_HOPLIMIT = 0;
    public static final int ICMPV6_EXC_FRAGTIME = 1;

    /** Codes for ICMPV6_PARAMPROB. */
    public static final int ICMPV6_HDR_FIELD = 0;
    public static final int ICMPV6_UNK_NEXTHDR = 1;
    public static final int ICMPV6_UNK_OPTION = 2;

    /** ICMPV6_FILTER: the SOL_ICMPV6 option (struct icmp6_filter, 8 words; a set bit blocks the type). */
    public static final int ICMPV6_FILTER = 1;
    public static final int ICMP6_FILTER_SIZE = 32;

    /** sizeof(struct icmp6hdr) */
    public static final int ICMPV6_HDR_LEN = 8;
}
