package dev.kava.net.ipv4;

/**
 * An IPv4 flow key (struct flowi4, include/net/flow.h): what a route lookup is for. The
 * lookup fills in saddr (and daddr for 0.0.0.0) as it decides them.
 */
public final class Flow4 {
    public int daddr, saddr;
    /** flowi4_oif: the device the packet must leave by (SO_BINDTODEVICE, IP_PKTINFO), 0 for any. */
    public int oif;
    /** flowi4_iif on input */
    public int iif;
    public int tos;
    /** flowi4_scope: RT_SCOPE_UNIVERSE, or RT_SCOPE_LINK for SO_DONTROUTE */
    public int scope;
    public int proto;
    public int mark;
    /** FLOWI_FLAG_* */
    public int flags;
    public int sport, dport;

    /** FLOWI_FLAG_ANYSRC: the source need not be a local address (IP_FREEBIND, IP_TRANSPARENT, net.ipv4.ip_nonlocal_bind). */
    public static final int FLOWI_FLAG_ANYSRC = 0x01;

    public Flow4(int daddr, int saddr, int oif, int tos, int proto) {
        this.daddr = daddr;
        this.saddr = saddr;
        this.oif = oif;
        this.tos = tos;
        this.proto = proto;
    }
}
