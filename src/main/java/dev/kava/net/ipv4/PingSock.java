package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.Icmp;
import dev.kava.abi.Icmpv6;
import dev.kava.abi.In;
import dev.kava.abi.In6;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.lib.Checksum;
import dev.kava.net.MsgHdr;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv6.Icmpv6Proto;
import dev.kava.net.ipv6.Inet6Sk;
import dev.kava.net.ipv6.Ip6Addr;
import dev.kava.net.ipv6.Ip6Cb;
import dev.kava.net.ipv6.Ip6Output;
import dev.kava.net.ipv6.Rt6Info;

/**
 * An ICMP echo ("ping") socket (net/ipv4/ping.c, net/ipv6/ping.c): socket(AF_INET,
 * SOCK_DGRAM, IPPROTO_ICMP) or (AF_INET6, SOCK_DGRAM, IPPROTO_ICMPV6), allowed to the groups
 * of net.ipv4.ping_group_range (EACCES otherwise). The caller writes echo requests, ICMP header
 * first; the kernel puts the socket's identifier (its "port") in and computes the checksum, and
 * hands the socket the echo replies that carry its identifier, ICMP header included.
 */
public final class PingSock extends InetDatagramSock {
    private final PingTable table;

    private PingSock(Net net, int family, int type, int protocol) {
        super(net, family, type, protocol);
        this.table = net.ipv4.ping;
    }

    /** ping_init_sock: the caller's effective group, or one of its groups, must be in ping_group_range. */
    static InetSock create(Net net, Task t, int family, int type, int protocol, boolean kern) {
        PingSock sk = new PingSock(net, family, type, protocol);
        long lo = Integer.toUnsignedLong(net.ipv4.pingGroupLo), hi = Integer.toUnsignedLong(net.ipv4.pingGroupHi);
        long g = Integer.toUnsignedLong(t.group.cred.egid());
        if (lo <= g && g <= hi) return sk;
        for (int gid : t.group.groups) {
            long x = Integer.toUnsignedLong(gid);
            if (lo <= x && x <= hi) return sk;
        }
        throw ErrnoException.of(Errno.EACCES);
    }

    /** ping_init / pingv6_init: the socket types and the ICMP hooks. */
    static void init() {
        AfInet.register(new InetProtosw(Socket.SOCK_DGRAM, In.IPPROTO_ICMP, PingSock::create, InetProtosw.REUSE));
        dev.kava.net.ipv6.AfInet6.register(new InetProtosw(Socket.SOCK_DGRAM, In6.IPPROTO_ICMPV6, PingSock::create,
                InetProtosw.REUSE));
        IcmpProto.setPingHook(new IcmpProto.PingHook() {
            @Override
            public boolean rcv(Net net, SkBuff skb) {
                return rcv4(net, skb);
            }

            @Override
            public void err(Net net, SkBuff skb, int type, int code, int info) {
                err4(net, skb, type, code, info);
            }
        });
        Icmpv6Proto.setPingHook(new Icmpv6Proto.PingHook() {
            @Override
            public boolean rcv(Net net, SkBuff skb) {
                return rcv6(net, skb);
            }

            @Override
            public void err(Net net, SkBuff skb, int type, int code, int offset, int info) {
                err6(net, skb, type, code, offset, info);
            }
        });
    }

    /** ping_init_sock's first step, after inet6_create applied net.ipv6.bindv6only: ping6 sockets are v6-only. */
    @Override
    protected void init(Task t) {
        if (family == Socket.AF_INET6) v6.ipv6only = true;
    }

    @Override
    protected void getPort(Task t, int snum) {
        table.getPort(this, snum);
    }

    @Override
    protected void unhash() {
        table.unhash(this);
    }

    // ---- bind, connect, getname

    /**
     * ping_bind with ping_check_bind_addr: the address as inet_bind would check it (a
     * link-local IPv6 address needs its scope id), the identifier from the port field (0: the
     * next free one); EINVAL if already bound.
     */
    @Override
    public void bind(Task t, byte[] a, int len) {
        int dif = boundDevIf;
        if (family == Socket.AF_INET) {
            if (len < In.SOCKADDR_IN_SIZE) throw ErrnoException.of(Errno.EINVAL);
            if (family(a) != Socket.AF_INET) throw ErrnoException.of(Errno.EAFNOSUPPORT);
            int addr = SkBuff.get32(a, In.SIN_ADDR);
            int rt = net.ipv4.fib.addrTypeDev(boundDevIf != 0 ? net.devByIndex(boundDevIf) : null, addr);
            if (!(canNonlocalBind() || addr == 0 || rt == dev.kava.abi.Rtnetlink.RTN_LOCAL
                    || rt == dev.kava.abi.Rtnetlink.RTN_MULTICAST || rt == dev.kava.abi.Rtnetlink.RTN_BROADCAST)) {
                throw ErrnoException.of(Errno.EADDRNOTAVAIL);
            }
        } else {
            if (len < In6.SIN6_LEN_RFC2133) throw ErrnoException.of(Errno.EINVAL);
            if (family(a) != Socket.AF_INET6) throw ErrnoException.of(Errno.EAFNOSUPPORT);
            byte[] addr = Ip6Addr.read(a, In6.SIN6_ADDR);
            int type = Ip6Addr.type(addr);
            boolean scoped = Inet6Sk.needsScopeId(addr);
            int scope = len >= In6.SOCKADDR_IN6_SIZE ? Uaccess.getInt(a, In6.SIN6_SCOPE_ID) : 0;
            if ((type != Ip6Addr.IPV6_ADDR_ANY && (type & Ip6Addr.IPV6_ADDR_UNICAST) == 0) || (scoped && scope == 0)) {
                throw ErrnoException.of(Errno.EINVAL);
            }
            dev.kava.net.core.NetDevice dev = null;
            if (scoped) {
                dev = net.devByIndex(scope);
                if (dev == null) throw ErrnoException.of(Errno.ENODEV);
            } else if (boundDevIf != 0) {
                dev = net.devByIndex(boundDevIf);
            }
            boolean has = net.ipv6.addrconf.chkAddr(addr, dev);
            if (!(v6.freebind || v6.transparent || canNonlocalBind() || has || type == Ip6Addr.IPV6_ADDR_ANY)) {
                throw ErrnoException.of(Errno.EADDRNOTAVAIL);
            }
            if (scoped) boundDevIf = scope;
        }
        synchronized (this) {
            if (num != 0) throw ErrnoException.of(Errno.EINVAL);
            int snum = family == Socket.AF_INET ? SkBuff.get16(a, In.SIN_PORT) : SkBuff.get16(a, In6.SIN6_PORT);
            try {
                table.getPort(this, snum);
            } catch (ErrnoException e) {
                boundDevIf = dif;
                throw e;
            }
            if (family == Socket.AF_INET) {
                rcvSaddr = saddr = SkBuff.get32(a, In.SIN_ADDR);
                if (rcvSaddr != 0) userlocks |= SOCK_BINDADDR_LOCK;
            } else {
                byte[] addr = Ip6Addr.read(a, In6.SIN6_ADDR);
                v6.rcvSaddr = v6.saddr = addr;
                if (!Ip6Addr.isAny(addr)) userlocks |= SOCK_BINDADDR_LOCK;
            }
            if (snum != 0) userlocks |= SOCK_BINDPORT_LOCK;
            sport = num;
            daddr = 0;
            dport = 0;
            if (v6 != null) v6.daddr = Ip6Addr.ANY;
        }
    }

    /** ip4_datagram_connect / ip6_datagram_connect, after an identifier is taken. */
    @Override
    public void connect(Task t, byte[] a, int len, int fileFlags) {
        if (len < Socket.SA_FAMILY_SIZE) throw ErrnoException.of(Errno.EINVAL);
        if (family(a) == Socket.AF_UNSPEC) {
            disconnect(t);
            return;
        }
        if (num == 0) autobind(t);
        if (family == Socket.AF_INET6) {
            connect6(t, a, len);
            return;
        }
        datagramConnect4(t, a, len);
    }

    private void connect6(Task t, byte[] a, int len) {
        if (len < In6.SIN6_LEN_RFC2133) throw ErrnoException.of(Errno.EINVAL);
        if (family(a) == Socket.AF_INET) throw ErrnoException.of(Errno.EAFNOSUPPORT);
        if (family(a) != Socket.AF_INET6) throw ErrnoException.of(Errno.EAFNOSUPPORT);
        byte[] d = Ip6Addr.read(a, In6.SIN6_ADDR);
        if (Ip6Addr.isAny(d)) d = Ip6Addr.LOOPBACK;
        if (Ip6Addr.isV4Mapped(d)) throw ErrnoException.of(Errno.ENETUNREACH);
        synchronized (this) {
            if (Inet6Sk.needsScopeId(d)) {
                int scope = len >= In6.SOCKADDR_IN6_SIZE ? Uaccess.getInt(a, In6.SIN6_SCOPE_ID) : 0;
                if (scope != 0) boundDevIf = scope;
                if (boundDevIf == 0) throw ErrnoException.of(Errno.EINVAL);
            }
            Rt6Info rt = Inet6Sk.route(this, d, Ip6Addr.isAny(v6.saddr) ? null : v6.saddr, boundDevIf);
            v6.daddr = d;
            dport = SkBuff.get16(a, In6.SIN6_PORT);
            if (Ip6Addr.isAny(v6.saddr)) v6.saddr = rt.src;
            if (Ip6Addr.isAny(v6.rcvSaddr)) v6.rcvSaddr = rt.src;
            state = TCP_ESTABLISHED;
        }
    }

    /** udp_disconnect serves ping sockets too. */
    @Override
    public synchronized void disconnect(Task t) {
        state = TCP_CLOSE;
        daddr = 0;
        dport = 0;
        boundDevIf = 0;
        if (v6 != null) v6.daddr = Ip6Addr.ANY;
        if ((userlocks & SOCK_BINDADDR_LOCK) == 0) {
            saddr = rcvSaddr = 0;
            if (v6 != null) v6.saddr = v6.rcvSaddr = Ip6Addr.ANY;
        }
        if ((userlocks & SOCK_BINDPORT_LOCK) == 0) {
            unhash();
            num = 0;
            sport = 0;
        }
    }

    @Override
    public int getname(byte[] out, boolean peer) {
        return family == Socket.AF_INET6 ? Inet6Sk.getname(this, out, peer) : getname4(out, peer);
    }

    // ---- send

    /**
     * ping_common_sendmsg: at most 64 KiB (EMSGSIZE), at least an ICMP header (EINVAL), an echo
     * request with code 0 (EINVAL). Returns the user's ICMP header.
     */
    private byte[] commonSendmsg(MsgHdr msg, long len) {
        if (len > 0xFFFF) throw ErrnoException.of(Errno.EMSGSIZE);
        if (len < Icmp.ICMP_HDR_LEN) throw ErrnoException.of(Errno.EINVAL);
        if ((msg.flags & Socket.MSG_OOB) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        byte[] data = new byte[(int) len];
        if (msg.iter.copyFrom(data, 0, (int) len) != len) throw ErrnoException.of(Errno.EFAULT);
        int type = data[0] & 0xff, code = data[1] & 0xff;
        boolean ok = family == Socket.AF_INET ? type == Icmp.ICMP_ECHO && code == 0
                : type == Icmpv6.ICMPV6_ECHO_REQUEST && code == 0;
        if (!ok) throw ErrnoException.of(Errno.EINVAL);
        return data;
    }

    @Override
    public long sendmsg(Task t, MsgHdr msg, long len) {
        if (num == 0) autobind(t);
        if ((msg.flags & Socket.MSG_OOB) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        return family == Socket.AF_INET6 ? sendmsg6(t, msg, len) : sendmsg4(t, msg, len);
    }

    /** ping_v4_sendmsg */
    private long sendmsg4(Task t, MsgHdr msg, long len) {
        byte[] data = commonSendmsg(msg, len);
        int daddr;
        if (msg.name != null && msg.namelen > 0) {
            if (msg.namelen < In.SOCKADDR_IN_SIZE) throw ErrnoException.of(Errno.EINVAL);
            if (family(msg.name) != Socket.AF_INET) throw ErrnoException.of(Errno.EAFNOSUPPORT);
            daddr = SkBuff.get32(msg.name, In.SIN_ADDR);
        } else {
            if (state != TCP_ESTABLISHED) throw ErrnoException.of(Errno.EDESTADDRREQ);
            daddr = this.daddr;
        }
        Ipcm ipc = cmsgSend(t, msg);
        int oif = ipc.oif != 0 ? ipc.oif : boundDevIf;
        if (oif == 0) oif = ucIndex;
        int tos = ipc.tos >= 0 ? ipc.tos : this.tos;
        Flow4 fl = new Flow4(daddr, ipc.addr != 0 ? ipc.addr : saddr, oif, tos, protocol);
        fl.flags = flowFlags();
        if (dontroute || (msg.flags & Socket.MSG_DONTROUTE) != 0) fl.scope = dev.kava.abi.Rtnetlink.RT_SCOPE_LINK;
        Rtable rt = routeOutput(fl);
        int e = sockError();
        if (e != 0) throw ErrnoException.of(e);
        SkBuff.put16(data, 4, sport);
        SkBuff.put16(data, 2, 0);
        SkBuff.put16(data, 2, Checksum.fold(Checksum.partial(data, 0, data.length, 0)));
        SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER, data.length);
        skb.putData(data, 0, data.length);
        IpOutput.Params p = new IpOutput.Params(fl.saddr, fl.daddr, In.IPPROTO_ICMP, tos, ipc.ttl >= 0 ? ipc.ttl : ttl());
        p.df = dontFragment() && data.length + Ip.HDR_LEN <= rt.mtu();
        p.priority = ipc.priority >= 0 ? ipc.priority : priority;
        p.mark = ipc.mark >= 0 ? ipc.mark : mark;
        if (this.daddr != 0) p.id = inetId.getAndIncrement();
        int err = net.ipv4.out.buildAndSend(skb, rt, p);
        if (err < 0 && err != -Errno.ENOBUFS) throw ErrnoException.of(-err);
        net.ipv4.mib.icmp(IpMib.ICMP_OUT_MSGS);
        net.ipv4.mib.icmpMsg.incrementAndGet(256 + Icmp.ICMP_ECHO);
        return len;
    }

    /** ping_v6_sendmsg: the address is checked before the message. */
    private long sendmsg6(Task t, MsgHdr msg, long len) {
        byte[] daddr;
        int oif = 0;
        if (msg.name != null && msg.namelen > 0) {
            if (msg.namelen < In6.SOCKADDR_IN6_SIZE) throw ErrnoException.of(Errno.EINVAL);
            if (family(msg.name) != Socket.AF_INET6) throw ErrnoException.of(Errno.EAFNOSUPPORT);
            daddr = Ip6Addr.read(msg.name, In6.SIN6_ADDR);
            if (Inet6Sk.needsScopeId(daddr)) oif = Uaccess.getInt(msg.name, In6.SIN6_SCOPE_ID);
        } else {
            if (state != TCP_ESTABLISHED) throw ErrnoException.of(Errno.EDESTADDRREQ);
            daddr = v6.daddr;
        }
        if (oif == 0) oif = boundDevIf;
        if (oif == 0) oif = Ip6Addr.isMulticast(daddr) ? v6.mcastOif : v6.ucastOif;
        if ((Inet6Sk.needsScopeId(daddr) && oif == 0) || Ip6Addr.isV4Mapped(daddr)
                || (oif != 0 && boundDevIf != 0 && oif != boundDevIf)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Inet6Sk.Ipc6 ipc = Inet6Sk.cmsgSend(this, t, msg);
        byte[] data = commonSendmsg(msg, len);
        if (ipc.oif != 0) oif = ipc.oif;
        Rt6Info rt = Inet6Sk.route(this, daddr, ipc.saddr != null ? ipc.saddr : Ip6Addr.isAny(v6.saddr) ? null : v6.saddr, oif);
        int e = sockError();
        if (e != 0) throw ErrnoException.of(e);
        SkBuff.put16(data, 4, sport);
        SkBuff.put16(data, 2, 0);
        SkBuff.put16(data, 2, Checksum.ipv6Magic(rt.src, daddr, data.length, In6.IPPROTO_ICMPV6,
                Checksum.partial(data, 0, data.length, 0)));
        SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER, data.length);
        skb.putData(data, 0, data.length);
        skb.ignoreDf = v6.pmtudisc < In6.IPV6_PMTUDISC_DO && !v6.dontfrag;
        int hlim = ipc.hlimit >= 0 ? ipc.hlimit : Inet6Sk.hopLimit(this, daddr);
        Ip6Output.Params p = new Ip6Output.Params(rt.src, daddr, In6.IPPROTO_ICMPV6, ipc.tclass >= 0 ? ipc.tclass : v6.tclass, hlim);
        p.priority = priority;
        p.mark = mark;
        int err = net.ipv6.out.buildAndSend(skb, rt, p);
        if (err < 0 && err != -Errno.ENOBUFS) throw ErrnoException.of(-err);
        net.ipv6.mib.icmp(IpMib.ICMP_OUT_MSGS);
        net.ipv6.mib.icmpMsg.incrementAndGet(256 + Icmpv6.ICMPV6_ECHO_REQUEST);
        return len;
    }

    // ---- receive

    /** ping_rcv for IPv4: the socket of the reply's identifier gets it (ICMP header included). */
    static boolean rcv4(Net net, SkBuff skb) {
        int th = skb.transportHeader;
        int ident = skb.get16(th + 4);
        int dif = skb.cb instanceof IpCb c ? c.iif : skb.skbIif;
        PingSock sk = net.ipv4.ping.lookup(ident, false, skb.get32(skb.networkHeader + Ip.DADDR), null, dif);
        if (sk == null) return false;
        skb.data = th;
        return sk.rq.add(skb) || true;
    }

    static boolean rcv6(Net net, SkBuff skb) {
        int th = skb.transportHeader;
        int ident = skb.get16(th + 4);
        int dif = skb.cb instanceof Ip6Cb c ? c.iif : skb.skbIif;
        PingSock sk = net.ipv4.ping.lookup(ident, true, 0, Ip6Addr.read(skb.buf, skb.networkHeader + 24), dif);
        if (sk == null) return false;
        skb.data = th;
        return sk.rq.add(skb) || true;
    }

    /** ping_recvmsg ignores the MSG_TRUNC flag: it returns what it copied. */
    @Override
    protected boolean truncFlagReturnsFullLength() {
        return false;
    }

    // ---- errors

    /** ping_err's conversion for IPv4, then the socket's error or error queue. */
    static void err4(Net net, SkBuff skb, int type, int code, int info) {
        int q = skb.data;
        int ihl = (skb.get8(q) & 0x0f) * 4;
        int icmph = q + ihl;
        int dif = skb.cb instanceof IpCb c ? c.iif : 0;
        PingSock sk = net.ipv4.ping.lookup(skb.get16(icmph + 4), false, skb.get32(skb.networkHeader + Ip.DADDR), null, dif);
        if (sk == null) return;
        int err;
        boolean hard = false;
        switch (type) {
            case Icmp.ICMP_SOURCE_QUENCH, Icmp.ICMP_REDIRECT -> err = Errno.EREMOTEIO;
            case Icmp.ICMP_PARAMETERPROB -> {
                err = Errno.EPROTO;
                hard = true;
            }
            case Icmp.ICMP_DEST_UNREACH -> {
                if (code == Icmp.ICMP_FRAG_NEEDED) {
                    if (sk.pmtudisc == In.IP_PMTUDISC_DONT) return;
                    err = Errno.EMSGSIZE;
                    hard = true;
                } else {
                    err = Errno.EHOSTUNREACH;
                    if (code <= Icmp.NR_ICMP_UNREACH) {
                        err = UdpSock.Udp.ERR_CONVERT[code][0];
                        hard = UdpSock.Udp.ERR_CONVERT[code][1] != 0;
                    }
                }
            }
            default -> err = Errno.EHOSTUNREACH;
        }
        sk.reportError(err, hard, skb, type, code, info, false, icmph, sk.recverr);
    }

    static void err6(Net net, SkBuff skb, int type, int code, int offset, int info) {
        int icmph = skb.data + offset;
        int dif = skb.cb instanceof Ip6Cb c ? c.iif : 0;
        PingSock sk = net.ipv4.ping.lookup(skb.get16(icmph + 4), true, 0, Ip6Addr.read(skb.buf, skb.networkHeader + 24), dif);
        if (sk == null) return;
        int[] ef = Icmpv6Proto.errConvert(type, code);
        sk.reportError(ef[0], ef[1] != 0, skb, type, code, info, true, icmph, sk.v6.recverr);
    }

    private void reportError(int err, boolean hard, SkBuff skb, int type, int code, int info, boolean v6err, int payload,
                             boolean wantQueue) {
        if (!wantQueue) {
            if (!hard || state != TCP_ESTABLISHED) return;
        } else {
            errq.queueIcmp(skb, err, type, code, info, 0, v6err, payload);
        }
        synchronized (this) {
            this.err = err;
        }
        wq.wakeAll(dev.kava.abi.Poll.POLLERR);
    }

    // ---- the rest

    @Override
    public void setsockopt(Task t, int level, int optname, long optval, int optlen) {
        if (level == Socket.SOL_IPV6 && family == Socket.AF_INET6) Inet6Sk.setsockopt(this, t, optname, optval, optlen);
        else if (level == Socket.SOL_IP && family == Socket.AF_INET) ipSetsockopt(t, optname, optval, optlen);
        else throw ErrnoException.of(Errno.ENOPROTOOPT);
    }

    @Override
    public void getsockopt(Task t, int level, int optname, long optval, long optlen) {
        if (level == Socket.SOL_IPV6 && family == Socket.AF_INET6) Inet6Sk.getsockopt(this, t, optname, optval, optlen);
        else if (level == Socket.SOL_IP && family == Socket.AF_INET) ipGetsockopt(t, optname, optval, optlen);
        else throw ErrnoException.of(Errno.ENOPROTOOPT);
    }
}
