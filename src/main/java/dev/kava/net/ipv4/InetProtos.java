package dev.kava.net.ipv4;

/**
 * inet_protos[] (net/ipv4/protocol.c): the transport handler of each IP protocol number.
 * UDP, ICMP (and TCP when it comes) register at init; IP input hands each local packet to
 * the handler of its protocol field, after the raw sockets have had their copies.
 */
public final class InetProtos {
    private InetProtos() {}

    /** MAX_INET_PROTOS */
    public static final int MAX_INET_PROTOS = 256;

    private static final NetProtocol[] PROTOS = new NetProtocol[MAX_INET_PROTOS];

    /** inet_add_protocol: false if the number is taken. */
    public static synchronized boolean add(int protocol, NetProtocol p) {
        if (PROTOS[protocol] != null && PROTOS[protocol] != p) return false;
        PROTOS[protocol] = p;
        return true;
    }

    /** inet_del_protocol */
    public static synchronized void del(int protocol, NetProtocol p) {
        if (PROTOS[protocol] == p) PROTOS[protocol] = null;
    }

    public static NetProtocol get(int protocol) {
        return PROTOS[protocol & 0xff];
    }
}
