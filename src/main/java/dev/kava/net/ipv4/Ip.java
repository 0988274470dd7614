package dev.kava.net.ipv4;

/**
 * The IPv4 header (struct iphdr, include/uapi/linux/ip.h) and address classes
 * (include/linux/in.h). Addresses are ints in host order (127.0.0.1 is 0x7f000001); the
 * packet and sockaddr_in carry them big-endian.
 */
public final class Ip {
    private Ip() {}

    /** Field offsets in struct iphdr. */
    public static final int VERSION_IHL = 0, TOS = 1, TOT_LEN = 2, ID = 4, FRAG_OFF = 6, TTL = 8, PROTOCOL = 9,
            CHECK = 10, SADDR = 12, DADDR = 16;
    /** sizeof(struct iphdr) without options */
    public static final int HDR_LEN = 20;
    /** The most a header with options can be (ihl 15). */
    public static final int MAX_HDR_LEN = 60;
    /** IP_MAX_MTU / the largest datagram (tot_len is 16 bits). */
    public static final int IP_MAX_MTU = 0xFFFF;

    /** frag_off bits (include/net/ip.h) */
    public static final int IP_CE = 0x8000, IP_DF = 0x4000, IP_MF = 0x2000, IP_OFFSET = 0x1FFF;

    /** IPTOS_ECN_MASK and the ECN codepoints (include/net/inet_ecn.h) */
    public static final int INET_ECN_MASK = 3, INET_ECN_NOT_ECT = 0, INET_ECN_ECT_1 = 1, INET_ECN_ECT_0 = 2, INET_ECN_CE = 3;
    /** IPTOS_TOS_MASK */
    public static final int IPTOS_TOS_MASK = 0x1E;

    /** net.ipv4.ip_default_ttl's default (IPDEFTTL). */
    public static final int IPDEFTTL = 64;

    public static boolean isLoopback(int a) {
        return (a >>> 24) == 127;
    }

    public static boolean isMulticast(int a) {
        return (a & 0xf0000000) == 0xe0000000;
    }

    public static boolean isLocalMulticast(int a) {
        return (a & 0xffffff00) == 0xe0000000;
    }

    public static boolean isLbcast(int a) {
        return a == 0xffffffff;
    }

    public static boolean isZeronet(int a) {
        return (a >>> 24) == 0;
    }

    /** inet_make_mask */
    public static int mask(int prefixlen) {
        return prefixlen == 0 ? 0 : -1 << (32 - prefixlen);
    }

    /** inet_mask_len: the prefix length of a contiguous mask, or -1. */
    public static int maskLen(int mask) {
        int len = Integer.bitCount(mask);
        return mask(len) == mask ? len : -1;
    }

    /** rt_tos2priority: the queueing priority a TOS asks for (ip_tos2prio, net/ipv4/route.c). */
    public static int tos2priority(int tos) {
        return TOS2PRIO[(tos & IPTOS_TOS_MASK) >> 1];
    }

    /** ip_tos2prio: TC_PRIO_BESTEFFORT 0, FILLER 1, BULK 2, INTERACTIVE_BULK 4, INTERACTIVE 6, with ECN_OR_COST adding 1. */
    private static final int[] TOS2PRIO = {0, 1, 0, 1, 2, 3, 2, 3, 6, 7, 6, 7, 4, 5, 4, 5};

    /** The dotted-quad form of an address. */
    public static String toString(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }
}
