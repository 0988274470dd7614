package dev.kava.net.ipv4;

/**
 * IPCB (struct inet_skb_parm, include/net/ip.h): what the IPv4 layer notes about a packet in
 * its control block, for the transport and for ICMP.
 */
public final class IpCb {
    /** The interface it came in on (inet_iif). */
    public int iif;
    /** IPSKB_* flags */
    public int flags;
    /** The options length (0: no options). */
    public int optLen;

    public IpCb(int iif) {
        this.iif = iif;
    }
}
