package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.IfEther;
import dev.kava.lib.Checksum;
import dev.kava.net.core.Dev;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.SkBuff;
import dev.kava.net.sched.Qdisc;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * IPv4 output (net/ipv4/ip_output.c): building the header in front of a transport segment
 * ({@link #buildAndSend}, as ip_queue_xmit and ip_build_and_send_pkt do), ip_local_out
 * (tot_len and checksum), ip_output / ip_finish_output (the MTU check), and
 * ip_finish_output2 (the link header, then dev_queue_xmit).
 *
 * <p>A datagram longer than the route's MTU is fragmented ({@link IpFragment}) unless DF
 * forbids it (EMSGSIZE). On lo (MTU 65536) every IPv4 datagram fits.
 */
public final class IpOutput {
    private final NetnsIpv4 ip;
    /** The stateless IP ID generator for packets that are not tied to a connected socket (__ip_select_ident). */
    private final AtomicInteger ids = new AtomicInteger((int) System.nanoTime() * 0x9E3779B9);

    IpOutput(NetnsIpv4 ip) {
        this.ip = ip;
    }

    /** What a transport wants in the header it cannot write itself. */
    public static final class Params {
        public int saddr, daddr, protocol, tos, ttl;
        /** Set DF. */
        public boolean df;
        /** The ID to use (a connected socket's inet_id counter), or -1 for the stateless choice. */
        public int id = -1;
        public int priority, mark;

        public Params(int saddr, int daddr, int protocol, int tos, int ttl) {
            this.saddr = saddr;
            this.daddr = daddr;
            this.protocol = protocol;
            this.tos = tos;
            this.ttl = ttl;
        }
    }

    /**
     * Pushes a 20-byte IPv4 header in front of skb.data (the transport header, with headroom
     * left for the IP and link headers) and sends it along rt. Returns 0, or a negative errno
     * (EMSGSIZE, ENETDOWN, ENOBUFS for a qdisc drop) as ip_local_out reports it.
     */
    public int buildAndSend(SkBuff skb, Rtable rt, Params p) {
        skb.resetTransportHeader();
        int at = skb.push(Ip.HDR_LEN);
        skb.resetNetworkHeader();
        skb.put8(at + Ip.VERSION_IHL, 0x45);
        skb.put8(at + Ip.TOS, p.tos);
        skb.put16(at + Ip.FRAG_OFF, p.df ? Ip.IP_DF : 0);
        skb.put8(at + Ip.TTL, p.ttl);
        skb.put8(at + Ip.PROTOCOL, p.protocol);
        skb.put32(at + Ip.SADDR, p.saddr);
        skb.put32(at + Ip.DADDR, p.daddr);
        skb.put16(at + Ip.ID, selectId(p));
        skb.priority = p.priority;
        skb.mark = p.mark;
        skb.protocol = IfEther.ETH_P_IP;
        skb.dst = rt;
        skb.dev = rt.dev;
        return localOut(skb);
    }

    /** ip_select_ident_segs: a connected socket's counter; 0 for DF packets; else the shared generator. */
    private int selectId(Params p) {
        if (p.id >= 0) return p.id & 0xffff;
        if (p.df) return 0;
        return ids.getAndIncrement() & 0xffff;
    }

    /** The next ID of the stateless generator (raw sockets that give none). */
    public int nextId() {
        return ids.getAndIncrement() & 0xffff;
    }

    /**
     * ip_local_out: fills tot_len and the header checksum of the packet at skb.networkHeader,
     * then dst_output. OutRequests counts it.
     */
    public int localOut(SkBuff skb) {
        int nh = skb.networkHeader;
        int ihl = (skb.get8(nh) & 0x0f) * 4;
        skb.put16(nh + Ip.TOT_LEN, skb.tail - nh);
        skb.put16(nh + Ip.CHECK, 0);
        skb.put16(nh + Ip.CHECK, Checksum.ipFastCsum(skb.buf, nh, ihl / 4));
        ip.mib.ip(IpMib.OUT_REQUESTS);
        return skb.dst.output(skb);
    }

    /** ip_output and ip_finish_output: the MTU check and fragmentation, then the link layer. */
    int output(SkBuff skb, Rtable rt) {
        NetDevice dev = rt.dev;
        skb.dev = dev;
        skb.protocol = IfEther.ETH_P_IP;
        int len = skb.tail - skb.networkHeader;
        if (len > rt.mtu()) {
            // ip_fragment: DF forbids it unless the sender allows local fragmentation (ignore_df).
            boolean df = (skb.get16(skb.networkHeader + Ip.FRAG_OFF) & Ip.IP_DF) != 0;
            if (df && !skb.ignoreDf) {
                ip.mib.ip(IpMib.FRAG_FAILS);
                skb.free();
                return -Errno.EMSGSIZE;
            }
            int rc = 0;
            for (SkBuff f : IpFragment.fragment(ip, skb, rt.mtu())) {
                int r = finishOutput2(f, rt);
                if (r < 0 && rc == 0) rc = r;
            }
            return rc;
        }
        return finishOutput2(skb, rt);
    }

    /**
     * ip_finish_output2: the link header (a device without ARP, such as lo, takes its own
     * hardware address as the neighbour's), then dev_queue_xmit. A qdisc drop is ENOBUFS
     * (net_xmit_errno); congestion notification is success.
     */
    private int finishOutput2(SkBuff skb, Rtable rt) {
        NetDevice dev = rt.dev;
        if ((dev.flags & (If.IFF_NOARP | If.IFF_LOOPBACK)) == 0 && dev.ethernetHeaders()) {
            // Neighbour resolution (ARP) comes with the first device that needs it.
            ip.mib.ip(IpMib.OUT_NO_ROUTES);
            skb.free();
            return -Errno.EHOSTUNREACH;
        }
        dev.hardHeader(skb, IfEther.ETH_P_IP, (rt.flags & Rtable.RTCF_BROADCAST) != 0 ? dev.broadcast : null);
        ip.mib.ip(IpMib.OUT_TRANSMITS);
        int rc = Dev.queueXmit(skb);
        if (rc < 0) return rc;
        return rc == Qdisc.NET_XMIT_SUCCESS || rc == Qdisc.NET_XMIT_CN ? 0 : -Errno.ENOBUFS;
    }
}
