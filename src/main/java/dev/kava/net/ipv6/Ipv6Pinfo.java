package dev.kava.net.ipv6;

import dev.kava.net.core.Net;

/**
 * The IPv6 half of an AF_INET6 socket (struct ipv6_pinfo, include/linux/ipv6.h, with the
 * sk_v6_* addresses of struct sock_common): its bound, peer and source addresses, and the
 * SOL_IPV6 options. Guarded by the socket's monitor.
 */
public final class Ipv6Pinfo {
    /** sk_v6_rcv_saddr: the bound address (:: for none); sk_v6_daddr: the peer; saddr: the source to send from. */
    public volatile byte[] rcvSaddr = Ip6Addr.ANY, daddr = Ip6Addr.ANY, saddr = Ip6Addr.ANY;
    /** The flow information of the connected peer (sin6_flowinfo, network order as an int). */
    public volatile int flowinfo;
    /** IPV6_V6ONLY; the default is net.ipv6.bindv6only (0). */
    public volatile boolean ipv6only;
    /** IPV6_UNICAST_HOPS (-1: the route's), IPV6_MULTICAST_HOPS. */
    public volatile int hopLimit = -1, mcastHops = -1;
    /** IPV6_TCLASS (-1 reads as 0). */
    public volatile int tclass;
    public volatile int mcastOif, ucastOif;
    public volatile boolean mcLoop = true, recverr, dontfrag, autoflowlabel, sndflow, mcAll = true, freebind, transparent;
    public volatile int pmtudisc = dev.kava.abi.In6.IPV6_PMTUDISC_WANT;
    public volatile int srcPrefs;
    /** rxopt: which ancillary data recvmsg adds (RXOPT_* below). */
    public volatile int rxopt;
    /** IPV6_CHECKSUM of raw sockets: the offset of the checksum to fill in, -1 for none. */
    public volatile int checksumOffset = -1;

    /** struct ipv6_pinfo rxopt bits (kept in kava's own order). */
    public static final int RXOPT_RXINFO = 1, RXOPT_RXOINFO = 1 << 1, RXOPT_RXHLIM = 1 << 2, RXOPT_RXOHLIM = 1 << 3,
            RXOPT_RXTCLASS = 1 << 4, RXOPT_RXORIGDSTADDR = 1 << 5, RXOPT_RXPMTU = 1 << 6, RXOPT_RXFLOW = 1 << 7,
            RXOPT_HOPOPTS = 1 << 8, RXOPT_DSTOPTS = 1 << 9, RXOPT_SRCRT = 1 << 10;

    public Ipv6Pinfo(Net net) {}
}
