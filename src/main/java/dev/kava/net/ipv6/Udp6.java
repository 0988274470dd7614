package dev.kava.net.ipv6;

import dev.kava.abi.Icmpv6;
import dev.kava.abi.In;
import dev.kava.lib.Checksum;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv4.IpMib;
import dev.kava.net.ipv4.UdpSock;
import dev.kava.net.ipv4.UdpTable;

/** UDP and UDP-Lite over IPv6, the receive side (udpv6_rcv, udplitev6_rcv and __udp6_lib_err, net/ipv6/udp.c). */
public final class Udp6 implements NetProtocol6 {
    static final Udp6 INSTANCE = new Udp6(false), LITE = new Udp6(true);

    private final boolean lite;
    private final int proto;

    private Udp6(boolean lite) {
        this.lite = lite;
        this.proto = lite ? In.IPPROTO_UDPLITE : In.IPPROTO_UDP;
    }

    private UdpTable table(Net net) {
        return net.ipv4.udpTable(lite);
    }

    /**
     * __udp6_lib_rcv: the length and the checksum (mandatory over IPv6: a zero checksum is an
     * error), the socket of the destination, or ICMPv6 port unreachable.
     */
    @Override
    public int rcv(SkBuff skb) {
        Net net = skb.dst.dev.net;
        IpMib mib = net.ipv6.mib;
        if (!skb.mayPull(UdpSock.UDP_HDR_LEN)) {
            mib.udp(lite, IpMib.UDP_IN_ERRORS);
            return 0;
        }
        int uh = skb.data, nh = skb.networkHeader;
        int ulen = skb.get16(uh + 4);
        if (ulen > skb.len()) {
            mib.udp(lite, IpMib.UDP_IN_ERRORS);
            return 0;
        }
        // UDP-Lite's length field is the checksum coverage: the datagram is the whole payload.
        if (!lite) {
            if (ulen == 0) ulen = skb.len(); // a jumbogram's length is the payload's
            if (ulen < UdpSock.UDP_HDR_LEN) {
                mib.udp(lite, IpMib.UDP_IN_ERRORS);
                return 0;
            }
            skb.trim(ulen);
        }
        ulen = skb.len();
        // udplite_checksum_init, before the socket lookup as in udp6_csum_init.
        int cov = UdpSock.rcvCoverage(lite, skb, uh, ulen);
        if (cov < 0) {
            mib.udp(lite, IpMib.UDP_IN_CSUM_ERRORS);
            mib.udp(lite, IpMib.UDP_IN_ERRORS);
            return 0;
        }
        byte[] saddr = Ip6Addr.read(skb.buf, nh + Ip6Hdr.SADDR), daddr = Ip6Addr.read(skb.buf, nh + Ip6Hdr.DADDR);
        int sport = skb.get16(uh), dport = skb.get16(uh + 2);
        int check = skb.get16(uh + 6);
        UdpSock sk = table(net).lookup6(saddr, sport, daddr, dport, ((Ip6Cb) skb.cb).iif);
        if (check == 0) {
            if (sk == null || !sk.noCheck6Rx()) {
                mib.udp(lite, IpMib.UDP_IN_ERRORS);
                return 0;
            }
        } else if (skb.ipSummed != SkBuff.CHECKSUM_UNNECESSARY
                && Checksum.ipv6Magic(saddr, daddr, ulen, proto, Checksum.partial(skb.buf, uh, cov, 0)) != 0) {
            mib.udp(lite, IpMib.UDP_IN_CSUM_ERRORS);
            mib.udp(lite, IpMib.UDP_IN_ERRORS);
            return 0;
        }
        if (sk == null) {
            mib.udp(lite, IpMib.UDP_NO_PORTS);
            Icmpv6Proto.send(net, skb, Icmpv6.ICMPV6_DEST_UNREACH, Icmpv6.ICMPV6_PORT_UNREACH, 0);
            return 0;
        }
        sk.deliver(skb, mib, cov < ulen ? cov : 0);
        return 0;
    }

    /** __udp6_lib_err */
    @Override
    public void err(SkBuff skb, int type, int code, int offset, int info) {
        Net net = skb.dst.dev.net;
        int q = skb.data;
        int uh = q + offset;
        byte[] saddr = Ip6Addr.read(skb.buf, q + Ip6Hdr.SADDR), daddr = Ip6Addr.read(skb.buf, q + Ip6Hdr.DADDR);
        int iif = skb.cb instanceof Ip6Cb c ? c.iif : 0;
        UdpSock sk = table(net).lookup6(daddr, skb.get16(uh + 2), saddr, skb.get16(uh), iif);
        if (sk == null) return;
        if (type == Icmpv6.NDISC_REDIRECT) return;
        int[] ef = Icmpv6Proto.errConvert(type, code);
        boolean hard = ef[1] != 0;
        if (type == Icmpv6.ICMPV6_PKT_TOOBIG && sk.v6.pmtudisc != dev.kava.abi.In6.IPV6_PMTUDISC_DONT) hard = true;
        sk.icmpError(ef[0], hard, skb, type, code, info, skb.get16(uh + 2), true, uh + UdpSock.UDP_HDR_LEN);
    }

    static void init() {
        Inet6Protos.add(In.IPPROTO_UDP, INSTANCE);
        Inet6Protos.add(In.IPPROTO_UDPLITE, LITE);
    }
}
