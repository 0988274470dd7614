package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.In;
import dev.kava.abi.In6;
import dev.kava.abi.Socket;
import dev.kava.abi.Tcp;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.lib.Checksum;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv6.AfInet6;
import dev.kava.net.ipv6.Inet6Protos;
import dev.kava.net.ipv6.Inet6Sk;
import dev.kava.net.ipv6.Ip6Addr;
import dev.kava.net.ipv6.Ip6Cb;
import dev.kava.net.ipv6.Ip6Hdr;
import dev.kava.net.ipv6.Ip6Output;
import dev.kava.net.ipv6.Ipv6Pinfo;
import dev.kava.net.ipv6.NetProtocol6;
import dev.kava.net.ipv6.Route6;
import dev.kava.net.ipv6.Rt6Info;

/**
 * TCP over IPv6 (net/ipv6/tcp_ipv6.c): the AF_INET6 stream socket is the same {@link TcpSock}
 * with its IPv6 half; this class holds what differs (icsk_af_ops ipv6_specific): connect
 * (tcp_v6_connect, a v4-mapped peer switching the socket to the IPv4 ops, ipv6_mapped), the
 * receive entry (tcp_v6_rcv), the child of a listener (tcp_v6_syn_recv_sock), the route and
 * the header of a segment (inet6_csk_xmit), and replies from no socket (tcp_v6_send_reset,
 * tcp_v6_timewait_ack). It lives in TCP's package because it works on TcpSock's state.
 */
public final class TcpIpv6 implements NetProtocol6 {
    private static final TcpIpv6 INSTANCE = new TcpIpv6();

    private TcpIpv6() {}

    /** tcpv6_init: IPPROTO_TCP above IPv6 and {SOCK_STREAM, IPPROTO_TCP} in inetsw6. */
    public static synchronized void init() {
        Inet6Protos.add(In.IPPROTO_TCP, INSTANCE);
        AfInet6.register(new InetProtosw(Socket.SOCK_STREAM, In.IPPROTO_TCP,
                (net, t, family, type, protocol, kern) -> new TcpSock(net, family),
                InetProtosw.PERMANENT | InetProtosw.ICSK));
    }

    // ---- bind and connect

    /** inet6_bind */
    static void bind(TcpSock sk, Task t, byte[] a, int len) {
        Inet6Sk.bind(sk, t, a, len);
    }

    /**
     * tcp_v6_connect, under the socket lock: at least SIN6_LEN_RFC2133 bytes (EINVAL) of
     * AF_INET6 (EAFNOSUPPORT); the flow label with IPV6_FLOWINFO_SEND; :: means loopback; multicast is ENETUNREACH; a link-local peer
     * needs an interface (EINVAL); a v4-mapped peer connects over IPv4 (ENETUNREACH on a
     * v6-only socket); otherwise the route gives the source unless one is bound, the socket
     * takes an ephemeral port for a unique four-tuple, and the SYN goes out.
     */
    static void connect(TcpSock sk, Task t, byte[] a, int len) {
        if (len < In6.SIN6_LEN_RFC2133) throw ErrnoException.of(Errno.EINVAL);
        if (InetSock.family(a) != Socket.AF_INET6) throw ErrnoException.of(Errno.EAFNOSUPPORT);
        Ipv6Pinfo np = sk.v6;
        // IPV6_FLOWINFO_SEND: the peer's flow information is used as given (fl6_sock_lookup finds
        // nothing to check it against while no socket holds an exclusive label: none can here).
        int flowinfo = np.sndflow ? SkBuff.get32(a, In6.SIN6_FLOWINFO) & In6.IPV6_FLOWINFO_MASK : 0;
        flowinfo &= ~(Ip.INET_ECN_MASK << 20); // IP6_ECN_flow_init
        byte[] daddr = Ip6Addr.read(a, In6.SIN6_ADDR);
        int port = SkBuff.get16(a, In6.SIN6_PORT);
        if (Ip6Addr.isAny(daddr)) daddr = Ip6Addr.isV4Mapped(np.rcvSaddr) ? Ip6Addr.mapped(In.INADDR_LOOPBACK) : Ip6Addr.LOOPBACK;
        int type = Ip6Addr.type(daddr);
        if ((type & Ip6Addr.IPV6_ADDR_MULTICAST) != 0) throw ErrnoException.of(Errno.ENETUNREACH);
        if ((type & Ip6Addr.IPV6_ADDR_LINKLOCAL) != 0) {
            int scope = len >= In6.SOCKADDR_IN6_SIZE ? Uaccess.getInt(a, In6.SIN6_SCOPE_ID) : 0;
            if (scope != 0) {
                if (sk.boundDevIf != 0 && sk.boundDevIf != scope) throw ErrnoException.of(Errno.EINVAL);
                sk.boundDevIf = scope;
            }
            if (sk.boundDevIf == 0) throw ErrnoException.of(Errno.EINVAL);
        }
        np.daddr = daddr;
        np.flowinfo = flowinfo;
        if ((type & Ip6Addr.IPV6_ADDR_MAPPED) != 0) {
            if (np.ipv6only) throw ErrnoException.of(Errno.ENETUNREACH);
            byte[] sin = new byte[In.SOCKADDR_IN_SIZE];
            InetSock.putSockaddrIn(sin, Ip6Addr.v4(daddr), port);
            sk.mapped = true;
            try {
                sk.v4Connect(t, sin, In.SOCKADDR_IN_SIZE);
            } catch (ErrnoException e) {
                sk.mapped = false;
                throw e;
            }
            np.saddr = Ip6Addr.mapped(sk.saddr);
            np.rcvSaddr = Ip6Addr.mapped(sk.rcvSaddr);
            return;
        }
        byte[] saddr = Ip6Addr.isAny(np.rcvSaddr) ? null : np.rcvSaddr;
        Rt6Info rt;
        try {
            rt = Inet6Sk.route(sk, daddr, saddr, sk.boundDevIf);
        } catch (ErrnoException e) {
            sk.dport = 0;
            throw e;
        }
        if (saddr == null) {
            saddr = rt.src;
            np.rcvSaddr = saddr;
        }
        np.saddr = saddr;
        sk.rcvSaddr = Ip6Addr.LOOPBACK4_IPV6;
        sk.saddr = Ip6Addr.LOOPBACK4_IPV6;
        sk.daddr = Ip6Addr.LOOPBACK4_IPV6;
        sk.dst6 = rt;
        sk.dport = port;
        sk.setState(Tcp.TCP_SYN_SENT);
        TcpNet tn = sk.tn;
        if (sk.num == 0) {
            if (!tn.connectPort(sk, sk.localPortRange())) {
                lateFailure(sk);
                throw ErrnoException.of(Errno.EADDRNOTAVAIL);
            }
            sk.sport = sk.num;
        }
        TcpNet.Key k = sk.key();
        if (tn.ehash.putIfAbsent(k, sk) != null) {
            if (tn.ehash.get(k) instanceof TimeWaitSock tw) {
                tw.kill();
                tn.ehash.put(k, sk);
            } else {
                lateFailure(sk);
                throw ErrnoException.of(Errno.EADDRNOTAVAIL);
            }
        }
        sk.iss = Integer.toUnsignedLong(tn.secureSeq(k, sk.nowNs()));
        sk.tsOffset = tn.secureTsOff(k);
        tn.activeOpens.increment();
        TcpOutput.connect(sk);
    }

    /** late_failure and failure of tcp_v6_connect: back to CLOSE without a peer. */
    private static void lateFailure(TcpSock sk) {
        sk.setState(Tcp.TCP_CLOSE);
        sk.dport = 0;
        sk.daddr = 0;
        sk.v6.daddr = Ip6Addr.ANY;
        sk.dst6 = null;
        if ((sk.userlocks & InetSock.SOCK_BINDADDR_LOCK) == 0) {
            sk.v6.rcvSaddr = Ip6Addr.ANY;
            sk.v6.saddr = Ip6Addr.ANY;
            sk.rcvSaddr = sk.saddr = 0;
        }
    }

    // ---- a listener's child

    /** tcp_v6_syn_recv_sock for an IPv6 SYN: the child's addresses, its interface for a link-local peer, the listener's IPv6 options. */
    static void initChild(TcpSock lsk, TcpSock c, TcpSeg seg) {
        Ipv6Pinfo np = c.v6;
        np.rcvSaddr = seg.daddr6;
        np.saddr = seg.daddr6;
        np.daddr = seg.saddr6;
        c.rcvSaddr = c.saddr = c.daddr = Ip6Addr.LOOPBACK4_IPV6;
        if (Inet6Sk.needsScopeId(seg.saddr6)) c.boundDevIf = seg.iif;
        copyOptions(lsk.v6, np);
    }

    /** tcp_v6_syn_recv_sock for an IPv4 SYN on a dual-stack listener: a v4-mapped child using the IPv4 ops. */
    static void initMappedChild(TcpSock lsk, TcpSock c) {
        Ipv6Pinfo np = c.v6;
        c.mapped = true;
        np.daddr = Ip6Addr.mapped(c.daddr);
        np.saddr = Ip6Addr.mapped(c.saddr);
        np.rcvSaddr = np.saddr;
        copyOptions(lsk.v6, np);
    }

    /** What the child inherits of the listener's ipv6_pinfo (the memcpy of tcp_v6_syn_recv_sock). */
    private static void copyOptions(Ipv6Pinfo from, Ipv6Pinfo to) {
        to.ipv6only = from.ipv6only;
        to.hopLimit = from.hopLimit;
        to.mcastHops = from.mcastHops;
        to.tclass = from.tclass;
        to.ucastOif = from.ucastOif;
        to.mcastOif = from.mcastOif;
        to.recverr = from.recverr;
        to.dontfrag = from.dontfrag;
        to.sndflow = from.sndflow;
        to.freebind = from.freebind;
        to.transparent = from.transparent;
        to.pmtudisc = from.pmtudisc;
        to.srcPrefs = from.srcPrefs;
        to.rxopt = from.rxopt;
    }

    // ---- output

    /** inet6_csk_route_socket: the cached route while its device is up, else a fresh one; null if there is none. */
    static Rt6Info route(TcpSock tp) {
        Rt6Info rt = tp.dst6;
        if (rt != null && rt.dev.isUp()) return rt;
        try {
            rt = Inet6Sk.route(tp, tp.v6.daddr, tp.v6.saddr, tp.boundDevIf);
        } catch (ErrnoException e) {
            return null;
        }
        tp.dst6 = rt;
        return rt;
    }

    /** tcp_v6_send_check and inet6_csk_xmit: the checksum over the IPv6 pseudo-header, the header's fields. */
    static TcpOutput.Pending pending(TcpSock tp, SkBuff skb, int th, int tlen, long sum, Rt6Info rt, int ecnBits) {
        Ipv6Pinfo np = tp.v6;
        skb.put16(th + Tcp.CHECK, Checksum.ipv6Magic(np.saddr, np.daddr, tlen, In.IPPROTO_TCP, sum));
        Ip6Output.Params p = new Ip6Output.Params(np.saddr, np.daddr, In.IPPROTO_TCP,
                (np.tclass & ~Ip.INET_ECN_MASK) | ecnBits, Inet6Sk.hopLimit(tp, np.daddr));
        p.flowlabel = np.flowinfo & In6.IPV6_FLOWLABEL_MASK;
        p.priority = tp.priority;
        p.mark = tp.mark;
        return new TcpOutput.Pending(skb, rt, p);
    }

    /** tcp_v6_send_response: a RST or a TIME_WAIT ACK from no socket, sent at once. */
    static void sendBare(TcpNet tn, byte[] saddr, byte[] daddr, int oif, int sport, int dport, int seq, int ack, int flags,
                         int window, boolean ts, int tsval, int tsecr) {
        SkBuff skb = TcpOutput.bareSegment(sport, dport, seq, ack, flags, window, ts, tsval, tsecr);
        int th = skb.data, hlen = skb.len();
        long sum = Checksum.partial(skb.buf, th, hlen, 0);
        skb.put16(th + Tcp.CHECK, Checksum.ipv6Magic(saddr, daddr, hlen, In.IPPROTO_TCP, sum));
        Net net = tn.net;
        Rt6Info rt;
        try {
            rt = Route6.output(net, daddr, saddr, Inet6Sk.needsScopeId(daddr) ? oif : 0, true);
        } catch (ErrnoException e) {
            return;
        }
        Ip6Output.Params p = new Ip6Output.Params(saddr, daddr, In.IPPROTO_TCP, 0, net.ipv6.hopLimit);
        tn.outSegs.increment();
        TcpOutput.send(net, new TcpOutput.Pending(skb, rt, p));
    }

    // ---- input

    /**
     * tcp_v6_err: an ICMPv6 error quoting one of our segments. Packet Too Big is left to the
     * route (segments are sized by it) and redirects are ignored; a quoted sequence number
     * outside snd_una..snd_nxt is stale. A connection being set up ends with the error; an
     * established one reports it with IPV6_RECVERR, else keeps it as its soft error.
     */
    @Override
    public void err(SkBuff skb, int type, int code, int offset, int info) {
        Net net = skb.dev != null ? skb.dev.net : skb.dst != null ? skb.dst.dev.net : null;
        int q = skb.data, th = q + offset;
        if (net == null || th + 8 > skb.tail) return;
        if (type == dev.kava.abi.Icmpv6.ICMPV6_PKT_TOOBIG || type == dev.kava.abi.Icmpv6.NDISC_REDIRECT) return;
        byte[] saddr = Ip6Addr.read(skb.buf, q + Ip6Hdr.SADDR), daddr = Ip6Addr.read(skb.buf, q + Ip6Hdr.DADDR);
        Object o = TcpNet.of(net).ehash.get(TcpNet.Key.of6(saddr, skb.get16(th), daddr, skb.get16(th + 2)));
        if (!(o instanceof TcpSock sk)) return;
        int e = dev.kava.net.ipv6.Icmpv6Proto.errConvert(type, code)[0];
        long seq = Integer.toUnsignedLong(skb.get32(th + Tcp.SEQ));
        synchronized (sk) {
            long una = sk.sndUna & 0xffffffffL;
            if ((seq - una & 0xffffffffL) > (sk.sndNxt - sk.sndUna)) return;
            if (sk.state == Tcp.TCP_SYN_SENT || sk.state == Tcp.TCP_SYN_RECV) {
                sk.err = e;
                sk.wake(dev.kava.abi.Poll.POLLERR);
                sk.done();
            } else if (sk.v6.recverr) {
                sk.err = e;
                sk.wake(dev.kava.abi.Poll.POLLERR);
            } else {
                sk.errSoft = e;
            }
        }
        sk.unlockWork();
    }

    /**
     * tcp_v6_rcv: the header's length, the checksum over the IPv6 pseudo-header; segments to a
     * multicast address are dropped; then the lookup and processing IPv4 shares.
     */
    @Override
    public int rcv(SkBuff skb) {
        Net net = skb.dst != null ? skb.dst.dev.net : skb.dev.net;
        TcpNet tn = TcpNet.of(net);
        int th = skb.transportHeader;
        int len = skb.tail - th;
        if (len < Tcp.HDR_LEN) {
            tn.inErrs.increment();
            return 0;
        }
        int doff = (skb.get8(th + Tcp.DOFF) >>> 4) * 4;
        if (doff < Tcp.HDR_LEN || doff > len) {
            tn.inErrs.increment();
            return 0;
        }
        int nh = skb.networkHeader;
        byte[] saddr = Ip6Addr.read(skb.buf, nh + Ip6Hdr.SADDR), daddr = Ip6Addr.read(skb.buf, nh + Ip6Hdr.DADDR);
        if (skb.ipSummed != SkBuff.CHECKSUM_UNNECESSARY
                && Checksum.ipv6Magic(saddr, daddr, len, In.IPPROTO_TCP, Checksum.partial(skb.buf, th, len, 0)) != 0) {
            tn.inCsumErrors.increment();
            tn.inErrs.increment();
            return 0;
        }
        if (Ip6Addr.isMulticast(daddr)) return 0;
        int iif = skb.cb instanceof Ip6Cb cb ? cb.iif : skb.skbIif;
        TcpSeg seg = new TcpSeg(skb, saddr, daddr, Ip6Hdr.tclass(skb, nh) & Ip.INET_ECN_MASK, iif);
        TcpInput.deliver(tn, seg, -1);
        return 0;
    }
}
