package dev.kava.net.ipv6;

/** inet6_protos[] (net/ipv6/protocol.c): the transport of each next-header value. */
public final class Inet6Protos {
    private Inet6Protos() {}

    private static final NetProtocol6[] PROTOS = new NetProtocol6[256];

    public static synchronized boolean add(int nexthdr, NetProtocol6 p) {
        if (PROTOS[nexthdr] != null && PROTOS[nexthdr] != p) return false;
        PROTOS[nexthdr] = p;
        return true;
    }

    public static synchronized void del(int nexthdr, NetProtocol6 p) {
        if (PROTOS[nexthdr] == p) PROTOS[nexthdr] = null;
    }

    public static NetProtocol6 get(int nexthdr) {
        return PROTOS[nexthdr & 0xff];
    }
}
