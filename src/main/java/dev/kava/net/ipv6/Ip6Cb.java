package dev.kava.net.ipv6;

/** IP6CB (struct inet6_skb_parm, include/linux/ipv6.h): the IPv6 layer's notes on a received packet. */
public final class Ip6Cb {
    /** The interface it came in on. */
    public final int iif;
    /** The offset (from the network header) of the next-header byte that named the transport: for ICMP parameter problems. */
    public int nhoff;

    public Ip6Cb(int iif) {
        this.iif = iif;
    }
}
