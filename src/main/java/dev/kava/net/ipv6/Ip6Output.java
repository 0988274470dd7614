package dev.kava.net.ipv6;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.IfEther;
import dev.kava.abi.In6;
import dev.kava.net.core.Dev;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv4.IpMib;
import dev.kava.net.sched.Qdisc;

/**
 * IPv6 output (net/ipv6/ip6_output.c): the 40-byte header in front of a transport segment
 * (ip6_xmit), then ip6_output / ip6_finish_output2: a packet longer than the path MTU is
 * fragmented if its sender allows it (skb.ignoreDf), else EMSGSIZE; the link header,
 * dev_queue_xmit.
 */
public final class Ip6Output {
    private final NetnsIpv6 ip;

    Ip6Output(NetnsIpv6 ip) {
        this.ip = ip;
    }

    /** What the transport asks of the header. */
    public static final class Params {
        public byte[] saddr, daddr;
        public int nexthdr, tclass, hlimit, flowlabel, priority, mark;

        public Params(byte[] saddr, byte[] daddr, int nexthdr, int tclass, int hlimit) {
            this.saddr = saddr;
            this.daddr = daddr;
            this.nexthdr = nexthdr;
            this.tclass = tclass;
            this.hlimit = hlimit;
        }
    }

    /** ip6_xmit: pushes the header and sends; 0 or a negative errno (EMSGSIZE, ENETDOWN, ENOBUFS for a qdisc drop). */
    public int buildAndSend(SkBuff skb, Rt6Info rt, Params p) {
        skb.resetTransportHeader();
        int plen = skb.len();
        if (plen > In6.IPV6_MAXPLEN) {
            skb.free();
            return -Errno.EMSGSIZE;
        }
        int nh = skb.push(In6.IPV6_HDR_LEN);
        skb.resetNetworkHeader();
        Ip6Hdr.putFirstWord(skb, nh, p.tclass, p.flowlabel);
        skb.put16(nh + Ip6Hdr.PAYLOAD_LEN, plen);
        skb.put8(nh + Ip6Hdr.NEXTHDR, p.nexthdr);
        skb.put8(nh + Ip6Hdr.HOP_LIMIT, p.hlimit);
        System.arraycopy(p.saddr, 0, skb.buf, nh + Ip6Hdr.SADDR, 16);
        System.arraycopy(p.daddr, 0, skb.buf, nh + Ip6Hdr.DADDR, 16);
        skb.priority = p.priority;
        skb.mark = p.mark;
        skb.protocol = IfEther.ETH_P_IPV6;
        skb.dst = rt;
        skb.dev = rt.dev;
        ip.mib.ip(IpMib.OUT_REQUESTS);
        return rt.output(skb);
    }

    /** ip6_output + ip6_finish_output2 */
    int output(SkBuff skb, Rt6Info rt) {
        NetDevice dev = rt.dev;
        skb.dev = dev;
        if (skb.tail - skb.networkHeader > rt.mtu()) {
            if (!skb.ignoreDf || rt.mtu() < In6.IPV6_MIN_MTU) {
                ip.mib.ip(IpMib.FRAG_FAILS);
                skb.free();
                return -Errno.EMSGSIZE;
            }
            int rc = 0;
            for (SkBuff f : Ip6Fragment.fragment(ip, skb, rt.mtu())) {
                int r = finishOutput2(f, rt);
                if (r < 0 && rc == 0) rc = r;
            }
            return rc;
        }
        return finishOutput2(skb, rt);
    }

    /** ip6_finish_output2: the link header, then dev_queue_xmit. */
    private int finishOutput2(SkBuff skb, Rt6Info rt) {
        NetDevice dev = rt.dev;
        if ((dev.flags & (If.IFF_NOARP | If.IFF_LOOPBACK)) == 0 && dev.ethernetHeaders()) {
            // Neighbour discovery comes with the first device that needs it.
            ip.mib.ip(IpMib.OUT_NO_ROUTES);
            skb.free();
            return -Errno.EHOSTUNREACH;
        }
        dev.hardHeader(skb, IfEther.ETH_P_IPV6, null);
        ip.mib.ip(IpMib.OUT_TRANSMITS);
        int rc = Dev.queueXmit(skb);
        if (rc < 0) return rc;
        return rc == Qdisc.NET_XMIT_SUCCESS || rc == Qdisc.NET_XMIT_CN ? 0 : -Errno.ENOBUFS;
    }
}
