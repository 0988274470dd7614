package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.Icmp;
import dev.kava.abi.In;
import dev.kava.abi.In6;
import dev.kava.abi.Poll;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.lib.Checksum;
import dev.kava.net.MsgHdr;
import dev.kava.net.Scm;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv6.Inet6Sk;
import dev.kava.net.ipv6.Ip6Addr;
import dev.kava.net.ipv6.Ip6Output;
import dev.kava.net.ipv6.Rt6Info;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;

/**
 * A UDP socket (struct udp_sock, net/ipv4/udp.c and net/ipv6/udp.c): AF_INET, or AF_INET6
 * with IPv4 through v4-mapped addresses unless IPV6_V6ONLY. Datagrams are whole: a short
 * buffer truncates one (MSG_TRUNC in msg_flags; with the MSG_TRUNC flag the full length is
 * returned); the receive queue holds at most SO_RCVBUF bytes of packet memory, the rest are
 * dropped and counted. A connected socket hears of ICMP port unreachable as ECONNREFUSED on
 * its next call; with IP_RECVERR, errors also queue for MSG_ERRQUEUE. UDP_CORK and MSG_MORE
 * gather several sends into one datagram; UDP_SEGMENT splits a send into several.
 * <p>The same class is the UDP-Lite socket (RFC 3828, net/ipv4/udplite.c, the pcflag of
 * udp.c): its own port table, the header's length field carries the checksum coverage
 * (UDPLITE_SEND_CSCOV), the checksum is mandatory, and datagrams covered less than
 * UDPLITE_RECV_CSCOV asks are dropped.
 */
public final class UdpSock extends InetSock {
    /** SOL_UDP options (include/uapi/linux/udp.h). */
    public static final int UDP_CORK = 1, UDP_ENCAP = 100, UDP_NO_CHECK6_TX = 101, UDP_NO_CHECK6_RX = 102,
            UDP_SEGMENT = 103, UDP_GRO = 104;
    /** UDP-Lite's coverage options, at level SOL_UDP or SOL_UDPLITE (include/uapi/linux/udp.h). */
    public static final int UDPLITE_SEND_CSCOV = 10, UDPLITE_RECV_CSCOV = 11;
    /** UDP_MAX_SEGMENTS */
    static final int UDP_MAX_SEGMENTS = 1 << 7;
    /** sizeof(struct udphdr) */
    public static final int UDP_HDR_LEN = 8;
    /** CSUM_MANGLED_0: a computed checksum of 0 is sent as all ones. */
    static final int CSUM_MANGLED_0 = 0xffff;

    private final UdpTable table;
    /** UDP-Lite (up->pcflag): IPPROTO_UDPLITE sockets. */
    final boolean lite;
    /** UDPLITE_SEND_CSCOV / UDPLITE_RECV_CSCOV (pcslen, pcrlen) and whether each was set (UDPLITE_SEND_CC, UDPLITE_RECV_CC). */
    private volatile int pcslen, pcrlen;
    private volatile boolean sendCc, recvCc;
    private final ArrayDeque<SkBuff> rq = new ArrayDeque<>();
    /** sk_rmem_alloc */
    private long rmem;
    /** sk_drops */
    private volatile int drops;
    /** Bumped at every enqueue, for waiters. */
    private long seq;
    private final ErrQueue errq = new ErrQueue();

    private volatile boolean corkOpt, noCheck6Tx, noCheck6Rx, gro;
    private volatile int gsoSize;

    /** A corked datagram being gathered (up->pending). */
    private Pending pending;

    private record Pending(boolean v6, int saddr, int daddr, byte[] saddr6, byte[] daddr6, int dport, Object rt,
                           int tos, int ttl, int priority, int mark, int flowlabel, ByteArrayOutputStream data) {}

    private UdpSock(Net net, int family, int type, int protocol) {
        super(net, family, type, protocol);
        this.lite = protocol == In.IPPROTO_UDPLITE;
        this.table = net.ipv4.udpTable(lite);
    }

    /** udp_init_sock via inetsw. */
    static InetSock create(Net net, Task t, int family, int type, int protocol, boolean kern) {
        return new UdpSock(net, family, type, protocol);
    }

    /** udpv6_init_sock via inetsw6. */
    public static InetSock create6(Net net, Task t, int family, int type, int protocol, boolean kern) {
        return new UdpSock(net, family, type, protocol);
    }

    /** UDP_NO_CHECK6_RX: whether zero checksums over IPv6 are accepted. */
    public boolean noCheck6Rx() {
        return noCheck6Rx;
    }

    /** udp_init and udplite4_register: SOCK_DGRAM/IPPROTO_UDP and IPPROTO_UDPLITE in inetsw, their handlers in inet_protos. */
    static void init() {
        AfInet.register(new InetProtosw(Socket.SOCK_DGRAM, In.IPPROTO_UDP, UdpSock::create, InetProtosw.PERMANENT));
        InetProtos.add(In.IPPROTO_UDP, Udp.INSTANCE);
        AfInet.register(new InetProtosw(Socket.SOCK_DGRAM, In.IPPROTO_UDPLITE, UdpSock::create, InetProtosw.PERMANENT));
        InetProtos.add(In.IPPROTO_UDPLITE, Udp.LITE);
    }

    @Override
    protected void getPort(Task t, int snum) {
        table.getPort(this, snum);
    }

    @Override
    protected void unhash() {
        table.unhash(this);
    }

    @Override
    public boolean hasSetPeekOff() {
        return true;
    }

    // ---- bind, connect, getname

    @Override
    public void bind(Task t, byte[] a, int len) {
        if (family == Socket.AF_INET6) Inet6Sk.bind(this, t, a, len);
        else bind4(t, a, len);
    }

    /** inet_dgram_connect: AF_UNSPEC disconnects; otherwise autobind, then ip4/ip6_datagram_connect. */
    @Override
    public void connect(Task t, byte[] a, int len, int fileFlags) {
        if (len < Socket.SA_FAMILY_SIZE) throw ErrnoException.of(Errno.EINVAL);
        if (family(a) == Socket.AF_UNSPEC) {
            disconnect(t);
            return;
        }
        if (num == 0) autobind(t);
        if (family == Socket.AF_INET6) Inet6Sk.datagramConnect(this, t, a, len);
        else datagramConnect4(t, a, len);
    }

    /**
     * __udp_disconnect: back to unconnected; the bound device is forgotten; an address or port
     * that connect (not bind) chose is given up.
     */
    @Override
    public synchronized void disconnect(Task t) {
        state = TCP_CLOSE;
        daddr = 0;
        dport = 0;
        boundDevIf = 0;
        if (v6 != null) {
            v6.daddr = Ip6Addr.ANY;
            v6.flowinfo = 0;
        }
        if ((userlocks & SOCK_BINDADDR_LOCK) == 0) {
            saddr = rcvSaddr = 0;
            if (v6 != null) {
                v6.saddr = Ip6Addr.ANY;
                v6.rcvSaddr = Ip6Addr.ANY;
            }
        }
        if ((userlocks & SOCK_BINDPORT_LOCK) == 0) {
            unhash();
            num = 0;
            sport = 0;
        }
    }

    @Override
    public int getname(byte[] out, boolean peer) {
        if (family == Socket.AF_INET6) return Inet6Sk.getname(this, out, peer);
        return getname4(out, peer);
    }

    // ---- options

    @Override
    public void setsockopt(Task t, int level, int optname, long optval, int optlen) {
        if (level == Socket.SOL_UDP || level == Socket.SOL_UDPLITE) {
            udpSetsockopt(t, optname, optval, optlen);
        } else if (level == Socket.SOL_IPV6 && family == Socket.AF_INET6) {
            Inet6Sk.setsockopt(this, t, optname, optval, optlen);
        } else if (level == Socket.SOL_IP) {
            ipSetsockopt(t, optname, optval, optlen);
        } else {
            throw ErrnoException.of(family == Socket.AF_INET6 && level == Socket.SOL_IP ? Errno.ENOPROTOOPT : Errno.ENOPROTOOPT);
        }
    }

    @Override
    public void getsockopt(Task t, int level, int optname, long optval, long optlen) {
        if (level == Socket.SOL_UDP || level == Socket.SOL_UDPLITE) {
            udpGetsockopt(t, optname, optval, optlen);
        } else if (level == Socket.SOL_IPV6 && family == Socket.AF_INET6) {
            Inet6Sk.getsockopt(this, t, optname, optval, optlen);
        } else if (level == Socket.SOL_IP) {
            ipGetsockopt(t, optname, optval, optlen);
        } else {
            throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
    }

    /** udp_lib_setsockopt: an int (EINVAL if shorter). */
    private void udpSetsockopt(Task t, int optname, long optval, int optlen) {
        if (optlen < 4) throw ErrnoException.of(Errno.EINVAL);
        int val = t.mem.read32(optval);
        switch (optname) {
            case UDP_CORK -> {
                if (val != 0) {
                    corkOpt = true;
                } else {
                    corkOpt = false;
                    pushPending(t);
                }
            }
            case UDP_ENCAP -> throw ErrnoException.of(Errno.ENOPROTOOPT);
            case UDP_NO_CHECK6_TX -> noCheck6Tx = val != 0;
            case UDP_NO_CHECK6_RX -> noCheck6Rx = val != 0;
            case UDP_SEGMENT -> {
                if (val < 0 || val > 0xffff - In.IPPROTO_MAX) throw ErrnoException.of(Errno.EINVAL);
                gsoSize = val;
            }
            case UDP_GRO -> gro = val != 0;
            case UDPLITE_SEND_CSCOV -> {
                if (!lite) throw ErrnoException.of(Errno.ENOPROTOOPT);
                pcslen = cscovOpt(val);
                sendCc = true;
            }
            case UDPLITE_RECV_CSCOV -> {
                if (!lite) throw ErrnoException.of(Errno.ENOPROTOOPT);
                pcrlen = cscovOpt(val);
                recvCc = true;
            }
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
    }

    /** A coverage below 8 (but 0, the whole datagram) is the header's 8; above USHRT_MAX, USHRT_MAX. */
    private static int cscovOpt(int val) {
        if (val != 0 && val < UDP_HDR_LEN) return UDP_HDR_LEN;
        return Math.min(val, 0xffff);
    }

    private void udpGetsockopt(Task t, int optname, long optval, long optlenAddr) {
        int len = t.mem.read32(optlenAddr);
        len = Math.min(len, 4);
        if (len < 0) throw ErrnoException.of(Errno.EINVAL);
        int val = switch (optname) {
            case UDP_CORK -> corkOpt ? 1 : 0;
            case UDP_NO_CHECK6_TX -> noCheck6Tx ? 1 : 0;
            case UDP_NO_CHECK6_RX -> noCheck6Rx ? 1 : 0;
            case UDP_SEGMENT -> gsoSize;
            case UDP_GRO -> gro ? 1 : 0;
            case UDP_ENCAP -> 0;
            // udp_lib_getsockopt answers these for plain UDP sockets too (0).
            case UDPLITE_SEND_CSCOV -> pcslen;
            case UDPLITE_RECV_CSCOV -> pcrlen;
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        };
        t.mem.write32(optlenAddr, len);
        byte[] v = new byte[4];
        Uaccess.putInt(v, 0, val);
        t.mem.write(optval, v, 0, len);
    }

    // ---- send

    /**
     * inet_sendmsg / inet6_sendmsg and udp_sendmsg / udpv6_sendmsg: autobind, the length
     * limit, the destination (a given address, else the connected peer: EDESTADDRREQ), the
     * control messages, the route, and the datagram.
     */
    @Override
    public long sendmsg(Task t, MsgHdr msg, long len) {
        if (num == 0) autobind(t);
        if (family == Socket.AF_INET6) return sendmsg6(t, msg, len);
        return sendmsg4(t, msg, len, msg.name, msg.namelen);
    }

    /** A sockaddr_in for the IPv4 path (a v4-mapped destination of an AF_INET6 socket). */
    private static byte[] sin(int addr, int port) {
        byte[] s = new byte[Socket.SOCKADDR_STORAGE_SIZE];
        putSockaddrIn(s, addr, port);
        return s;
    }

    /** udp_sendmsg */
    long sendmsg4(Task t, MsgHdr msg, long len, byte[] name, int namelen) {
        if (len > 0xFFFF) throw ErrnoException.of(Errno.EMSGSIZE);
        if ((msg.flags & Socket.MSG_OOB) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        boolean corkreq = corkOpt || (msg.flags & Socket.MSG_MORE) != 0;
        synchronized (this) {
            if (pending != null) {
                if (pending.v6) throw ErrnoException.of(Errno.EINVAL);
                return appendPending(t, msg, len, corkreq);
            }
        }
        int daddr, dport;
        boolean connected = false;
        if (name != null && namelen > 0) {
            if (namelen < In.SOCKADDR_IN_SIZE) throw ErrnoException.of(Errno.EINVAL);
            int fam = family(name);
            if (fam != Socket.AF_INET && fam != Socket.AF_UNSPEC) throw ErrnoException.of(Errno.EAFNOSUPPORT);
            daddr = SkBuff.get32(name, In.SIN_ADDR);
            dport = SkBuff.get16(name, In.SIN_PORT);
            if (dport == 0) throw ErrnoException.of(Errno.EINVAL);
        } else {
            if (state != TCP_ESTABLISHED) throw ErrnoException.of(Errno.EDESTADDRREQ);
            daddr = this.daddr;
            dport = this.dport;
            connected = true;
        }
        Ipcm ipc = cmsgSend(t, msg);
        int gso = gsoSize;
        int oif = ipc.oif != 0 ? ipc.oif : boundDevIf;
        if (oif == 0) oif = ucIndex;
        int tos = ipc.tos >= 0 ? ipc.tos : this.tos;
        Flow4 fl = new Flow4(daddr, ipc.addr != 0 ? ipc.addr : saddr, oif, tos, protocol);
        fl.flags = flowFlags();
        fl.sport = sport;
        fl.dport = dport;
        if (dontroute || (msg.flags & Socket.MSG_DONTROUTE) != 0) fl.scope = dev.kava.abi.Rtnetlink.RT_SCOPE_LINK;
        Rtable rt = routeOutput(fl);
        int ttl = ipc.ttl >= 0 ? ipc.ttl : ttl();
        int prio = ipc.priority >= 0 ? ipc.priority : priority;
        int mk = ipc.mark >= 0 ? ipc.mark : mark;
        int e = sockError();
        if (e != 0) throw ErrnoException.of(e);
        if (corkreq) {
            synchronized (this) {
                pending = new Pending(false, fl.saddr, fl.daddr, null, null, dport, rt, tos, ttl, prio, mk, 0,
                        new ByteArrayOutputStream());
                return appendPending(t, msg, len, true);
            }
        }
        if (len + UDP_HDR_LEN + Ip.HDR_LEN > Ip.IP_MAX_MTU) throw ErrnoException.of(Errno.EMSGSIZE);
        if (gso > 0 && len > gso) {
            byte[] data = copyIn(msg, (int) len);
            return sendSegments(data, gso, fl.saddr, fl.daddr, dport, rt, tos, ttl, prio, mk, connected);
        }
        int err = send4(payload(msg, (int) len), fl.saddr, fl.daddr, dport, rt, tos, ttl, prio, mk, connected);
        if (err < 0) throw ErrnoException.of(-err);
        return len;
    }

    /** UDP_SEGMENT: one datagram per gso bytes (at most UDP_MAX_SEGMENTS; the last may be shorter). */
    private long sendSegments(byte[] data, int gso, int saddr, int daddr, int dport, Rtable rt, int tos, int ttl,
                              int prio, int mk, boolean connected) {
        if (data.length > gso * UDP_MAX_SEGMENTS) throw ErrnoException.of(Errno.EINVAL);
        if (gso + UDP_HDR_LEN + Ip.HDR_LEN > rt.mtu()) throw ErrnoException.of(Errno.EINVAL);
        if (lite) throw ErrnoException.of(Errno.EIO); // udp_send_skb: no segmentation offload for UDP-Lite
        for (int off = 0; off < data.length; off += gso) {
            int err = send4(data, off, Math.min(gso, data.length - off), saddr, daddr, dport, rt, tos, ttl, prio, mk, connected);
            if (err < 0) throw ErrnoException.of(-err);
        }
        return data.length;
    }

    /** A packet with room for the headers and the message copied in as its payload (EFAULT if it cannot all be read). */
    private static SkBuff payload(MsgHdr msg, int len) {
        SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER + UDP_HDR_LEN, len);
        int at = skb.put(len);
        if (msg.iter.copyFrom(skb.buf, at, len) != len) throw ErrnoException.of(Errno.EFAULT);
        return skb;
    }

    private static SkBuff payload(byte[] data, int off, int len) {
        SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER + UDP_HDR_LEN, len);
        skb.putData(data, off, len);
        return skb;
    }

    /** Copies the whole message in (EFAULT if it cannot all be read). */
    private static byte[] copyIn(MsgHdr msg, int len) {
        byte[] data = new byte[len];
        if (msg.iter.copyFrom(data, 0, len) != len) throw ErrnoException.of(Errno.EFAULT);
        return data;
    }

    /**
     * udp_send_skb: the UDP header (the checksum over the pseudo-header unless SO_NO_CHECK) in
     * front of the data, then IP. Returns 0 or -errno; a qdisc drop is reported (ENOBUFS) only
     * with IP_RECVERR, as Linux does.
     */
    private int send4(byte[] data, int off, int dlen, int saddr, int daddr, int dport, Rtable rt, int tos, int ttl,
                      int prio, int mk, boolean connected) {
        return send4(payload(data, off, dlen), saddr, daddr, dport, rt, tos, ttl, prio, mk, connected);
    }

    /** skb holds the payload with headroom for the headers. */
    private int send4(SkBuff skb, int saddr, int daddr, int dport, Rtable rt, int tos, int ttl, int prio, int mk,
                      boolean connected) {
        int uh = skb.push(UDP_HDR_LEN);
        int ulen = skb.len();
        skb.put16(uh, sport);
        skb.put16(uh + 2, dport);
        skb.put16(uh + 4, ulen);
        skb.put16(uh + 6, 0);
        if (lite || !noCheck) {
            int cov = liteCoverage(skb, uh, ulen);
            int c = Checksum.tcpudpMagic(saddr, daddr, ulen, protocol, Checksum.partial(skb.buf, uh, cov, 0));
            skb.put16(uh + 6, c == 0 ? CSUM_MANGLED_0 : c);
        }
        // The stack made the checksum itself: the receiver need not check it again (lo's CHECKSUM_PARTIAL).
        skb.ipSummed = SkBuff.CHECKSUM_UNNECESSARY;
        // __ip_append_data: with IP_PMTUDISC_DO or _PROBE a datagram larger than the path MTU is refused;
        // otherwise the stack may fragment it (DF only on what fits).
        if ((pmtudisc == In.IP_PMTUDISC_DO || pmtudisc == In.IP_PMTUDISC_PROBE) && ulen + Ip.HDR_LEN > rt.mtu()) {
            return -Errno.EMSGSIZE;
        }
        IpOutput.Params p = new IpOutput.Params(saddr, daddr, protocol, tos, ttl);
        p.df = dontFragment() && ulen + Ip.HDR_LEN <= rt.mtu();
        p.priority = prio;
        p.mark = mk;
        if (connected || this.daddr != 0) p.id = inetId.getAndIncrement();
        int err = net.ipv4.out.buildAndSend(skb, rt, p);
        if (err == -Errno.ENOBUFS && !recverr) {
            net.ipv4.mib.udp(lite, IpMib.UDP_SNDBUF_ERRORS);
            err = 0;
        } else if (err == 0) {
            net.ipv4.mib.udp(lite, IpMib.UDP_OUT_DATAGRAMS);
        }
        return err;
    }

    /** udpv6_sendmsg: a v4-mapped destination (or an AF_INET one) takes the IPv4 path unless IPV6_V6ONLY. */
    private long sendmsg6(Task t, MsgHdr msg, long len) {
        byte[] name = msg.name;
        int namelen = msg.namelen;
        byte[] daddr6 = null;
        int dport = 0;
        boolean hasName = name != null && namelen > 0;
        synchronized (this) {
            if (pending != null && !hasName) {
                if (!pending.v6) return sendmsg4(t, msg, len, null, 0);
                return appendPending(t, msg, len, corkOpt || (msg.flags & Socket.MSG_MORE) != 0);
            }
        }
        if (hasName) {
            if (namelen < Socket.SA_FAMILY_SIZE) throw ErrnoException.of(Errno.EINVAL);
            switch (family(name)) {
                case Socket.AF_INET6 -> {
                    if (namelen < In6.SIN6_LEN_RFC2133) throw ErrnoException.of(Errno.EINVAL);
                    daddr6 = Ip6Addr.read(name, In6.SIN6_ADDR);
                    if (Ip6Addr.isAny(daddr6) && Ip6Addr.isV4Mapped(v6.saddr)) daddr6 = Ip6Addr.mapped(In.INADDR_LOOPBACK);
                    dport = SkBuff.get16(name, In6.SIN6_PORT);
                }
                case Socket.AF_INET -> {
                    if (v6.ipv6only) throw ErrnoException.of(Errno.ENETUNREACH);
                    return sendmsg4(t, msg, len, name, namelen);
                }
                case Socket.AF_UNSPEC -> hasName = false;
                default -> throw ErrnoException.of(Errno.EINVAL);
            }
        }
        if (!hasName) {
            if (state != TCP_ESTABLISHED) throw ErrnoException.of(Errno.EDESTADDRREQ);
            daddr6 = v6.daddr;
            dport = this.dport;
        }
        if (Ip6Addr.isV4Mapped(daddr6)) {
            if (v6.ipv6only) throw ErrnoException.of(Errno.ENETUNREACH);
            return sendmsg4(t, msg, len, sin(Ip6Addr.v4(daddr6), dport), In.SOCKADDR_IN_SIZE);
        }
        if (len > Integer.MAX_VALUE - UDP_HDR_LEN) throw ErrnoException.of(Errno.EMSGSIZE);
        if (hasName && dport == 0) throw ErrnoException.of(Errno.EINVAL);
        int scopeId = hasName && namelen >= In6.SOCKADDR_IN6_SIZE ? Uaccess.getInt(name, In6.SIN6_SCOPE_ID) : 0;
        Inet6Sk.Ipc6 ipc = Inet6Sk.cmsgSend(this, t, msg);
        int oif = ipc.oif;
        if (oif == 0 && scopeId != 0 && Inet6Sk.needsScopeId(daddr6)) oif = scopeId;
        if (oif == 0) oif = boundDevIf;
        if (oif == 0) oif = Ip6Addr.isMulticast(daddr6) ? v6.mcastOif : v6.ucastOif;
        byte[] src = ipc.saddr != null ? ipc.saddr : Ip6Addr.isAny(v6.saddr) ? null : v6.saddr;
        Rt6Info rt = Inet6Sk.route(this, daddr6, src, oif);
        byte[] saddr6 = rt.src;
        int hlim = ipc.hlimit >= 0 ? ipc.hlimit : Inet6Sk.hopLimit(this, daddr6);
        int tclass = ipc.tclass >= 0 ? ipc.tclass : v6.tclass;
        int e = sockError();
        if (e != 0) throw ErrnoException.of(e);
        boolean corkreq = corkOpt || (msg.flags & Socket.MSG_MORE) != 0;
        if (corkreq) {
            synchronized (this) {
                pending = new Pending(true, 0, 0, saddr6, daddr6, dport, rt, tclass, hlim, priority, mark, 0,
                        new ByteArrayOutputStream());
                return appendPending(t, msg, len, true);
            }
        }
        if (len + UDP_HDR_LEN > In6.IPV6_MAXPLEN) throw ErrnoException.of(Errno.EMSGSIZE);
        int gso = ipc.gso >= 0 ? ipc.gso : gsoSize;
        if (gso > 0 && len > gso) {
            byte[] data = copyIn(msg, (int) len);
            if (data.length > gso * UDP_MAX_SEGMENTS) throw ErrnoException.of(Errno.EINVAL);
            if (lite) throw ErrnoException.of(Errno.EIO);
            for (int off = 0; off < data.length; off += gso) {
                int err = send6(data, off, Math.min(gso, data.length - off), saddr6, daddr6, dport, rt, tclass, hlim);
                if (err < 0) throw ErrnoException.of(-err);
            }
            return len;
        }
        int err = send6(payload(msg, (int) len), saddr6, daddr6, dport, rt, tclass, hlim);
        if (err < 0) throw ErrnoException.of(-err);
        return len;
    }

    /** udp_v6_send_skb: the checksum over the IPv6 pseudo-header is mandatory (UDP_NO_CHECK6_TX may leave it out). */
    private int send6(byte[] data, int off, int dlen, byte[] saddr6, byte[] daddr6, int dport, Rt6Info rt, int tclass, int hlim) {
        return send6(payload(data, off, dlen), saddr6, daddr6, dport, rt, tclass, hlim);
    }

    private int send6(SkBuff skb, byte[] saddr6, byte[] daddr6, int dport, Rt6Info rt, int tclass, int hlim) {
        int uh = skb.push(UDP_HDR_LEN);
        int ulen = skb.len();
        skb.put16(uh, sport);
        skb.put16(uh + 2, dport);
        skb.put16(uh + 4, ulen);
        skb.put16(uh + 6, 0);
        if (lite || !noCheck6Tx) {
            int cov = liteCoverage(skb, uh, ulen);
            int c = Checksum.ipv6Magic(saddr6, daddr6, ulen, protocol, Checksum.partial(skb.buf, uh, cov, 0));
            skb.put16(uh + 6, c == 0 ? CSUM_MANGLED_0 : c);
        }
        skb.ipSummed = SkBuff.CHECKSUM_UNNECESSARY;
        skb.ignoreDf = v6.pmtudisc < In6.IPV6_PMTUDISC_DO && !v6.dontfrag;
        Ip6Output.Params p = new Ip6Output.Params(saddr6, daddr6, protocol, tclass, hlim);
        p.priority = priority;
        p.mark = mark;
        int err = net.ipv6.out.buildAndSend(skb, rt, p);
        if (err == -Errno.ENOBUFS && !v6.recverr) {
            net.ipv6.mib.udp(lite, IpMib.UDP_SNDBUF_ERRORS);
            err = 0;
        } else if (err == 0) {
            net.ipv6.mib.udp(lite, IpMib.UDP_OUT_DATAGRAMS);
        }
        return err;
    }

    /**
     * udplite_csum: how many bytes from the UDP header the checksum covers. UDP covers the
     * whole datagram; UDP-Lite with UDPLITE_SEND_CSCOV shorter than the datagram writes the
     * coverage (0: all of it) into the length field and covers that much.
     */
    private int liteCoverage(SkBuff skb, int uh, int ulen) {
        if (!lite || !sendCc) return ulen;
        int pcs = pcslen;
        if (pcs >= ulen) return ulen;
        skb.put16(uh + 4, pcs);
        return pcs > 0 ? pcs : ulen;
    }

    /** ip_append_data of a corked socket: the data joins the pending datagram; without more to come it goes. */
    private long appendPending(Task t, MsgHdr msg, long len, boolean more) {
        Pending p = pending;
        int max = p.v6 ? In6.IPV6_MAXPLEN - UDP_HDR_LEN : Ip.IP_MAX_MTU - Ip.HDR_LEN - UDP_HDR_LEN;
        if (p.data.size() + len > max) throw ErrnoException.of(Errno.EMSGSIZE);
        byte[] data = copyIn(msg, (int) len);
        p.data.writeBytes(data);
        if (!more) pushPending(t);
        return len;
    }

    /** udp_push_pending_frames: sends what was gathered, as one datagram. */
    private void pushPending(Task t) {
        Pending p;
        synchronized (this) {
            p = pending;
            pending = null;
        }
        if (p == null) return;
        byte[] data = p.data.toByteArray();
        int err = p.v6 ? send6(data, 0, data.length, p.saddr6, p.daddr6, p.dport, (Rt6Info) p.rt, p.tos, p.ttl)
                : send4(data, 0, data.length, p.saddr, p.daddr, p.dport, (Rtable) p.rt, p.tos, p.ttl, p.priority, p.mark, false);
        if (err < 0) throw ErrnoException.of(-err);
    }

    // ---- receive side (softirq)

    /**
     * __udp_enqueue_schedule_skb: queues a datagram unless the queue already holds SO_RCVBUF
     * bytes (one datagram always fits an empty queue); a drop counts in sk_drops and
     * RcvbufErrors. Returns whether it was queued.
     */
    public boolean enqueue(SkBuff skb, IpMib mib) {
        synchronized (this) {
            int size = skb.truesize;
            long rcv = rcvbuf;
            if (rmem + size > rcv && (rcv > (Integer.MAX_VALUE >> 1) || rmem > rcv)) {
                drops++;
                mib.udp(lite, IpMib.UDP_RCVBUF_ERRORS);
                mib.udp(lite, IpMib.UDP_IN_ERRORS);
                return false;
            }
            rmem += size;
            skb.cb = new RxCb(skb.cb, drops);
            rq.addLast(skb);
            seq++;
        }
        wq.wakeAll(Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLRDBAND);
        return true;
    }

    /**
     * udp_queue_rcv_one_skb's UDP-Lite check, then the queue: a partially covered datagram
     * (cscov &gt; 0, below its length) is dropped when the receiver asked for full coverage
     * (UDPLITE_RECV_CSCOV 0) or for more than it has.
     */
    public void deliver(SkBuff skb, IpMib mib, int partialCov) {
        if (lite && partialCov > 0 && recvCc) {
            int pcr = pcrlen;
            if (pcr == 0 || partialCov < pcr) {
                mib.udp(lite, IpMib.UDP_IN_ERRORS);
                synchronized (this) {
                    drops++;
                }
                return;
            }
        }
        enqueue(skb, mib);
    }

    /**
     * The checksum coverage of a received datagram whose UDP header is at uh and whose length
     * is len (udplite_checksum_init): len for UDP and for a UDP-Lite coverage of 0, the
     * coverage field when it is shorter, -1 when it is invalid (a zero checksum, or a coverage
     * under 8 or beyond the datagram: dropped as a checksum error).
     */
    public static int rcvCoverage(boolean lite, SkBuff skb, int uh, int len) {
        if (!lite) return len;
        if (skb.get16(uh + 6) == 0) return -1;
        int cscov = skb.get16(uh + 4);
        if (cscov == 0) return len;
        if (cscov < UDP_HDR_LEN || cscov > len) return -1;
        return cscov;
    }

    /** What the receive path leaves with a queued datagram: the IP layer's control block and the drop count when it was queued (SO_RXQ_OVFL). */
    record RxCb(Object ipcb, int dropcount) {}

    /**
     * __udp4_lib_err / __udp6_lib_err: an ICMP error about a datagram this socket sent. A
     * connected socket gets hard errors (port unreachable: ECONNREFUSED) in sk_err; with
     * IP_RECVERR every error is also queued for MSG_ERRQUEUE.
     */
    public void icmpError(int err, boolean harderr, SkBuff icmpSkb, int type, int code, int info, int port, boolean v6err,
                   int payloadOff) {
        boolean wantQueue = family == Socket.AF_INET6 ? (v6err ? v6.recverr : recverr) : recverr;
        if (!wantQueue) {
            if (!harderr || state != TCP_ESTABLISHED) return;
        } else {
            errq.queueIcmp(icmpSkb, err, type, code, info, port, v6err, payloadOff);
        }
        synchronized (this) {
            this.err = err;
        }
        wq.wakeAll(Poll.POLLERR);
    }

    // ---- receive (process context)

    /**
     * udp_recvmsg / udpv6_recvmsg: one datagram (MSG_PEEK leaves it, SO_PEEK_OFF skips into
     * it), truncated to the buffer, then the source address and control messages.
     */
    @Override
    public long recvmsg(Task t, MsgHdr msg, long len, int flags) {
        if ((flags & Socket.MSG_ERRQUEUE) != 0) return errq.recv(t, this, msg, len);
        // MSG_OOB means nothing to UDP: udp_recvmsg receives as usual.
        boolean peek = (flags & Socket.MSG_PEEK) != 0;
        long[] timeo = {rcvtimeo((flags & Socket.MSG_DONTWAIT) != 0)};
        SkBuff skb;
        int off;
        while (true) {
            long s;
            synchronized (this) {
                int e = sockError();
                if (e != 0) throw ErrnoException.of(e);
                off = Math.max(peekOffset(flags), 0);
                skb = rq.peekFirst();
                if (skb != null && peek && off > 0) {
                    // __skb_try_recv_from_queue with a peek offset: datagrams the offset covers are skipped.
                    for (SkBuff c : rq) {
                        int clen = c.len() - UDP_HDR_LEN;
                        if (off < clen || (off == 0 && clen == 0)) {
                            skb = c;
                            break;
                        }
                        off -= clen;
                        skb = null;
                    }
                }
                if (skb != null && !peek) {
                    rq.pollFirst();
                    rmem -= skb.truesize;
                }
                s = seq;
                if (skb == null && (shutdown & RCV_SHUTDOWN) != 0) return 0;
            }
            if (skb != null) break;
            if (timeo[0] == 0) throw ErrnoException.of(Errno.EAGAIN);
            if (t.signalPending()) throw ErrnoException.of(intrErrno(timeo[0]));
            final long s0 = s;
            timeo[0] = waitTimeo(t, wq, () -> seq != s0 || err != 0 || (shutdown & RCV_SHUTDOWN) != 0, timeo[0]);
            if (timeo[0] == 0 && !t.signalPending()) {
                synchronized (this) {
                    if (seq == s0 && err == 0) throw ErrnoException.of(Errno.EAGAIN);
                }
            }
        }
        if (!peek) wq.wakeAll(Poll.POLLOUT);
        int ulen = skb.len() - UDP_HDR_LEN;
        int payload = skb.data + UDP_HDR_LEN;
        long copied = len;
        if (copied > ulen - off) copied = ulen - off;
        else if (copied < ulen) msg.flags |= Socket.MSG_TRUNC;
        if (msg.iter.copyTo(skb.buf, payload + off, (int) copied) != copied) {
            if (!peek) {
                drops++;
                mibOf(skb).udp(lite, IpMib.UDP_IN_ERRORS);
            }
            throw ErrnoException.of(Errno.EFAULT);
        }
        if (!peek) mibOf(skb).udp(lite, IpMib.UDP_IN_DATAGRAMS);
        RxCb rx = (RxCb) skb.cb;
        Object ipcb = rx.ipcb();
        SkBuff view = skb.clone();
        view.cb = ipcb;
        recvCmsgs(t, msg, view, rx.dropcount());
        boolean v4pkt = (skb.get8(skb.networkHeader) >> 4) == 4;
        int nh = skb.networkHeader;
        int srcPort = skb.get16(skb.data);
        if (msg.name != null) {
            if (family == Socket.AF_INET6) {
                byte[] src = v4pkt ? Ip6Addr.mapped(skb.get32(nh + Ip.SADDR)) : Ip6Addr.read(skb.buf, nh + 8);
                int scope = v4pkt ? 0 : Inet6Sk.ifaceScope(src, ipcb);
                msg.namelen = Inet6Sk.putSockaddrIn6(msg.name, src, srcPort, 0, scope);
            } else {
                msg.namelen = putSockaddrIn(msg.name, skb.get32(nh + Ip.SADDR), srcPort);
            }
        }
        if (family == Socket.AF_INET6) {
            Inet6Sk.cmsgRecvCommon(this, t, msg, view, v4pkt);
            if (v4pkt) {
                if (cmsgFlags != 0) ipCmsgRecv(t, msg, view);
            } else {
                Inet6Sk.cmsgRecvSpecific(this, t, msg, view);
            }
        } else if (cmsgFlags != 0) {
            ipCmsgRecv(t, msg, view);
        }
        long ret = (flags & Socket.MSG_TRUNC) != 0 ? ulen : copied;
        // skb_consume_udp: the peek offset moves back for a consumed datagram, forward for a peeked one.
        synchronized (this) {
            if (peek) peekOffsetFwd((int) ret);
            else peekOffsetBwd((int) ret);
        }
        return ret;
    }

    private IpMib mibOf(SkBuff skb) {
        return (skb.get8(skb.networkHeader) >> 4) == 6 ? net.ipv6.mib : net.ipv4.mib;
    }

    /** sock_recv_cmsgs: timestamps, SO_RXQ_OVFL, SO_RCVMARK. */
    private void recvCmsgs(Task t, MsgHdr msg, SkBuff skb, int dropcount) {
        if (rcvtstamp) putTimestamp(t, msg, skb.tstamp != 0 ? skb.tstamp : net.realtimeNanos());
        if (rxqOvfl) {
            byte[] v = new byte[4];
            Uaccess.putInt(v, 0, dropcount);
            Scm.putCmsg(t, msg, Socket.SOL_SOCKET, Socket.SO_RXQ_OVFL, v);
        }
        if (rcvmark) {
            byte[] v = new byte[4];
            Uaccess.putInt(v, 0, skb.mark);
            Scm.putCmsg(t, msg, Socket.SOL_SOCKET, Socket.SO_MARK, v);
        }
    }

    // ---- poll, ioctl, shutdown, release

    /** datagram_poll + udp_poll */
    @Override
    public int poll(Task t, dev.kava.fs.Poll.Table pt) {
        if (pt != null) pt.wait(wq);
        int mask = 0;
        synchronized (this) {
            if (err != 0 || !errq.isEmpty()) mask |= Poll.POLLERR | (selectErrQueue ? Poll.POLLPRI : 0);
            int sh = shutdown;
            if ((sh & RCV_SHUTDOWN) != 0) mask |= Poll.POLLRDHUP | Poll.POLLIN | Poll.POLLRDNORM;
            if (sh == SHUTDOWN_MASK) mask |= Poll.POLLHUP;
            if (!rq.isEmpty()) mask |= Poll.POLLIN | Poll.POLLRDNORM;
        }
        mask |= Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;
        return mask;
    }

    /** udp_ioctl: SIOCOUTQ (bytes not yet sent: none once a send returns) and SIOCINQ (the first datagram's length). */
    @Override
    protected long protoIoctl(Task t, int cmd, long arg) {
        switch (cmd) {
            case Socket.SIOCOUTQ -> {
                t.mem.write32(arg, 0);
                return 0;
            }
            case Socket.SIOCINQ -> {
                int n;
                synchronized (this) {
                    SkBuff s = rq.peekFirst();
                    n = s == null ? 0 : s.len() - UDP_HDR_LEN;
                }
                t.mem.write32(arg, n);
                return 0;
            }
            default -> throw ErrnoException.of(Errno.ENOIOCTLCMD);
        }
    }

    @Override
    public long rmemAlloc() {
        synchronized (this) {
            return rmem;
        }
    }

    /** The bytes queued (for /proc/net/udp's rx_queue: sk_rmem_alloc). */
    public synchronized long rxQueue() {
        return rmem;
    }

    public int drops() {
        return drops;
    }

    @Override
    public void shutdown(Task t, int how) {
        datagramShutdown(how);
    }

    /** udp_lib_close / udp_destroy_sock: out of the table, queues freed. */
    @Override
    public void release() {
        synchronized (this) {
            pending = null;
            unhash();
            rq.clear();
            rmem = 0;
            errq.clear();
            state = TCP_CLOSE;
        }
        wq.wakeAll(Poll.POLLHUP);
    }

    // ---- the protocol handler

    /** udp_rcv and the UDP error handler for IPv4 (udp_protocol), and UDP-Lite's (udplite_protocol). */
    static final class Udp implements NetProtocol {
        static final Udp INSTANCE = new Udp(false), LITE = new Udp(true);

        private final boolean lite;
        private final int proto;

        private Udp(boolean lite) {
            this.lite = lite;
            this.proto = lite ? In.IPPROTO_UDPLITE : In.IPPROTO_UDP;
        }

        private UdpTable table(Net net) {
            return net.ipv4.udpTable(lite);
        }

        /** __udp4_lib_rcv */
        @Override
        public int rcv(SkBuff skb) {
            Rtable rt = (Rtable) skb.dst;
            Net net = rt.dev.net;
            IpMib mib = net.ipv4.mib;
            if (!skb.mayPull(UDP_HDR_LEN)) {
                mib.udp(lite, IpMib.UDP_IN_ERRORS);
                return 0;
            }
            int uh = skb.data;
            int ulen = skb.get16(uh + 4);
            int nh = skb.networkHeader;
            int saddr = skb.get32(nh + Ip.SADDR), daddr = skb.get32(nh + Ip.DADDR);
            // For UDP-Lite the length field is the coverage: the datagram is the whole IP payload.
            if (ulen > skb.len() || (!lite && ulen < UDP_HDR_LEN)) {
                mib.udp(lite, IpMib.UDP_IN_ERRORS);
                return 0;
            }
            if (!lite) skb.trim(ulen);
            ulen = skb.len();
            int check = skb.get16(uh + 6);
            int cov = rcvCoverage(lite, skb, uh, ulen);
            if (cov < 0 || check != 0 && skb.ipSummed != SkBuff.CHECKSUM_UNNECESSARY
                    && Checksum.tcpudpMagic(saddr, daddr, ulen, proto, Checksum.partial(skb.buf, uh, cov, 0)) != 0) {
                mib.udp(lite, IpMib.UDP_IN_CSUM_ERRORS);
                mib.udp(lite, IpMib.UDP_IN_ERRORS);
                return 0;
            }
            int sport = skb.get16(uh), dport = skb.get16(uh + 2);
            int dif = ((IpCb) skb.cb).iif;
            if (rt.isBroadcast()) {
                java.util.List<UdpSock> socks = table(net).mcast4(saddr, sport, daddr, dport, dif);
                if (socks.isEmpty()) {
                    mib.udp(lite, IpMib.UDP_NO_PORTS);
                    return 0;
                }
                for (UdpSock sk : socks) sk.deliver(skb.clone(), mib, cov < ulen ? cov : 0);
                return 0;
            }
            UdpSock sk = table(net).lookup4(saddr, sport, daddr, dport, dif);
            if (sk == null) {
                mib.udp(lite, IpMib.UDP_NO_PORTS);
                IcmpProto.send(net, skb, Icmp.ICMP_DEST_UNREACH, Icmp.ICMP_PORT_UNREACH, 0);
                return 0;
            }
            if (sk.minTtl != 0 && skb.get8(nh + Ip.TTL) < sk.minTtl) return 0;
            sk.deliver(skb, mib, cov < ulen ? cov : 0);
            return 0;
        }

        /** icmp_err_convert: the errno and whether it is fatal (a hard error) for each unreachable code. */
        static final int[][] ERR_CONVERT = {
            {Errno.ENETUNREACH, 0}, {Errno.EHOSTUNREACH, 0}, {Errno.ENOPROTOOPT, 1}, {Errno.ECONNREFUSED, 1},
            {Errno.EMSGSIZE, 0}, {Errno.EOPNOTSUPP, 0}, {Errno.ENETUNREACH, 1}, {Errno.EHOSTDOWN, 1},
            {Errno.ENONET, 1}, {Errno.ENETUNREACH, 1}, {Errno.EHOSTUNREACH, 1}, {Errno.ENETUNREACH, 0},
            {Errno.EHOSTUNREACH, 0}, {Errno.EHOSTUNREACH, 1}, {Errno.EHOSTUNREACH, 1}, {Errno.EHOSTUNREACH, 1},
        };

        /** __udp4_lib_err: find the sender by the quoted addresses and ports, convert the ICMP error. */
        @Override
        public int err(SkBuff skb, int type, int code, int info) {
            int iph = skb.data;
            int ihl = (skb.get8(iph) & 0x0f) * 4;
            int uh = iph + ihl;
            Net net = ((Rtable) skb.dst).dev.net;
            // The quoted packet went from saddr:source to daddr:dest; this host was its sender.
            UdpSock sk = table(net).lookup4(skb.get32(iph + Ip.DADDR), skb.get16(uh + 2), skb.get32(iph + Ip.SADDR),
                    skb.get16(uh), ((IpCb) skb.cb).iif);
            if (sk == null) return 0;
            int err;
            boolean hard = false;
            switch (type) {
                case Icmp.ICMP_SOURCE_QUENCH, Icmp.ICMP_REDIRECT -> { return 0; }
                case Icmp.ICMP_PARAMETERPROB -> {
                    err = Errno.EPROTO;
                    hard = true;
                }
                case Icmp.ICMP_DEST_UNREACH -> {
                    if (code == Icmp.ICMP_FRAG_NEEDED) {
                        if (sk.pmtudisc == In.IP_PMTUDISC_DONT) return 0;
                        err = Errno.EMSGSIZE;
                        hard = true;
                    } else {
                        err = Errno.EHOSTUNREACH;
                        if (code <= Icmp.NR_ICMP_UNREACH) {
                            err = ERR_CONVERT[code][0];
                            hard = ERR_CONVERT[code][1] != 0;
                        }
                    }
                }
                default -> err = Errno.EHOSTUNREACH;
            }
            sk.icmpError(err, hard, skb, type, code, info, skb.get16(uh + 2), false, uh + UDP_HDR_LEN);
            return 0;
        }
    }
}
