package dev.kava.net.ipv4;

import dev.kava.abi.Icmp;
import dev.kava.abi.In;
import dev.kava.abi.IfEther;
import dev.kava.abi.Rtnetlink;
import dev.kava.kernel.ErrnoException;
import dev.kava.lib.Checksum;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;

/**
 * ICMP for IPv4 (net/ipv4/icmp.c): receiving (checksum, echo requests answered by the
 * stack, echo replies to ping sockets, errors to the transport that sent the offending
 * packet) and sending errors about received packets ({@link #send}: __icmp_send, with its
 * rules about what never gets an error and its global rate limit).
 */
public final class IcmpProto implements NetProtocol {
    static final IcmpProto INSTANCE = new IcmpProto();

    /** The room for the quoted packet: an error is at most 576 bytes (RFC 1812 4.3.2.3). */
    static final int MAX_ERROR_LEN = 576;
    /** IPTOS_PREC_INTERNETCONTROL: the precedence errors are sent with. */
    static final int IPTOS_PREC_INTERNETCONTROL = 0xc0;

    private IcmpProto() {}

    /** Where echo replies and errors about echo requests go (ping_rcv, ping_err); set by the ping socket layer. */
    public interface PingHook {
        /** A received echo reply; returns whether a ping socket took it. */
        boolean rcv(Net net, SkBuff skb);

        /** An error about an echo request this host sent (skb at the quoted IP header). */
        void err(Net net, SkBuff skb, int type, int code, int info);
    }

    static volatile PingHook ping;

    public static void setPingHook(PingHook h) {
        ping = h;
    }

    /** Whether a type is an error (icmp_pointers[type].error). */
    static boolean isError(int type) {
        return type == Icmp.ICMP_DEST_UNREACH || type == Icmp.ICMP_SOURCE_QUENCH || type == Icmp.ICMP_REDIRECT
                || type == Icmp.ICMP_TIME_EXCEEDED || type == Icmp.ICMP_PARAMETERPROB;
    }

    /** icmp_rcv */
    @Override
    public int rcv(SkBuff skb) {
        Rtable rt = (Rtable) skb.dst;
        Net net = rt.dev.net;
        IpMib mib = net.ipv4.mib;
        mib.icmp(IpMib.ICMP_IN_MSGS);
        if (skb.ipSummed != SkBuff.CHECKSUM_UNNECESSARY && Checksum.fold(Checksum.partial(skb.buf, skb.data, skb.len(), 0)) != 0) {
            mib.icmp(IpMib.ICMP_IN_CSUM_ERRORS);
            mib.icmp(IpMib.ICMP_IN_ERRORS);
            skb.free();
            return 0;
        }
        if (!skb.mayPull(Icmp.ICMP_HDR_LEN)) {
            mib.icmp(IpMib.ICMP_IN_ERRORS);
            skb.free();
            return 0;
        }
        int th = skb.transportHeader;
        int type = skb.get8(th), code = skb.get8(th + 1);
        mib.icmpMsg.incrementAndGet(type);
        if (type > Icmp.NR_ICMP_TYPES) {
            skb.free();
            return 0;
        }
        if (rt.isBroadcast() && (type == Icmp.ICMP_ECHO || type == Icmp.ICMP_TIMESTAMP)
                && net.ipv4.icmpEchoIgnoreBroadcasts != 0) {
            skb.free();
            return 0;
        }
        switch (type) {
            case Icmp.ICMP_ECHO -> echo(net, skb);
            case Icmp.ICMP_ECHOREPLY -> {
                PingHook h = ping;
                if (h == null || !h.rcv(net, skb)) skb.free();
                return 0;
            }
            case Icmp.ICMP_DEST_UNREACH, Icmp.ICMP_TIME_EXCEEDED, Icmp.ICMP_PARAMETERPROB, Icmp.ICMP_SOURCE_QUENCH ->
                    unreach(net, skb, type, code);
            case Icmp.ICMP_TIMESTAMP -> timestamp(net, skb);
            default -> { }
        }
        skb.free();
        return 0;
    }

    /** The ICMP error handler of ICMP itself (icmp_err): errors about our echo requests go to ping sockets. */
    @Override
    public int err(SkBuff skb, int type, int code, int info) {
        int ihl = (skb.get8(skb.data) & 0x0f) * 4;
        int innerType = skb.get8(skb.data + ihl);
        PingHook h = ping;
        if (innerType == Icmp.ICMP_ECHO && h != null) h.err(((Rtable) skb.dst).dev.net, skb, type, code, info);
        return 0;
    }

    /**
     * icmp_unreach: the error quotes a packet this host sent; the transport that sent it (and
     * raw sockets of its protocol) learn of it. The quote must hold the whole IP header plus 8
     * bytes of transport header.
     */
    private static void unreach(Net net, SkBuff skb, int type, int code) {
        int th = skb.transportHeader;
        int info = 0;
        if (type == Icmp.ICMP_DEST_UNREACH && (code & 15) == Icmp.ICMP_FRAG_NEEDED) info = skb.get16(th + 6);
        if (type == Icmp.ICMP_PARAMETERPROB) info = skb.get8(th + 4) << 24;
        if (!skb.pull(Icmp.ICMP_HDR_LEN) || !skb.mayPull(Ip.HDR_LEN)) {
            net.ipv4.mib.icmp(IpMib.ICMP_IN_ERRORS);
            return;
        }
        int ihl = (skb.get8(skb.data) & 0x0f) * 4;
        if (ihl < Ip.HDR_LEN || !skb.mayPull(ihl + 8)) {
            net.ipv4.mib.icmp(IpMib.ICMP_IN_ERRORS);
            return;
        }
        int protocol = skb.get8(skb.data + Ip.PROTOCOL);
        RawIcmpError re = rawError;
        if (re != null) re.error(net, skb, protocol, type, code, info);
        NetProtocol p = InetProtos.get(protocol);
        if (p != null) p.err(skb, type, code, info);
    }

    /** raw_icmp_error: raw sockets of the quoted protocol hear of the error too (set by the raw socket layer). */
    public interface RawIcmpError {
        void error(Net net, SkBuff skb, int protocol, int type, int code, int info);
    }

    static volatile RawIcmpError rawError;

    public static void setRawIcmpError(RawIcmpError r) {
        rawError = r;
    }

    /** icmp_echo: the request comes back as a reply with the same identifier, sequence and data. */
    private static void echo(Net net, SkBuff skb) {
        if (net.ipv4.icmpEchoIgnoreAll != 0) return;
        byte[] body = skb.toByteArray();
        body[0] = (byte) Icmp.ICMP_ECHOREPLY;
        reply(net, skb, body);
    }

    /** icmp_timestamp: originate copied, receive and transmit times as milliseconds since midnight UT. */
    private static void timestamp(Net net, SkBuff skb) {
        if (skb.len() < 20) {
            net.ipv4.mib.icmp(IpMib.ICMP_IN_ERRORS);
            return;
        }
        byte[] body = skb.bytes(skb.data, 20);
        body[0] = (byte) Icmp.ICMP_TIMESTAMPREPLY;
        long ms = Math.floorMod(net.realtimeNanos() / 1_000_000L, 86_400_000L);
        SkBuff.put32(body, 12, (int) ms);
        SkBuff.put32(body, 16, (int) ms);
        reply(net, skb, body);
    }

    /**
     * icmp_reply: to the request's source, from the address it was sent to (or, for a
     * broadcast, an address of this host), with the request's TOS, the default TTL, no DF.
     * body is the ICMP message whose checksum is to be computed.
     */
    private static void reply(Net net, SkBuff in, byte[] body) {
        int nh = in.networkHeader;
        int daddr = in.get32(nh + Ip.SADDR);
        Rtable inRt = (Rtable) in.dst;
        int saddr = inRt.isBroadcast() ? inRt.src : in.get32(nh + Ip.DADDR);
        int tos = in.get8(nh + Ip.TOS);
        sendIcmp(net, body, daddr, saddr, tos, ((IpCb) in.cb).iif);
    }

    /** Builds and sends an ICMP message (checksum filled in) to daddr from saddr (0: let the route choose). */
    static boolean sendIcmp(Net net, byte[] body, int daddr, int saddr, int tos, int oif) {
        SkBuff.put16(body, 2, 0);
        SkBuff.put16(body, 2, Checksum.fold(Checksum.partial(body, 0, body.length, 0)));
        Flow4 fl = new Flow4(daddr, saddr, 0, tos, In.IPPROTO_ICMP);
        fl.flags = Flow4.FLOWI_FLAG_ANYSRC;
        Rtable rt;
        try {
            rt = Route.output(net, fl);
        } catch (ErrnoException e) {
            net.ipv4.mib.icmp(IpMib.ICMP_OUT_ERRORS);
            return false;
        }
        SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER, body.length);
        skb.putData(body, 0, body.length);
        IpOutput.Params p = new IpOutput.Params(fl.saddr, fl.daddr, In.IPPROTO_ICMP, tos, net.ipv4.ipDefaultTtl);
        p.priority = Ip.tos2priority(tos);
        net.ipv4.mib.icmp(IpMib.ICMP_OUT_MSGS);
        net.ipv4.mib.icmpMsg.incrementAndGet(256 + (body[0] & 0xff));
        net.ipv4.out.buildAndSend(skb, rt, p);
        return true;
    }

    // ---- the global rate limit (icmp_global_allow)

    private static final Object RATE_LOCK = new Object();
    private static long credit = -1, stampNanos;

    /** icmp_global_allow: a token bucket of icmp_msgs_burst tokens refilled at icmp_msgs_per_sec. */
    static boolean globalAllow(Net net) {
        synchronized (RATE_LOCK) {
            long now = System.nanoTime();
            int burst = net.ipv4.icmpMsgsBurst, perSec = net.ipv4.icmpMsgsPerSec;
            if (credit < 0) {
                credit = burst;
                stampNanos = now;
            }
            long delta = (now - stampNanos) / 1_000_000L;
            if (delta > 20) {
                credit = Math.min(credit + delta * perSec / 1000, burst);
                stampNanos = now;
            }
            if (credit > 0) {
                credit--;
                return true;
            }
            return false;
        }
    }

    /**
     * __icmp_send: an error about a received packet, to its sender. Nothing is sent about a
     * packet to a broadcast or multicast address, from a non-unicast source, about a fragment
     * other than the first, or about an ICMP error. The error quotes the packet's IP header and
     * as much of the rest as fits in 576 bytes. Types in icmp_ratemask are rate limited globally.
     */
    public static void send(Net net, SkBuff in, int type, int code, int info) {
        int nh = in.networkHeader;
        if (nh < 0) return;
        Rtable rt = (Rtable) in.dst;
        if (rt == null) return;
        if (rt.isBroadcast() || in.pktType != IfEther.PACKET_HOST) return;
        int saddrIn = in.get32(nh + Ip.SADDR);
        if (net.ipv4.fib.addrType(saddrIn) != Rtnetlink.RTN_UNICAST && net.ipv4.fib.addrType(saddrIn) != Rtnetlink.RTN_LOCAL) return;
        if ((in.get16(nh + Ip.FRAG_OFF) & Ip.IP_OFFSET) != 0) return;
        int ihl = (in.get8(nh) & 0x0f) * 4;
        if (isError(type) && in.get8(nh + Ip.PROTOCOL) == In.IPPROTO_ICMP) {
            int th = nh + ihl;
            if (th + 1 > in.tail) return;
            int inner = in.get8(th);
            if (inner > Icmp.NR_ICMP_TYPES || isError(inner)) return;
        }
        if (((net.ipv4.icmpRatemask >>> type) & 1) != 0 && type <= Icmp.NR_ICMP_TYPES) {
            if (!globalAllow(net)) {
                net.ipv4.mib.icmp(IpMib.ICMP_OUT_RATELIMIT_GLOBAL);
                return;
            }
        }
        int tos = (in.get8(nh + Ip.TOS) & Ip.IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL;
        int room = MAX_ERROR_LEN - Ip.HDR_LEN - Icmp.ICMP_HDR_LEN;
        int quoted = Math.min(in.tail - nh, room);
        byte[] body = new byte[Icmp.ICMP_HDR_LEN + quoted];
        body[0] = (byte) type;
        body[1] = (byte) code;
        SkBuff.put32(body, 4, info);
        System.arraycopy(in.buf, nh, body, Icmp.ICMP_HDR_LEN, quoted);
        int saddr = in.get32(nh + Ip.DADDR);
        if (!rt.isLocal()) saddr = 0;
        sendIcmp(net, body, saddrIn, saddr, tos, 0);
    }

    static void init() {
        InetProtos.add(In.IPPROTO_ICMP, INSTANCE);
    }
}
