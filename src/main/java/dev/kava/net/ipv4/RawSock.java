package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.Icmp;
import dev.kava.abi.Icmpv6;
import dev.kava.abi.In;
import dev.kava.abi.In6;
import dev.kava.abi.Poll;
import dev.kava.abi.Rtnetlink;
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
import dev.kava.net.ipv6.Ip6Input;
import dev.kava.net.ipv6.Ip6Output;
import dev.kava.net.ipv6.Rt6Info;

/**
 * A raw socket (net/ipv4/raw.c, net/ipv6/raw.c), CAP_NET_RAW only: it receives a copy of every
 * packet of its protocol for this host (IPv4: from the IP header on; IPv6: from the transport
 * header on), ICMP ones filtered by ICMP_FILTER / ICMPV6_FILTER; it sends its data as the
 * protocol's payload, or with IP_HDRINCL (IPPROTO_RAW) a whole IPv4 packet whose header the
 * kernel completes. Over IPv6 the kernel computes ICMPv6 checksums (and others at IPV6_CHECKSUM).
 */
public final class RawSock extends InetDatagramSock {
    /** ICMP_FILTER: types (below 32) whose bit is set are not delivered. */
    private volatile int icmpFilter;
    /** ICMPV6_FILTER: 256 bits, a set bit blocks the type. */
    private final int[] icmp6Filter = new int[8];

    private RawSock(Net net, int family, int type, int protocol) {
        super(net, family, type, protocol);
    }

    /** inet_create / inet6_create for SOCK_RAW: the protocol is the socket's number; IPPROTO_RAW implies IP_HDRINCL. */
    static InetSock create(Net net, Task t, int family, int type, int protocol, boolean kern) {
        RawSock sk = new RawSock(net, family, type, protocol);
        sk.num = protocol;
        sk.sport = protocol;
        if (protocol == In.IPPROTO_RAW) sk.hdrincl = true;
        if (family == Socket.AF_INET6 && protocol == In6.IPPROTO_ICMPV6) sk.v6.checksumOffset = 2;
        net.ipv4.raw.hash(sk);
        return sk;
    }

    /** raw_init / rawv6_init: the wildcard SOCK_RAW entries and the delivery hooks. */
    static void init() {
        AfInet.register(new InetProtosw(Socket.SOCK_RAW, In.IPPROTO_IP, RawSock::create, InetProtosw.REUSE));
        dev.kava.net.ipv6.AfInet6.register(new InetProtosw(Socket.SOCK_RAW, In.IPPROTO_IP, RawSock::create, InetProtosw.REUSE));
        IpInput.setRawDeliver(RawSock::deliver4);
        IcmpProto.setRawIcmpError(RawSock::icmpError4);
        Ip6Input.setRawDeliver(RawSock::deliver6);
        Icmpv6Proto.setRawIcmpError(RawSock::icmpError6);
    }

    @Override
    protected void getPort(Task t, int snum) {
        // Raw sockets have no ports: inet_num is the protocol (raw_prot has no get_port).
    }

    @Override
    protected void unhash() {
        net.ipv4.raw.unhash(this);
    }

    // ---- delivery

    /** raw_v4_input: a clone for each raw socket of the protocol whose addresses and device match. */
    static boolean deliver4(Net net, SkBuff skb, int protocol) {
        boolean delivered = false;
        int nh = skb.networkHeader;
        int saddr = skb.get32(nh + Ip.SADDR), daddr = skb.get32(nh + Ip.DADDR);
        int dif = skb.cb instanceof IpCb c ? c.iif : skb.skbIif;
        for (RawSock sk : net.ipv4.raw.all()) {
            if (sk.family != Socket.AF_INET || sk.num != protocol) continue;
            if (sk.daddr != 0 && sk.daddr != saddr) continue;
            if (sk.rcvSaddr != 0 && sk.rcvSaddr != daddr) continue;
            if (sk.boundDevIf != 0 && sk.boundDevIf != dif) continue;
            delivered = true;
            if (protocol == In.IPPROTO_ICMP && sk.filtered4(skb)) continue;
            SkBuff c = skb.clone();
            c.data = nh;
            sk.rq.add(c);
        }
        return delivered;
    }

    /** icmp_filter */
    private boolean filtered4(SkBuff skb) {
        if (skb.transportHeader + 1 > skb.tail) return false;
        int type = skb.get8(skb.transportHeader);
        return type < 32 && ((1 << type) & icmpFilter) != 0;
    }

    /** ipv6_raw_deliver: the transport header on; ICMPv6 filtered. */
    static boolean deliver6(Net net, SkBuff skb, int nexthdr) {
        boolean delivered = false;
        int nh = skb.networkHeader;
        byte[] saddr = Ip6Addr.read(skb.buf, nh + 8), daddr = Ip6Addr.read(skb.buf, nh + 24);
        int dif = skb.cb instanceof Ip6Cb c ? c.iif : skb.skbIif;
        for (RawSock sk : net.ipv4.raw.all()) {
            if (sk.family != Socket.AF_INET6 || sk.num != nexthdr) continue;
            if (!Ip6Addr.isAny(sk.v6.daddr) && !java.util.Arrays.equals(sk.v6.daddr, saddr)) continue;
            if (!Ip6Addr.isAny(sk.v6.rcvSaddr) && !java.util.Arrays.equals(sk.v6.rcvSaddr, daddr)) continue;
            if (sk.boundDevIf != 0 && sk.boundDevIf != dif) continue;
            delivered = true;
            if (nexthdr == In6.IPPROTO_ICMPV6 && skb.transportHeader < skb.tail) {
                int type = skb.get8(skb.transportHeader);
                if ((sk.icmp6Filter[type >> 5] & (1 << (type & 31))) != 0) continue;
            }
            SkBuff c = skb.clone();
            c.data = skb.transportHeader;
            sk.rq.add(c);
        }
        return delivered;
    }

    /** raw_icmp_error + raw_err: a raw socket hears of errors only with IP_RECVERR or when connected. */
    static void icmpError4(Net net, SkBuff skb, int protocol, int type, int code, int info) {
        int q = skb.data;
        int saddr = skb.get32(q + Ip.SADDR), daddr = skb.get32(q + Ip.DADDR);
        for (RawSock sk : net.ipv4.raw.all()) {
            if (sk.family != Socket.AF_INET || sk.num != protocol) continue;
            if (sk.daddr != 0 && sk.daddr != daddr) continue;
            if (sk.rcvSaddr != 0 && sk.rcvSaddr != saddr) continue;
            if (!sk.recverr && sk.state != TCP_ESTABLISHED) continue;
            int err;
            boolean hard = false;
            switch (type) {
                case Icmp.ICMP_SOURCE_QUENCH, Icmp.ICMP_REDIRECT -> { continue; }
                case Icmp.ICMP_PARAMETERPROB -> {
                    err = Errno.EPROTO;
                    hard = true;
                }
                case Icmp.ICMP_DEST_UNREACH -> {
                    err = Errno.EHOSTUNREACH;
                    if (code <= Icmp.NR_ICMP_UNREACH) {
                        err = UdpSock.Udp.ERR_CONVERT[code][0];
                        hard = UdpSock.Udp.ERR_CONVERT[code][1] != 0;
                    }
                    if (code == Icmp.ICMP_FRAG_NEEDED) {
                        err = Errno.EMSGSIZE;
                        hard = sk.pmtudisc != In.IP_PMTUDISC_DONT;
                    }
                }
                default -> err = Errno.EHOSTUNREACH;
            }
            if (sk.recverr) sk.errq.queueIcmp(skb, err, type, code, info, 0, false, q);
            if (sk.recverr || hard) {
                synchronized (sk) {
                    sk.err = err;
                }
                sk.wq.wakeAll(Poll.POLLERR);
            }
        }
    }

    static void icmpError6(Net net, SkBuff skb, int nexthdr, int type, int code, int offset, int info) {
        for (RawSock sk : net.ipv4.raw.all()) {
            if (sk.family != Socket.AF_INET6 || sk.num != nexthdr) continue;
            if (!sk.v6.recverr && sk.state != TCP_ESTABLISHED) continue;
            int[] ef = Icmpv6Proto.errConvert(type, code);
            if (sk.v6.recverr) sk.errq.queueIcmp(skb, ef[0], type, code, info, 0, true, skb.data + offset);
            if (sk.v6.recverr || ef[1] != 0) {
                synchronized (sk) {
                    sk.err = ef[0];
                }
                sk.wq.wakeAll(Poll.POLLERR);
            }
        }
    }

    // ---- bind, connect, getname

    /**
     * raw_bind: at least a sockaddr_in (EINVAL; also for a second bind of a connected socket),
     * an address of this host (EADDRNOTAVAIL); the family is not looked at. IPv6: rawv6_bind,
     * with inet6_bind's address rules and no port.
     */
    @Override
    public void bind(Task t, byte[] a, int len) {
        if (family == Socket.AF_INET6) {
            bind6(a, len);
            return;
        }
        synchronized (this) {
            if (state != TCP_CLOSE || len < In.SOCKADDR_IN_SIZE) throw ErrnoException.of(Errno.EINVAL);
            int addr = SkBuff.get32(a, In.SIN_ADDR);
            int type = net.ipv4.fib.addrType(addr);
            if (!(canNonlocalBind() || addr == 0 || type == Rtnetlink.RTN_LOCAL || type == Rtnetlink.RTN_MULTICAST
                    || type == Rtnetlink.RTN_BROADCAST)) {
                throw ErrnoException.of(Errno.EADDRNOTAVAIL);
            }
            rcvSaddr = saddr = addr;
            if (type == Rtnetlink.RTN_MULTICAST || type == Rtnetlink.RTN_BROADCAST) saddr = 0;
        }
    }

    /** rawv6_bind */
    private void bind6(byte[] a, int len) {
        if (len < In6.SIN6_LEN_RFC2133) throw ErrnoException.of(Errno.EINVAL);
        if (family(a) != Socket.AF_INET6) throw ErrnoException.of(Errno.EINVAL);
        byte[] addr = Ip6Addr.read(a, In6.SIN6_ADDR);
        int type = Ip6Addr.type(addr);
        if (type == Ip6Addr.IPV6_ADDR_MAPPED) throw ErrnoException.of(Errno.EADDRNOTAVAIL);
        synchronized (this) {
            if (state != TCP_CLOSE) throw ErrnoException.of(Errno.EINVAL);
            if (type != Ip6Addr.IPV6_ADDR_ANY) {
                dev.kava.net.core.NetDevice dev = null;
                if (Inet6Sk.needsScopeId(addr)) {
                    int scope = len >= In6.SOCKADDR_IN6_SIZE ? Uaccess.getInt(a, In6.SIN6_SCOPE_ID) : 0;
                    if (scope != 0) boundDevIf = scope;
                    if (boundDevIf == 0) throw ErrnoException.of(Errno.EINVAL);
                }
                if (boundDevIf != 0) {
                    dev = net.devByIndex(boundDevIf);
                    if (dev == null) throw ErrnoException.of(Errno.ENODEV);
                }
                if ((type & Ip6Addr.IPV6_ADDR_MULTICAST) == 0 && !(v6.freebind || v6.transparent)
                        && !net.ipv6.addrconf.chkAddr(addr, dev)) {
                    throw ErrnoException.of(Errno.EADDRNOTAVAIL);
                }
            }
            rcvSaddr = Ip6Addr.LOOPBACK4_IPV6;
            v6.rcvSaddr = addr;
            if ((type & Ip6Addr.IPV6_ADDR_MULTICAST) == 0) v6.saddr = addr;
        }
    }

    /** ip4_datagram_connect / ip6_datagram_connect (a raw socket's "port" is kept but means nothing). */
    @Override
    public void connect(Task t, byte[] a, int len, int fileFlags) {
        if (len < Socket.SA_FAMILY_SIZE) throw ErrnoException.of(Errno.EINVAL);
        if (family(a) == Socket.AF_UNSPEC) {
            disconnect(t);
            return;
        }
        if (family == Socket.AF_INET6) {
            if (len < In6.SIN6_LEN_RFC2133) throw ErrnoException.of(Errno.EINVAL);
            if (family(a) != Socket.AF_INET6) throw ErrnoException.of(Errno.EAFNOSUPPORT);
            byte[] d = Ip6Addr.read(a, In6.SIN6_ADDR);
            if (Ip6Addr.isAny(d)) d = Ip6Addr.LOOPBACK;
            if (Ip6Addr.isV4Mapped(d)) throw ErrnoException.of(Errno.ENETUNREACH);
            synchronized (this) {
                Rt6Info rt = Inet6Sk.route(this, d, Ip6Addr.isAny(v6.saddr) ? null : v6.saddr, boundDevIf);
                v6.daddr = d;
                dport = SkBuff.get16(a, In6.SIN6_PORT);
                if (Ip6Addr.isAny(v6.saddr)) v6.saddr = rt.src;
                if (Ip6Addr.isAny(v6.rcvSaddr)) v6.rcvSaddr = rt.src;
                state = TCP_ESTABLISHED;
            }
            return;
        }
        datagramConnect4(t, a, len);
    }

    /** __udp_disconnect as raw_prot uses it. */
    @Override
    public synchronized void disconnect(Task t) {
        state = TCP_CLOSE;
        daddr = 0;
        dport = 0;
        boundDevIf = 0;
        if (v6 != null) v6.daddr = Ip6Addr.ANY;
    }

    @Override
    public int getname(byte[] out, boolean peer) {
        return family == Socket.AF_INET6 ? Inet6Sk.getname(this, out, peer) : getname4(out, peer);
    }

    // ---- send

    @Override
    public long sendmsg(Task t, MsgHdr msg, long len) {
        return family == Socket.AF_INET6 ? sendmsg6(t, msg, len) : sendmsg4(t, msg, len);
    }

    /** raw_sendmsg */
    private long sendmsg4(Task t, MsgHdr msg, long len) {
        if (len > 0xFFFF) throw ErrnoException.of(Errno.EMSGSIZE);
        if ((msg.flags & Socket.MSG_OOB) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        boolean hdr = hdrincl;
        int daddr;
        if (msg.name != null && msg.namelen > 0) {
            if (msg.namelen < In.SOCKADDR_IN_SIZE) throw ErrnoException.of(Errno.EINVAL);
            int fam = family(msg.name);
            if (fam != Socket.AF_INET && fam != 0) throw ErrnoException.of(Errno.EAFNOSUPPORT);
            daddr = SkBuff.get32(msg.name, In.SIN_ADDR);
        } else {
            if (state != TCP_ESTABLISHED) throw ErrnoException.of(Errno.EDESTADDRREQ);
            daddr = this.daddr;
        }
        Ipcm ipc = cmsgSend(t, msg);
        int proto = hdr ? In.IPPROTO_RAW : ipc.protocol != 0 ? ipc.protocol : protocol;
        int oif = ipc.oif != 0 ? ipc.oif : boundDevIf;
        if (oif == 0) oif = ucIndex;
        int tos = ipc.tos >= 0 ? ipc.tos : this.tos;
        Flow4 fl = new Flow4(daddr, ipc.addr != 0 ? ipc.addr : saddr, oif, tos, proto);
        fl.flags = flowFlags() | (hdr ? Flow4.FLOWI_FLAG_ANYSRC : 0);
        if (dontroute || (msg.flags & Socket.MSG_DONTROUTE) != 0) fl.scope = Rtnetlink.RT_SCOPE_LINK;
        Rtable rt = Route.output(net, fl);
        if (rt.isBroadcast() && !broadcast) throw ErrnoException.of(Errno.EACCES);
        byte[] data = new byte[(int) len];
        if (msg.iter.copyFrom(data, 0, (int) len) != len) throw ErrnoException.of(Errno.EFAULT);
        int err;
        if (hdr) {
            err = sendHdrinc(rt, fl, data);
        } else {
            if (data.length + Ip.HDR_LEN > Ip.IP_MAX_MTU) throw ErrnoException.of(Errno.EMSGSIZE);
            SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER, data.length);
            skb.putData(data, 0, data.length);
            IpOutput.Params p = new IpOutput.Params(fl.saddr, fl.daddr, proto, tos, ipc.ttl >= 0 ? ipc.ttl : ttl());
            p.df = dontFragment() && data.length + Ip.HDR_LEN <= rt.mtu();
            p.priority = ipc.priority >= 0 ? ipc.priority : priority;
            p.mark = ipc.mark >= 0 ? ipc.mark : mark;
            if (proto == In.IPPROTO_ICMP && data.length >= 1) {
                net.ipv4.mib.icmp(IpMib.ICMP_OUT_MSGS);
                net.ipv4.mib.icmpMsg.incrementAndGet(256 + (data[0] & 0xff));
            }
            err = net.ipv4.out.buildAndSend(skb, rt, p);
            if (err == -Errno.ENOBUFS && !recverr) err = 0;
        }
        if (err < 0) throw ErrnoException.of(-err);
        return len;
    }

    /**
     * raw_send_hdrinc: the caller's packet as it is, except that a sane header (ihl at least 5)
     * gets the source if it is 0, the total length, an ID if it is 0 and its checksum.
     * EMSGSIZE beyond the device MTU, EINVAL shorter than a header or with ihl past the end.
     */
    private int sendHdrinc(Rtable rt, Flow4 fl, byte[] data) {
        int length = data.length;
        if (length > rt.dev.mtu) return -Errno.EMSGSIZE;
        if (length < Ip.HDR_LEN) return -Errno.EINVAL;
        int ihl = (data[0] & 0x0f) * 4;
        if (ihl > length) return -Errno.EINVAL;
        SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER, length);
        int nh = skb.putData(data, 0, length);
        skb.networkHeader = nh;
        skb.transportHeader = nh;
        if (ihl >= Ip.HDR_LEN) {
            if (skb.get32(nh + Ip.SADDR) == 0) skb.put32(nh + Ip.SADDR, fl.saddr);
            skb.put16(nh + Ip.CHECK, 0);
            skb.put16(nh + Ip.TOT_LEN, length);
            if (skb.get16(nh + Ip.ID) == 0) skb.put16(nh + Ip.ID, net.ipv4.out.nextId());
            skb.put16(nh + Ip.CHECK, Checksum.ipFastCsum(skb.buf, nh, ihl / 4));
            skb.transportHeader = nh + ihl;
        }
        skb.dst = rt;
        skb.dev = rt.dev;
        skb.protocol = dev.kava.abi.IfEther.ETH_P_IP;
        skb.priority = priority;
        net.ipv4.mib.ip(IpMib.OUT_REQUESTS);
        return rt.output(skb);
    }

    /**
     * rawv6_sendmsg: the protocol from the socket (or the port field of an IPPROTO_RAW
     * socket's address), the checksum filled in for ICMPv6 and IPV6_CHECKSUM sockets.
     */
    private long sendmsg6(Task t, MsgHdr msg, long len) {
        if (len > Integer.MAX_VALUE) throw ErrnoException.of(Errno.EMSGSIZE);
        if ((msg.flags & Socket.MSG_OOB) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        byte[] daddr;
        int proto = num;
        int oif = 0;
        if (msg.name != null && msg.namelen > 0) {
            if (msg.namelen < In6.SIN6_LEN_RFC2133) throw ErrnoException.of(Errno.EINVAL);
            int fam = family(msg.name);
            if (fam != 0 && fam != Socket.AF_INET6) throw ErrnoException.of(Errno.EAFNOSUPPORT);
            int p = SkBuff.get16(msg.name, In6.SIN6_PORT);
            if (p != 0) {
                if (p != num && num != In.IPPROTO_RAW) throw ErrnoException.of(Errno.EINVAL);
                if (p > 255) throw ErrnoException.of(Errno.EINVAL);
                proto = p;
            }
            daddr = Ip6Addr.read(msg.name, In6.SIN6_ADDR);
            if (msg.namelen >= In6.SOCKADDR_IN6_SIZE && Inet6Sk.needsScopeId(daddr)) oif = Uaccess.getInt(msg.name, In6.SIN6_SCOPE_ID);
        } else {
            if (state != TCP_ESTABLISHED) throw ErrnoException.of(Errno.EDESTADDRREQ);
            daddr = v6.daddr;
        }
        if (oif == 0) oif = boundDevIf;
        Inet6Sk.Ipc6 ipc = Inet6Sk.cmsgSend(this, t, msg);
        if (ipc.oif != 0) oif = ipc.oif;
        Rt6Info rt = Inet6Sk.route(this, daddr, ipc.saddr != null ? ipc.saddr : Ip6Addr.isAny(v6.saddr) ? null : v6.saddr, oif);
        byte[] data = new byte[(int) len];
        if (msg.iter.copyFrom(data, 0, (int) len) != len) throw ErrnoException.of(Errno.EFAULT);
        int off = v6.checksumOffset;
        if (off >= 0) {
            if (off + 2 > data.length) throw ErrnoException.of(Errno.EINVAL);
            SkBuff.put16(data, off, 0);
            int c = Checksum.ipv6Magic(rt.src, daddr, data.length, proto, Checksum.partial(data, 0, data.length, 0));
            SkBuff.put16(data, off, c == 0 && proto != In6.IPPROTO_ICMPV6 ? 0xffff : c);
        }
        SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER, data.length);
        skb.putData(data, 0, data.length);
        skb.ignoreDf = v6.pmtudisc < In6.IPV6_PMTUDISC_DO && !v6.dontfrag;
        int hlim = ipc.hlimit >= 0 ? ipc.hlimit : Inet6Sk.hopLimit(this, daddr);
        Ip6Output.Params p = new Ip6Output.Params(rt.src, daddr, proto, ipc.tclass >= 0 ? ipc.tclass : v6.tclass, hlim);
        p.priority = priority;
        if (proto == In6.IPPROTO_ICMPV6 && data.length >= 1) {
            net.ipv6.mib.icmp(IpMib.ICMP_OUT_MSGS);
            net.ipv6.mib.icmpMsg.incrementAndGet(256 + (data[0] & 0xff));
        }
        int err = net.ipv6.out.buildAndSend(skb, rt, p);
        if (err < 0 && !(err == -Errno.ENOBUFS && !v6.recverr)) throw ErrnoException.of(-err);
        return len;
    }

    // ---- receive

    /** raw_recvmsg: with the MSG_TRUNC flag the full length is returned. */
    @Override
    protected boolean truncFlagReturnsFullLength() {
        return true;
    }

    // ---- options

    /** raw_setsockopt: SOL_RAW's ICMP_FILTER; SOL_IP; IPv6: SOL_ICMPV6's ICMPV6_FILTER and SOL_IPV6. */
    @Override
    public void setsockopt(Task t, int level, int optname, long optval, int optlen) {
        if (family == Socket.AF_INET6) {
            if (level == Socket.SOL_ICMPV6) {
                if (protocol != In6.IPPROTO_ICMPV6 || optname != Icmpv6.ICMPV6_FILTER) throw ErrnoException.of(Errno.EOPNOTSUPP);
                int n = Math.min(optlen, Icmpv6.ICMP6_FILTER_SIZE);
                if (n < 0) throw ErrnoException.of(Errno.EINVAL);
                byte[] f = t.mem.read(optval, n);
                synchronized (this) {
                    java.util.Arrays.fill(icmp6Filter, 0);
                    for (int i = 0; i + 4 <= n; i += 4) icmp6Filter[i / 4] = Uaccess.getInt(f, i);
                }
                return;
            }
            if (level == Socket.SOL_RAW) throw ErrnoException.of(Errno.ENOPROTOOPT);
            if (level == Socket.SOL_IPV6) {
                Inet6Sk.setsockopt(this, t, optname, optval, optlen);
                return;
            }
            throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
        if (level == Socket.SOL_RAW) {
            if (optname != Icmp.ICMP_FILTER) throw ErrnoException.of(Errno.ENOPROTOOPT);
            if (protocol != In.IPPROTO_ICMP) throw ErrnoException.of(Errno.EOPNOTSUPP);
            if (optlen > 4) optlen = 4;
            if (optlen < 0) throw ErrnoException.of(Errno.EINVAL);
            byte[] f = new byte[4];
            if (optlen > 0) t.mem.read(optval, f, 0, optlen);
            icmpFilter = Uaccess.getInt(f, 0);
            return;
        }
        if (level != Socket.SOL_IP) throw ErrnoException.of(Errno.ENOPROTOOPT);
        ipSetsockopt(t, optname, optval, optlen);
    }

    @Override
    public void getsockopt(Task t, int level, int optname, long optval, long optlenAddr) {
        if (family == Socket.AF_INET6) {
            if (level == Socket.SOL_ICMPV6) {
                if (protocol != In6.IPPROTO_ICMPV6 || optname != Icmpv6.ICMPV6_FILTER) throw ErrnoException.of(Errno.EOPNOTSUPP);
                int len = t.mem.read32(optlenAddr);
                if (len < 0) throw ErrnoException.of(Errno.EINVAL);
                len = Math.min(len, Icmpv6.ICMP6_FILTER_SIZE);
                byte[] f = new byte[Icmpv6.ICMP6_FILTER_SIZE];
                for (int i = 0; i < 8; i++) Uaccess.putInt(f, 4 * i, icmp6Filter[i]);
                t.mem.write32(optlenAddr, len);
                t.mem.write(optval, f, 0, len);
                return;
            }
            if (level == Socket.SOL_IPV6) {
                Inet6Sk.getsockopt(this, t, optname, optval, optlenAddr);
                return;
            }
            throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
        if (level == Socket.SOL_RAW) {
            if (optname != Icmp.ICMP_FILTER) throw ErrnoException.of(Errno.ENOPROTOOPT);
            if (protocol != In.IPPROTO_ICMP) throw ErrnoException.of(Errno.EOPNOTSUPP);
            int len = t.mem.read32(optlenAddr);
            if (len < 0) throw ErrnoException.of(Errno.EINVAL);
            len = Math.min(len, 4);
            byte[] f = new byte[4];
            Uaccess.putInt(f, 0, icmpFilter);
            t.mem.write32(optlenAddr, len);
            t.mem.write(optval, f, 0, len);
            return;
        }
        if (level != Socket.SOL_IP) throw ErrnoException.of(Errno.ENOPROTOOPT);
        ipGetsockopt(t, optname, optval, optlenAddr);
    }

    /** raw_ioctl: SIOCOUTQ (nothing waits to be sent) and SIOCINQ (the first packet's length). */
    @Override
    protected long protoIoctl(Task t, int cmd, long arg) {
        switch (cmd) {
            case Socket.SIOCOUTQ -> {
                t.mem.write32(arg, 0);
                return 0;
            }
            case Socket.SIOCINQ -> {
                t.mem.write32(arg, rq.firstLen());
                return 0;
            }
            default -> throw ErrnoException.of(Errno.ENOIOCTLCMD);
        }
    }
}
