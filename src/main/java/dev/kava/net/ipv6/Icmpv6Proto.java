package dev.kava.net.ipv6;

import dev.kava.abi.Icmpv6;
import dev.kava.abi.In;
import dev.kava.abi.In6;
import dev.kava.abi.IfEther;
import dev.kava.kernel.ErrnoException;
import dev.kava.lib.Checksum;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv4.IpMib;

/**
 * ICMPv6 (net/ipv6/icmp.c): the checksum is mandatory; echo requests are answered by the
 * stack, echo replies go to ping sockets, errors to the transport that sent the quoted packet
 * (icmpv6_notify); neighbour discovery and MLD messages are not used on lo and are dropped.
 * {@link #send} is icmp6_send: errors about received packets.
 */
public final class Icmpv6Proto implements NetProtocol6 {
    static final Icmpv6Proto INSTANCE = new Icmpv6Proto();

    private Icmpv6Proto() {}

    /** Echo replies and errors about echo requests for ping sockets (ping_rcv / ping_err of IPv6). */
    public interface PingHook {
        boolean rcv(Net net, SkBuff skb);

        void err(Net net, SkBuff skb, int type, int code, int offset, int info);
    }

    static volatile PingHook ping;

    public static void setPingHook(PingHook h) {
        ping = h;
    }

    /** rawv6 error delivery (rawv6_icmp_error via raw6_icmp_error). */
    public interface RawIcmpError {
        void error(Net net, SkBuff skb, int nexthdr, int type, int code, int offset, int info);
    }

    static volatile RawIcmpError rawError;

    public static void setRawIcmpError(RawIcmpError r) {
        rawError = r;
    }

    static Net netOf(SkBuff skb) {
        return skb.dst.dev.net;
    }

    /** icmpv6_rcv */
    @Override
    public int rcv(SkBuff skb) {
        Net net = netOf(skb);
        IpMib mib = net.ipv6.mib;
        mib.icmp(IpMib.ICMP_IN_MSGS);
        int nh = skb.networkHeader;
        int len = skb.len();
        if (len < Icmpv6.ICMPV6_HDR_LEN) {
            mib.icmp(IpMib.ICMP_IN_ERRORS);
            skb.free();
            return 0;
        }
        if (skb.ipSummed != SkBuff.CHECKSUM_UNNECESSARY
                && Checksum.ipv6Magic(skb.buf, nh + Ip6Hdr.SADDR, nh + Ip6Hdr.DADDR, len, In6.IPPROTO_ICMPV6,
                Checksum.partial(skb.buf, skb.data, len, 0)) != 0) {
            mib.icmp(IpMib.ICMP_IN_CSUM_ERRORS);
            mib.icmp(IpMib.ICMP_IN_ERRORS);
            skb.free();
            return 0;
        }
        int th = skb.data;
        int type = skb.get8(th), code = skb.get8(th + 1);
        mib.icmpMsg.incrementAndGet(type);
        switch (type) {
            case Icmpv6.ICMPV6_ECHO_REQUEST -> {
                if (net.ipv6.icmpEchoIgnoreAll == 0) echoReply(net, skb);
            }
            case Icmpv6.ICMPV6_ECHO_REPLY -> {
                PingHook h = ping;
                if (h != null && h.rcv(net, skb)) return 0;
            }
            case Icmpv6.ICMPV6_DEST_UNREACH, Icmpv6.ICMPV6_PKT_TOOBIG, Icmpv6.ICMPV6_TIME_EXCEED, Icmpv6.ICMPV6_PARAMPROB ->
                    notify(net, skb, type, code, skb.get32(th + 4));
            default -> { }
        }
        skb.free();
        return 0;
    }

    /**
     * icmpv6_notify: skip the quoted packet's extension headers to its transport, and tell the
     * transport (and raw sockets of that protocol).
     */
    private static void notify(Net net, SkBuff skb, int type, int code, int info) {
        if (!skb.pull(Icmpv6.ICMPV6_HDR_LEN) || !skb.mayPull(In6.IPV6_HDR_LEN)) return;
        int q = skb.data;
        int nexthdr = skb.get8(q + Ip6Hdr.NEXTHDR);
        int off = In6.IPV6_HDR_LEN;
        while (nexthdr == In6.NEXTHDR_HOP || nexthdr == In6.NEXTHDR_DEST || nexthdr == In6.NEXTHDR_ROUTING) {
            if (!skb.mayPull(off + 8)) return;
            int hlen = (skb.get8(q + off + 1) + 1) * 8;
            nexthdr = skb.get8(q + off);
            off += hlen;
        }
        if (!skb.mayPull(off + 8)) return;
        RawIcmpError re = rawError;
        if (re != null) re.error(net, skb, nexthdr, type, code, off, info);
        NetProtocol6 p = Inet6Protos.get(nexthdr);
        if (p != null) p.err(skb, type, code, off, info);
    }

    /** The errno and whether it is a hard error (icmpv6_err_convert). */
    public static int[] errConvert(int type, int code) {
        int err = dev.kava.abi.Errno.EPROTO;
        int fatal = 0;
        switch (type) {
            case Icmpv6.ICMPV6_DEST_UNREACH -> {
                fatal = 1;
                int[][] tab = {{dev.kava.abi.Errno.ENETUNREACH, 0}, {dev.kava.abi.Errno.EACCES, 1},
                    {dev.kava.abi.Errno.EHOSTUNREACH, 0}, {dev.kava.abi.Errno.EHOSTUNREACH, 0},
                    {dev.kava.abi.Errno.ECONNREFUSED, 1}, {dev.kava.abi.Errno.EACCES, 1}, {dev.kava.abi.Errno.EACCES, 1}};
                if (code < tab.length) {
                    err = tab[code][0];
                    fatal = tab[code][1];
                }
            }
            case Icmpv6.ICMPV6_PKT_TOOBIG -> err = dev.kava.abi.Errno.EMSGSIZE;
            case Icmpv6.ICMPV6_PARAMPROB -> fatal = 1;
            case Icmpv6.ICMPV6_TIME_EXCEED -> err = dev.kava.abi.Errno.EHOSTUNREACH;
            default -> { }
        }
        return new int[]{err, fatal};
    }

    /** icmpv6_echo_reply: same identifier, sequence and data, from the address the request reached. */
    private static void echoReply(Net net, SkBuff in) {
        byte[] body = in.toByteArray();
        body[0] = (byte) Icmpv6.ICMPV6_ECHO_REPLY;
        int nh = in.networkHeader;
        byte[] saddr = Ip6Addr.read(in.buf, nh + Ip6Hdr.DADDR), daddr = Ip6Addr.read(in.buf, nh + Ip6Hdr.SADDR);
        sendIcmp(net, body, daddr, Ip6Addr.isMulticast(saddr) ? null : saddr, Ip6Hdr.tclass(in, nh),
                ((Ip6Cb) in.cb).iif);
    }

    /** Sends an ICMPv6 message (checksum filled in) from saddr (null: chosen) to daddr. */
    static boolean sendIcmp(Net net, byte[] body, byte[] daddr, byte[] saddr, int tclass, int oif) {
        Rt6Info rt;
        try {
            rt = Route6.output(net, daddr, saddr, Inet6Sk.needsScopeId(daddr) ? oif : 0, true);
        } catch (ErrnoException e) {
            net.ipv6.mib.icmp(IpMib.ICMP_OUT_ERRORS);
            return false;
        }
        SkBuff.put16(body, 2, 0);
        SkBuff.put16(body, 2, Checksum.ipv6Magic(rt.src, daddr, body.length, In6.IPPROTO_ICMPV6,
                Checksum.partial(body, 0, body.length, 0)));
        SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER, body.length);
        skb.putData(body, 0, body.length);
        skb.ignoreDf = true;
        net.ipv6.mib.icmp(IpMib.ICMP_OUT_MSGS);
        net.ipv6.mib.icmpMsg.incrementAndGet(256 + (body[0] & 0xff));
        net.ipv6.out.buildAndSend(skb, rt, new Ip6Output.Params(rt.src, daddr, In6.IPPROTO_ICMPV6, tclass, net.ipv6.hopLimit));
        return true;
    }

    /** A parameter problem about a received packet (ICMPV6_PARAMPROB with the offending byte's offset). */
    static void paramProb(Net net, SkBuff skb, int code, int pointer) {
        send(net, skb, Icmpv6.ICMPV6_PARAMPROB, code, pointer);
    }

    /**
     * icmp6_send: nothing about packets from unspecified or multicast sources, to multicast
     * destinations (but packet-too-big and unknown-option problems), or about ICMPv6 errors.
     * The error quotes as much of the packet as fits in the minimum MTU. Rate limited globally
     * (every error type but packet-too-big).
     */
    public static void send(Net net, SkBuff in, int type, int code, int info) {
        int nh = in.networkHeader;
        if (nh < 0 || in.tail - nh < In6.IPV6_HDR_LEN) return;
        byte[] saddr = Ip6Addr.read(in.buf, nh + Ip6Hdr.SADDR), daddr = Ip6Addr.read(in.buf, nh + Ip6Hdr.DADDR);
        if (Ip6Addr.isAny(saddr) || Ip6Addr.isMulticast(saddr)) return;
        if (Ip6Addr.isMulticast(daddr) || in.pktType != IfEther.PACKET_HOST) {
            if (!(type == Icmpv6.ICMPV6_PKT_TOOBIG || (type == Icmpv6.ICMPV6_PARAMPROB && code == Icmpv6.ICMPV6_UNK_OPTION))) return;
        }
        // Never an error about an error: look at the quoted packet's transport.
        if (in.get8(nh + Ip6Hdr.NEXTHDR) == In6.IPPROTO_ICMPV6 && in.tail - nh > In6.IPV6_HDR_LEN) {
            int t = in.get8(nh + In6.IPV6_HDR_LEN);
            if ((t & Icmpv6.ICMPV6_INFOMSG_MASK) == 0) return;
        }
        if (type != Icmpv6.ICMPV6_PKT_TOOBIG && !dev.kava.net.ipv4.IcmpRate.globalAllow(net)) {
            net.ipv6.mib.icmp(IpMib.ICMP_OUT_RATELIMIT_GLOBAL);
            return;
        }
        int room = In6.IPV6_MIN_MTU - In6.IPV6_HDR_LEN - Icmpv6.ICMPV6_HDR_LEN;
        int quoted = Math.min(in.tail - nh, room);
        byte[] body = new byte[Icmpv6.ICMPV6_HDR_LEN + quoted];
        body[0] = (byte) type;
        body[1] = (byte) code;
        SkBuff.put32(body, 4, info);
        System.arraycopy(in.buf, nh, body, Icmpv6.ICMPV6_HDR_LEN, quoted);
        boolean local = net.ipv6.addrconf.chkAddr(daddr, null);
        int iif = in.cb instanceof Ip6Cb c ? c.iif : 0;
        sendIcmp(net, body, saddr, local ? daddr : null, 0, iif);
    }

    static void init() {
        Inet6Protos.add(In6.IPPROTO_ICMPV6, INSTANCE);
    }
}
