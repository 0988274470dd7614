package dev.kava.net.ipv6;

import dev.kava.net.core.SkBuff;

/** The IPv6 header (struct ipv6hdr, include/uapi/linux/ipv6.h): version, traffic class, flow label, payload length, next header, hop limit, addresses. */
public final class Ip6Hdr {
    private Ip6Hdr() {}

    public static final int PAYLOAD_LEN = 4, NEXTHDR = 6, HOP_LIMIT = 7, SADDR = 8, DADDR = 24;

    /** ipv6_get_dsfield: the traffic class (DSCP and ECN). */
    public static int tclass(SkBuff skb, int nh) {
        return (skb.get16(nh) >> 4) & 0xff;
    }

    /** Writes version 6, the traffic class and the flow label. */
    public static void putFirstWord(SkBuff skb, int nh, int tclass, int flowlabel) {
        skb.put32(nh, 0x60000000 | ((tclass & 0xff) << 20) | (flowlabel & 0xfffff));
    }
}
