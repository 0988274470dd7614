package dev.kava.net.ipv4;

import dev.kava.abi.Icmp;
import dev.kava.abi.IfEther;
import dev.kava.kernel.ErrnoException;
import dev.kava.lib.Checksum;
import dev.kava.net.core.Dev;
import dev.kava.net.core.Net;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.PacketHandler;
import dev.kava.net.core.SkBuff;

/**
 * IPv4 input (net/ipv4/ip_input.c): ip_rcv checks the header (version, length, checksum,
 * total length), routes the packet (ip_rcv_finish), and ip_local_deliver hands a packet for
 * this host to the raw sockets and to the transport of its protocol, after putting fragments
 * back together.
 */
public final class IpInput implements PacketHandler {
    static final IpInput INSTANCE = new IpInput();

    private IpInput() {}

    /** The raw-socket delivery hook (raw_local_deliver); set by the raw socket layer. */
    public interface RawDeliver {
        /** Gives clones to the raw sockets of the packet's protocol; returns whether any took one. */
        boolean deliver(Net net, SkBuff skb, int protocol);
    }

    static volatile RawDeliver raw;

    public static void setRawDeliver(RawDeliver r) {
        raw = r;
    }

    /** ip_rcv + ip_rcv_core: drops what is not for this host or is malformed, counting why. */
    @Override
    public int rcv(SkBuff skb, NetDevice dev) {
        Net net = dev.net;
        IpMib mib = net.ipv4.mib;
        if (skb.pktType == IfEther.PACKET_OTHERHOST) {
            dev.stats.rxOtherhostDropped.increment();
            skb.free();
            return NET_RX_DROP;
        }
        mib.ip(IpMib.IN_RECEIVES);
        skb.resetNetworkHeader();
        int nh = skb.networkHeader;
        if (!skb.mayPull(Ip.HDR_LEN)) return hdrError(skb, mib);
        int vihl = skb.get8(nh);
        int ihl = (vihl & 0x0f) * 4;
        if ((vihl >> 4) != 4 || ihl < Ip.HDR_LEN) return hdrError(skb, mib);
        if (!skb.mayPull(ihl)) return hdrError(skb, mib);
        if (skb.ipSummed != SkBuff.CHECKSUM_UNNECESSARY && Checksum.ipFastCsum(skb.buf, nh, ihl / 4) != 0) {
            return hdrError(skb, mib);
        }
        int totLen = skb.get16(nh + Ip.TOT_LEN);
        if (skb.len() < totLen) return hdrError(skb, mib);
        if (totLen < ihl) return hdrError(skb, mib);
        skb.trim(totLen);
        skb.transportHeader = nh + ihl;
        skb.cb = new IpCb(dev.ifindex);
        ((IpCb) skb.cb).optLen = ihl - Ip.HDR_LEN;
        return rcvFinish(net, skb, dev);
    }

    private static int hdrError(SkBuff skb, IpMib mib) {
        mib.ip(IpMib.IN_HDR_ERRORS);
        skb.free();
        return NET_RX_DROP;
    }

    /** ip_rcv_finish: the input route decides; only local (and broadcast) delivery exists. */
    private int rcvFinish(Net net, SkBuff skb, NetDevice dev) {
        int nh = skb.networkHeader;
        int daddr = skb.get32(nh + Ip.DADDR), saddr = skb.get32(nh + Ip.SADDR), tos = skb.get8(nh + Ip.TOS);
        Rtable rt;
        try {
            rt = Route.input(net, daddr, saddr, tos, dev);
        } catch (ErrnoException e) {
            net.ipv4.mib.ip(IpMib.IN_ADDR_ERRORS);
            skb.free();
            return NET_RX_DROP;
        }
        skb.dst = rt;
        if (rt.isBroadcast() && skb.pktType == IfEther.PACKET_HOST) skb.pktType = IfEther.PACKET_BROADCAST;
        return localDeliver(net, skb);
    }

    /** ip_local_deliver: fragments are reassembled (ip_defrag); then ip_local_deliver_finish. */
    private int localDeliver(Net net, SkBuff skb) {
        int nh = skb.networkHeader;
        int frag = skb.get16(nh + Ip.FRAG_OFF);
        if ((frag & (Ip.IP_MF | Ip.IP_OFFSET)) != 0) {
            skb.data = skb.transportHeader;
            SkBuff whole = IpFragment.reassemble(net, skb);
            if (whole == null) return NET_RX_SUCCESS;
            skb = whole;
            nh = skb.networkHeader;
        }
        skb.data = skb.transportHeader;
        return protocolDeliver(net, skb, skb.get8(nh + Ip.PROTOCOL));
    }

    /**
     * ip_protocol_deliver_rcu: raw sockets get their copies, then the transport its packet. A
     * protocol nobody handles is answered with ICMP protocol unreachable (unless a raw socket
     * took the packet) and counted in InUnknownProtos.
     */
    static int protocolDeliver(Net net, SkBuff skb, int protocol) {
        RawDeliver r = raw;
        boolean rawTook = r != null && r.deliver(net, skb, protocol);
        NetProtocol p = InetProtos.get(protocol);
        if (p != null) {
            net.ipv4.mib.ip(IpMib.IN_DELIVERS);
            p.rcv(skb);
            return NET_RX_SUCCESS;
        }
        if (!rawTook) {
            net.ipv4.mib.ip(IpMib.IN_UNKNOWN_PROTOS);
            IcmpProto.send(net, skb, Icmp.ICMP_DEST_UNREACH, Icmp.ICMP_PROT_UNREACH, 0);
        } else {
            net.ipv4.mib.ip(IpMib.IN_DELIVERS);
        }
        skb.free();
        return NET_RX_SUCCESS;
    }

    /** ip_init: IPv4 takes ETH_P_IP packets. */
    static void init() {
        Dev.addPack(IfEther.ETH_P_IP, INSTANCE);
    }
}
