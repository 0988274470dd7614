package dev.kava.net.ipv6;

import dev.kava.abi.IfEther;
import dev.kava.abi.In6;
import dev.kava.abi.Icmpv6;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Dev;
import dev.kava.net.core.Net;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.PacketHandler;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv4.IpMib;

/**
 * IPv6 input (net/ipv6/ip6_input.c): ipv6_rcv checks the header and the payload length,
 * routes the packet, and ip6_input_finish walks the extension headers (hop-by-hop only first,
 * destination options and routing headers without segments left are skipped; fragments are
 * reassembled), gives raw sockets their copies and the transport its
 * packet; an unknown next header gets an ICMPv6 parameter problem.
 */
public final class Ip6Input implements PacketHandler {
    static final Ip6Input INSTANCE = new Ip6Input();

    /** Raw IPv6 delivery (raw6_local_deliver), set by the raw socket layer. */
    public interface RawDeliver {
        boolean deliver(Net net, SkBuff skb, int nexthdr);
    }

    static volatile RawDeliver raw;

    public static void setRawDeliver(RawDeliver r) {
        raw = r;
    }

    @Override
    public int rcv(SkBuff skb, NetDevice dev) {
        Net net = dev.net;
        IpMib mib = net.ipv6.mib;
        if (skb.pktType == IfEther.PACKET_OTHERHOST) {
            skb.free();
            return NET_RX_DROP;
        }
        mib.ip(IpMib.IN_RECEIVES);
        skb.resetNetworkHeader();
        int nh = skb.networkHeader;
        if (!skb.mayPull(In6.IPV6_HDR_LEN) || (skb.get8(nh) >> 4) != 6) return hdrError(skb, mib);
        int plen = skb.get16(nh + Ip6Hdr.PAYLOAD_LEN);
        if (plen == 0 || plen + In6.IPV6_HDR_LEN > skb.len()) return hdrError(skb, mib);
        skb.trim(plen + In6.IPV6_HDR_LEN);
        byte[] saddr = Ip6Addr.read(skb.buf, nh + Ip6Hdr.SADDR), daddr = Ip6Addr.read(skb.buf, nh + Ip6Hdr.DADDR);
        if (Ip6Addr.isMulticast(saddr)) return hdrError(skb, mib);
        Ip6Cb cb = new Ip6Cb(dev.ifindex);
        cb.nhoff = Ip6Hdr.NEXTHDR;
        skb.cb = cb;
        try {
            skb.dst = Route6.input(net, daddr, saddr, dev);
        } catch (ErrnoException e) {
            mib.ip(IpMib.IN_ADDR_ERRORS);
            skb.free();
            return NET_RX_DROP;
        }
        skb.pull(In6.IPV6_HDR_LEN);
        skb.transportHeader = skb.data;
        return inputFinish(net, skb, skb.get8(nh + Ip6Hdr.NEXTHDR));
    }

    private static int hdrError(SkBuff skb, IpMib mib) {
        mib.ip(IpMib.IN_HDR_ERRORS);
        skb.free();
        return NET_RX_DROP;
    }

    /** ip6_protocol_deliver_rcu: the extension headers, then raw sockets and the transport. */
    private static int inputFinish(Net net, SkBuff skb, int nexthdr) {
        Ip6Cb cb = (Ip6Cb) skb.cb;
        boolean first = true;
        while (true) {
            switch (nexthdr) {
                case In6.NEXTHDR_HOP, In6.NEXTHDR_DEST, In6.NEXTHDR_ROUTING -> {
                    if (nexthdr == In6.NEXTHDR_HOP && !first) {
                        Icmpv6Proto.paramProb(net, skb, Icmpv6.ICMPV6_UNK_NEXTHDR, cb.nhoff);
                        skb.free();
                        return NET_RX_DROP;
                    }
                    if (!skb.mayPull(8)) return drop(net, skb);
                    int hlen = (skb.get8(skb.data + 1) + 1) * 8;
                    if (!skb.mayPull(hlen)) return drop(net, skb);
                    if (nexthdr == In6.NEXTHDR_ROUTING && skb.get8(skb.data + 3) != 0) {
                        // Segments left: this host would have to forward the packet.
                        Icmpv6Proto.paramProb(net, skb, Icmpv6.ICMPV6_HDR_FIELD, skb.data + 2 - skb.networkHeader);
                        skb.free();
                        return NET_RX_DROP;
                    }
                    cb.nhoff = skb.data - skb.networkHeader;
                    nexthdr = skb.get8(skb.data);
                    skb.pull(hlen);
                    skb.transportHeader = skb.data;
                    first = false;
                }
                case In6.NEXTHDR_FRAGMENT -> {
                    int[] next = new int[1];
                    SkBuff whole = Ip6Fragment.reassemble(net, skb, next);
                    if (whole == null) return NET_RX_SUCCESS;
                    skb = whole;
                    cb = (Ip6Cb) skb.cb;
                    nexthdr = next[0];
                    first = false;
                }
                case In6.NEXTHDR_NONE -> {
                    net.ipv6.mib.ip(IpMib.IN_DELIVERS);
                    skb.free();
                    return NET_RX_SUCCESS;
                }
                default -> {
                    RawDeliver r = raw;
                    boolean rawTook = r != null && r.deliver(net, skb, nexthdr);
                    NetProtocol6 p = Inet6Protos.get(nexthdr);
                    if (p != null) {
                        net.ipv6.mib.ip(IpMib.IN_DELIVERS);
                        p.rcv(skb);
                        return NET_RX_SUCCESS;
                    }
                    if (!rawTook) {
                        net.ipv6.mib.ip(IpMib.IN_UNKNOWN_PROTOS);
                        Icmpv6Proto.paramProb(net, skb, Icmpv6.ICMPV6_UNK_NEXTHDR, cb.nhoff);
                    } else {
                        net.ipv6.mib.ip(IpMib.IN_DELIVERS);
                    }
                    skb.free();
                    return NET_RX_SUCCESS;
                }
            }
        }
    }

    private static int drop(Net net, SkBuff skb) {
        net.ipv6.mib.ip(IpMib.IN_HDR_ERRORS);
        skb.free();
        return NET_RX_DROP;
    }

    static void init() {
        Dev.addPack(IfEther.ETH_P_IPV6, INSTANCE);
    }
}
