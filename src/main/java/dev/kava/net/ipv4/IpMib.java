package dev.kava.net.ipv4;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The SNMP counters of IPv4, ICMP and UDP (include/uapi/linux/snmp.h) as /proc/net/snmp
 * shows them: one array per group, indexed by the constants below, in the order the file
 * prints them.
 */
public final class IpMib {
    /** IPSTATS_MIB_* as snmp4_ipstats_list prints them (Forwarding and DefaultTTL come first, from sysctls). */
    public static final String[] IP_NAMES = {"InReceives", "InHdrErrors", "InAddrErrors", "ForwDatagrams",
        "InUnknownProtos", "InDiscards", "InDelivers", "OutRequests", "OutDiscards", "OutNoRoutes", "ReasmTimeout",
        "ReasmReqds", "ReasmOKs", "ReasmFails", "FragOKs", "FragFails", "FragCreates", "OutTransmits"};
    public static final int IN_RECEIVES = 0, IN_HDR_ERRORS = 1, IN_ADDR_ERRORS = 2, FORW_DATAGRAMS = 3,
            IN_UNKNOWN_PROTOS = 4, IN_DISCARDS = 5, IN_DELIVERS = 6, OUT_REQUESTS = 7, OUT_DISCARDS = 8,
            OUT_NO_ROUTES = 9, REASM_TIMEOUT = 10, REASM_REQDS = 11, REASM_OKS = 12, REASM_FAILS = 13, FRAG_OKS = 14,
            FRAG_FAILS = 15, FRAG_CREATES = 16, OUT_TRANSMITS = 17;

    /** ICMP_MIB_* of snmp4_icmp_list, then the per-type In/Out counts. */
    public static final String[] ICMP_NAMES = {"InMsgs", "InErrors", "InCsumErrors", "OutMsgs", "OutErrors",
        "OutRateLimitGlobal", "OutRateLimitHost"};
    public static final int ICMP_IN_MSGS = 0, ICMP_IN_ERRORS = 1, ICMP_IN_CSUM_ERRORS = 2, ICMP_OUT_MSGS = 3,
            ICMP_OUT_ERRORS = 4, ICMP_OUT_RATELIMIT_GLOBAL = 5, ICMP_OUT_RATELIMIT_HOST = 6;

    /** UDP_MIB_* of snmp4_udp_list. */
    public static final String[] UDP_NAMES = {"InDatagrams", "NoPorts", "InErrors", "OutDatagrams", "RcvbufErrors",
        "SndbufErrors", "InCsumErrors", "IgnoredMulti", "MemErrors"};
    public static final int UDP_IN_DATAGRAMS = 0, UDP_NO_PORTS = 1, UDP_IN_ERRORS = 2, UDP_OUT_DATAGRAMS = 3,
            UDP_RCVBUF_ERRORS = 4, UDP_SNDBUF_ERRORS = 5, UDP_IN_CSUM_ERRORS = 6, UDP_IGNORED_MULTI = 7, UDP_MEM_ERRORS = 8;

    public final AtomicLongArray ip = new AtomicLongArray(IP_NAMES.length);
    public final AtomicLongArray icmp = new AtomicLongArray(ICMP_NAMES.length);
    /** icmpmsg: In (0..255) and Out (256..511) counts per ICMP type. */
    public final AtomicLongArray icmpMsg = new AtomicLongArray(512);
    public final AtomicLongArray udp = new AtomicLongArray(UDP_NAMES.length);
    public final AtomicLongArray udpLite = new AtomicLongArray(UDP_NAMES.length);

    public void ip(int field) {
        ip.incrementAndGet(field);
    }

    public void icmp(int field) {
        icmp.incrementAndGet(field);
    }

    /** __UDP_INC_STATS(net, field, is_udplite): UDP-Lite counts in its own line. */
    public void udp(boolean lite, int field) {
        (lite ? udpLite : udp).incrementAndGet(field);
    }
}
