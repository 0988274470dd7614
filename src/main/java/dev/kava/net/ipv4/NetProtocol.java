package dev.kava.net.ipv4;

import dev.kava.net.core.SkBuff;

/**
 * A transport above IPv4 (struct net_protocol, include/net/protocol.h), registered in
 * {@link InetProtos} under its IPPROTO_ number.
 */
public interface NetProtocol {
    /**
     * handler: a packet for this host. The IP header is pulled: skb.data and
     * skb.transportHeader are at the transport header, skb.networkHeader at the IP header,
     * skb.cb an {@link IpCb}. Returns 0, or a positive IPPROTO_ number to resubmit to (not used
     * by kava's transports). The handler owns the packet.
     */
    int rcv(SkBuff skb);

    /**
     * err_handler: an ICMP error about a packet this host sent. skb.data is at the copy of the
     * original IP header inside the ICMP message (at least its header plus 8 bytes of transport
     * header); the ICMP header is at skb.transportHeader. info is the ICMP's extra word (the
     * MTU for FRAG_NEEDED). The handler finds the socket by the original addresses and ports
     * and reports the error (sk_err, IP_RECVERR queue). Returns 0 or -errno.
     */
    default int err(SkBuff skb, int type, int code, int info) {
        return 0;
    }
}
