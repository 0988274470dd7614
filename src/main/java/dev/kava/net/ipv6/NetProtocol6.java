package dev.kava.net.ipv6;

import dev.kava.net.core.SkBuff;

/**
 * A transport above IPv6 (struct inet6_protocol, include/net/protocol.h), registered in
 * {@link Inet6Protos}. rcv gets the packet with skb.data and skb.transportHeader at the
 * transport header, skb.networkHeader at the IPv6 header and skb.cb an {@link Ip6Cb}.
 */
public interface NetProtocol6 {
    int rcv(SkBuff skb);

    /**
     * err_handler: an ICMPv6 error about a packet this host sent; skb.data is at the quoted
     * IPv6 header, offset is where its transport header starts (from skb.data).
     */
    default void err(SkBuff skb, int type, int code, int offset, int info) {}
}
