package dev.kava.net.ipv6;

import dev.kava.abi.Errno;
import dev.kava.abi.In;
import dev.kava.abi.In6;
import dev.kava.abi.Rtnetlink;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.net.MsgHdr;
import dev.kava.net.Scm;
import dev.kava.net.Sock;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv4.InetSock;
import dev.kava.net.ipv4.IpCb;
import dev.kava.net.ipv4.UdpSock;

/**
 * What AF_INET6 sockets share (net/ipv6/af_inet6.c, datagram.c, ipv6_sockglue.c): bind with
 * its scope and v4-mapped rules, getname, datagram connect (a v4-mapped peer goes through
 * IPv4), the SOL_IPV6 options, and the control messages of sendmsg and recvmsg.
 */
public final class Inet6Sk {
    private Inet6Sk() {}

    /** IPV6_DEFAULT_MCASTHOPS */
    public static final int IPV6_DEFAULT_MCASTHOPS = 1;

    /** A sockaddr_in6; returns its length (28). */
    public static int putSockaddrIn6(byte[] out, byte[] addr, int port, int flowinfo, int scope) {
        java.util.Arrays.fill(out, 0, In6.SOCKADDR_IN6_SIZE, (byte) 0);
        out[0] = (byte) Socket.AF_INET6;
        SkBuff.put16(out, In6.SIN6_PORT, port);
        SkBuff.put32(out, In6.SIN6_FLOWINFO, flowinfo);
        System.arraycopy(addr, 0, out, In6.SIN6_ADDR, 16);
        Uaccess.putInt(out, In6.SIN6_SCOPE_ID, scope);
        return In6.SOCKADDR_IN6_SIZE;
    }

    /** __ipv6_addr_needs_scope_id: link-local unicast and link- or interface-local multicast. */
    public static boolean needsScopeId(byte[] a) {
        int t = Ip6Addr.type(a);
        if ((t & Ip6Addr.IPV6_ADDR_MULTICAST) != 0) return (t & (Ip6Addr.IPV6_ADDR_LINKLOCAL | Ip6Addr.IPV6_ADDR_LOOPBACK)) != 0;
        return (t & Ip6Addr.IPV6_ADDR_LINKLOCAL) != 0;
    }

    /** ipv6_iface_scope_id */
    public static int scopeFor(byte[] a, int iface) {
        return needsScopeId(a) ? iface : 0;
    }

    /** The scope id of a received packet's source: the interface it came in on, for a link-scoped address. */
    public static int ifaceScope(byte[] a, Object cb) {
        int iif = cb instanceof Ip6Cb c ? c.iif : cb instanceof IpCb c4 ? c4.iif : 0;
        return scopeFor(a, iif);
    }

    private static boolean cap(Task t) {
        return t.group.cred.euid() == 0;
    }

    // ---- bind

    /**
     * inet6_bind_sk and __inet6_bind: at least SIN6_LEN_RFC2133 bytes (EINVAL), AF_INET6
     * (EAFNOSUPPORT), privileged ports (EACCES), double bind (EINVAL); a v4-mapped address as
     * IPv4 would check it (not on a v6-only socket: EINVAL); a link-local one needs an
     * interface (EINVAL); an address not on this host is EADDRNOTAVAIL. Binding a specific
     * IPv6 address makes the socket v6-only.
     */
    public static void bind(InetSock sk, Task t, byte[] a, int len) {
        if (len < In6.SIN6_LEN_RFC2133) throw ErrnoException.of(Errno.EINVAL);
        if (InetSock.family(a) != Socket.AF_INET6) throw ErrnoException.of(Errno.EAFNOSUPPORT);
        byte[] addr = Ip6Addr.read(a, In6.SIN6_ADDR);
        int type = Ip6Addr.type(addr);
        if ((type & Ip6Addr.IPV6_ADDR_MULTICAST) != 0 && sk.type == Socket.SOCK_STREAM) throw ErrnoException.of(Errno.EINVAL);
        int snum = SkBuff.get16(a, In6.SIN6_PORT);
        if (snum != 0 && snum < sk.net.ipv4.ipUnprivilegedPortStart && !cap(t)) throw ErrnoException.of(Errno.EACCES);
        Ipv6Pinfo np = sk.v6;
        synchronized (sk) {
            if (sk.state != InetSock.TCP_CLOSE || sk.num != 0) throw ErrnoException.of(Errno.EINVAL);
            int v4addr = 0;
            if (type == Ip6Addr.IPV6_ADDR_MAPPED) {
                if (np.ipv6only) throw ErrnoException.of(Errno.EINVAL);
                NetDevice dev = null;
                if (sk.boundDevIf != 0) {
                    dev = sk.net.devByIndex(sk.boundDevIf);
                    if (dev == null) throw ErrnoException.of(Errno.ENODEV);
                }
                v4addr = Ip6Addr.v4(addr);
                int rt = sk.net.ipv4.fib.addrTypeDev(dev, v4addr);
                if (!(sk.canNonlocalBind() || v4addr == 0 || rt == Rtnetlink.RTN_LOCAL || rt == Rtnetlink.RTN_MULTICAST
                        || rt == Rtnetlink.RTN_BROADCAST)) {
                    throw ErrnoException.of(Errno.EADDRNOTAVAIL);
                }
            } else if (type != Ip6Addr.IPV6_ADDR_ANY) {
                if (needsScopeId(addr)) {
                    int scope = len >= In6.SOCKADDR_IN6_SIZE ? Uaccess.getInt(a, In6.SIN6_SCOPE_ID) : 0;
                    if (scope != 0) sk.boundDevIf = scope;
                    if (sk.boundDevIf == 0) throw ErrnoException.of(Errno.EINVAL);
                }
                NetDevice dev = null;
                if (sk.boundDevIf != 0) {
                    dev = sk.net.devByIndex(sk.boundDevIf);
                    if (dev == null) throw ErrnoException.of(Errno.ENODEV);
                }
                v4addr = Ip6Addr.LOOPBACK4_IPV6;
                if ((type & Ip6Addr.IPV6_ADDR_MULTICAST) == 0) {
                    if (!(np.freebind || np.transparent || sk.canNonlocalBind()) && !sk.net.ipv6.addrconf.chkAddr(addr, dev)) {
                        throw ErrnoException.of(Errno.EADDRNOTAVAIL);
                    }
                }
            }
            sk.rcvSaddr = v4addr;
            sk.saddr = v4addr;
            np.rcvSaddr = addr;
            if ((type & Ip6Addr.IPV6_ADDR_MULTICAST) == 0) np.saddr = addr;
            boolean savedV6only = np.ipv6only;
            if (type != Ip6Addr.IPV6_ADDR_ANY && type != Ip6Addr.IPV6_ADDR_MAPPED) np.ipv6only = true;
            if (snum != 0 || !sk.bindAddressNoPort) {
                try {
                    protoGetPort(sk, t, snum);
                } catch (ErrnoException e) {
                    np.ipv6only = savedV6only;
                    sk.rcvSaddr = sk.saddr = 0;
                    np.rcvSaddr = Ip6Addr.ANY;
                    np.saddr = Ip6Addr.ANY;
                    throw e;
                }
            }
            if (type != Ip6Addr.IPV6_ADDR_ANY) sk.userlocks |= InetSock.SOCK_BINDADDR_LOCK;
            if (snum != 0) sk.userlocks |= InetSock.SOCK_BINDPORT_LOCK;
            sk.sport = sk.num;
            sk.dport = 0;
            sk.daddr = 0;
        }
    }

    /** sk->sk_prot->get_port, reached through InetSock's autobind hook. */
    private static void protoGetPort(InetSock sk, Task t, int snum) {
        sk.bindPort(t, snum);
    }

    /** inet6_getname */
    public static int getname(InetSock sk, byte[] out, boolean peer) {
        synchronized (sk) {
            Ipv6Pinfo np = sk.v6;
            if (peer) {
                if (sk.dport == 0 || sk.state == InetSock.TCP_CLOSE || sk.state == InetSock.TCP_SYN_SENT) {
                    throw ErrnoException.of(Errno.ENOTCONN);
                }
                return putSockaddrIn6(out, np.daddr, sk.dport, np.sndflow ? np.flowinfo : 0, scopeFor(np.daddr, sk.boundDevIf));
            }
            byte[] a = Ip6Addr.isAny(np.rcvSaddr) ? np.saddr : np.rcvSaddr;
            return putSockaddrIn6(out, a, sk.sport, 0, scopeFor(a, sk.boundDevIf));
        }
    }

    // ---- connect

    /**
     * __ip6_datagram_connect: an AF_INET address or a v4-mapped one connects over IPv4 (not on a
     * v6-only socket: EAFNOSUPPORT, ENETUNREACH); :: means this host; a link-local peer needs an
     * interface; the route must exist, and fills in the source if none is bound.
     */
    public static void datagramConnect(InetSock sk, Task t, byte[] a, int len) {
        Ipv6Pinfo np = sk.v6;
        if (InetSock.family(a) == Socket.AF_INET) {
            if (np.ipv6only) throw ErrnoException.of(Errno.EAFNOSUPPORT);
            ((UdpSockAccess) () -> sk).connect4(t, a, len);
            v4Connected(sk);
            return;
        }
        if (len < In6.SIN6_LEN_RFC2133) throw ErrnoException.of(Errno.EINVAL);
        if (InetSock.family(a) != Socket.AF_INET6) throw ErrnoException.of(Errno.EAFNOSUPPORT);
        byte[] daddr = Ip6Addr.read(a, In6.SIN6_ADDR);
        int port = SkBuff.get16(a, In6.SIN6_PORT);
        if (Ip6Addr.isAny(daddr)) daddr = Ip6Addr.isV4Mapped(np.rcvSaddr) ? Ip6Addr.mapped(In.INADDR_LOOPBACK) : Ip6Addr.LOOPBACK;
        int type = Ip6Addr.type(daddr);
        if ((type & Ip6Addr.IPV6_ADDR_MAPPED) != 0) {
            if (np.ipv6only) throw ErrnoException.of(Errno.ENETUNREACH);
            byte[] sin = new byte[Socket.SOCKADDR_STORAGE_SIZE];
            InetSock.putSockaddrIn(sin, Ip6Addr.v4(daddr), port);
            ((UdpSockAccess) () -> sk).connect4(t, sin, In.SOCKADDR_IN_SIZE);
            v4Connected(sk);
            return;
        }
        synchronized (sk) {
            if (needsScopeId(daddr)) {
                int scope = len >= In6.SOCKADDR_IN6_SIZE ? Uaccess.getInt(a, In6.SIN6_SCOPE_ID) : 0;
                if (scope != 0) {
                    if (sk.boundDevIf != 0 && sk.boundDevIf != scope) throw ErrnoException.of(Errno.EINVAL);
                    sk.boundDevIf = scope;
                }
                if (sk.boundDevIf == 0 && (type & Ip6Addr.IPV6_ADDR_MULTICAST) != 0) sk.boundDevIf = np.mcastOif;
                if (sk.boundDevIf == 0) throw ErrnoException.of(Errno.EINVAL);
            }
            Rt6Info rt = route(sk, daddr, Ip6Addr.isAny(np.saddr) ? null : np.saddr, sk.boundDevIf);
            np.daddr = daddr;
            np.flowinfo = np.sndflow ? SkBuff.get32(a, In6.SIN6_FLOWINFO) & In6.IPV6_FLOWINFO_MASK : 0;
            sk.dport = port;
            if (Ip6Addr.isAny(np.saddr)) np.saddr = rt.src;
            if (Ip6Addr.isAny(np.rcvSaddr)) {
                np.rcvSaddr = rt.src;
                sk.rcvSaddr = Ip6Addr.LOOPBACK4_IPV6;
            }
            sk.state = InetSock.TCP_ESTABLISHED;
        }
    }

    /** The IPv4 connect of a UDP socket (sockets of other types have none). */
    @FunctionalInterface
    private interface UdpSockAccess {
        InetSock sk();

        default void connect4(Task t, byte[] a, int len) {
            if (!(sk() instanceof UdpSock u)) throw ErrnoException.of(Errno.EAFNOSUPPORT);
            u.datagramConnect4(t, a, len);
        }
    }

    /** ipv4_connected: the IPv6 view of an IPv4 connection is v4-mapped. */
    private static void v4Connected(InetSock sk) {
        synchronized (sk) {
            Ipv6Pinfo np = sk.v6;
            np.daddr = Ip6Addr.mapped(sk.daddr);
            if (Ip6Addr.isAny(np.saddr) || isMappedAny(np.saddr)) np.saddr = Ip6Addr.mapped(sk.saddr);
            if (Ip6Addr.isAny(np.rcvSaddr) || isMappedAny(np.rcvSaddr)) np.rcvSaddr = Ip6Addr.mapped(sk.rcvSaddr);
        }
    }

    private static boolean isMappedAny(byte[] a) {
        return Ip6Addr.isV4Mapped(a) && Ip6Addr.v4(a) == 0;
    }

    // ---- routes and hop limits

    /**
     * ip6_sk_dst_lookup_flow: the route to daddr from saddr (null: choose one) via oif; the
     * returned route carries the source address. ENETUNREACH without a route; EADDRNOTAVAIL if
     * no source fits.
     */
    public static Rt6Info route(InetSock sk, byte[] daddr, byte[] saddr, int oif) {
        boolean anysrc = sk.v6.freebind || sk.v6.transparent || sk.canNonlocalBind();
        return Route6.output(sk.net, daddr, saddr, oif, anysrc);
    }

    /** ip6_sk_dst_hoplimit: IPV6_MULTICAST_HOPS or IPV6_UNICAST_HOPS, else the device's hop limit (64). */
    public static int hopLimit(InetSock sk, byte[] daddr) {
        int h = Ip6Addr.isMulticast(daddr) ? sk.v6.mcastHops : sk.v6.hopLimit;
        if (h < 0 && Ip6Addr.isMulticast(daddr)) h = IPV6_DEFAULT_MCASTHOPS;
        return h >= 0 ? h : sk.net.ipv6.hopLimit;
    }

    // ---- control messages

    /** What sendmsg's control messages ask for (struct ipcm6_cookie and the flow's oif and source). */
    public static final class Ipc6 extends Sock.SockcmCookie {
        public int oif;
        public byte[] saddr;
        public int hlimit = -1;
        public int tclass = -1;
        public int dontfrag = -1;
        public int gso = -1;
    }

    /**
     * ip6_datagram_send_ctl: IPV6_PKTINFO (the interface must exist: ENODEV; a source must be
     * this host's: EINVAL), IPV6_HOPLIMIT and IPV6_TCLASS (-1..255), IPV6_DONTFRAG; SO_MARK
     * and SO_PRIORITY at SOL_SOCKET; SOL_UDP's UDP_SEGMENT; other IPv6 types and malformed
     * headers are EINVAL; other levels are skipped.
     */
    public static Ipc6 cmsgSend(InetSock sk, Task t, MsgHdr msg) {
        Ipc6 ipc = new Ipc6();
        byte[] ctl = msg.control;
        if (ctl == null || msg.controllen <= 0) return ipc;
        Scm.forEachCmsg(ctl, (int) msg.controllen, (level, type, d, dlen) -> {
            if (level == Socket.SOL_SOCKET) {
                Sock.sockCmsgSend(t, type, ctl, d, dlen, ipc);
            } else if (level == Socket.SOL_UDP && type == UdpSock.UDP_SEGMENT) {
                if (dlen != 2) throw ErrnoException.of(Errno.EINVAL);
                ipc.gso = (ctl[d] & 0xff) | (ctl[d + 1] & 0xff) << 8;
            } else if (level == Socket.SOL_IPV6) {
                switch (type) {
                    case In6.IPV6_PKTINFO, In6.IPV6_2292PKTINFO -> {
                        if (dlen < In6.IN6_PKTINFO_SIZE) throw ErrnoException.of(Errno.EINVAL);
                        byte[] a = Ip6Addr.read(ctl, d);
                        int ifindex = Uaccess.getInt(ctl, d + 16);
                        if (ifindex != 0) {
                            if (ipc.oif != 0 && ipc.oif != ifindex) throw ErrnoException.of(Errno.EINVAL);
                            if (sk.net.devByIndex(ifindex) == null) throw ErrnoException.of(Errno.ENODEV);
                            ipc.oif = ifindex;
                        }
                        if (!Ip6Addr.isAny(a)) {
                            boolean anysrc = sk.v6.freebind || sk.v6.transparent || sk.canNonlocalBind();
                            if (!anysrc && !sk.net.ipv6.addrconf.chkAddr(a, ifindex != 0 ? sk.net.devByIndex(ifindex) : null)) {
                                throw ErrnoException.of(Errno.EINVAL);
                            }
                            ipc.saddr = a;
                        }
                    }
                    case In6.IPV6_HOPLIMIT, In6.IPV6_2292HOPLIMIT -> {
                        if (dlen != 4) throw ErrnoException.of(Errno.EINVAL);
                        int v = Uaccess.getInt(ctl, d);
                        if (v < -1 || v > 0xff) throw ErrnoException.of(Errno.EINVAL);
                        ipc.hlimit = v;
                    }
                    case In6.IPV6_TCLASS -> {
                        if (dlen != 4) throw ErrnoException.of(Errno.EINVAL);
                        int v = Uaccess.getInt(ctl, d);
                        if (v < -1 || v > 0xff) throw ErrnoException.of(Errno.EINVAL);
                        ipc.tclass = v < 0 ? 0 : v;
                    }
                    case In6.IPV6_DONTFRAG -> {
                        if (dlen != 4) throw ErrnoException.of(Errno.EINVAL);
                        ipc.dontfrag = Uaccess.getInt(ctl, d) != 0 ? 1 : 0;
                    }
                    case In6.IPV6_FLOWINFO -> {
                        if (dlen < 4) throw ErrnoException.of(Errno.EINVAL);
                    }
                    default -> throw ErrnoException.of(Errno.EINVAL);
                }
            }
        });
        return ipc;
    }

    /** ip6_datagram_recv_common_ctl: IPV6_PKTINFO, for IPv4 packets too (the destination v4-mapped). */
    public static void cmsgRecvCommon(InetSock sk, Task t, MsgHdr msg, SkBuff skb, boolean v4pkt) {
        if ((sk.v6.rxopt & Ipv6Pinfo.RXOPT_RXINFO) == 0) return;
        byte[] pi = new byte[In6.IN6_PKTINFO_SIZE];
        int nh = skb.networkHeader;
        if (v4pkt) {
            System.arraycopy(Ip6Addr.mapped(skb.get32(nh + 16)), 0, pi, 0, 16);
            Uaccess.putInt(pi, 16, skb.cb instanceof IpCb c ? c.iif : skb.skbIif);
        } else {
            System.arraycopy(skb.buf, nh + 24, pi, 0, 16);
            Uaccess.putInt(pi, 16, skb.cb instanceof Ip6Cb c ? c.iif : skb.skbIif);
        }
        Scm.putCmsg(t, msg, Socket.SOL_IPV6, In6.IPV6_PKTINFO, pi);
    }

    /** ip6_datagram_recv_specific_ctl: hop limit, traffic class, flow info, the RFC 2292 forms, IPV6_ORIGDSTADDR. */
    public static void cmsgRecvSpecific(InetSock sk, Task t, MsgHdr msg, SkBuff skb) {
        int rx = sk.v6.rxopt;
        if (rx == 0) return;
        int nh = skb.networkHeader;
        int iif = skb.cb instanceof Ip6Cb c ? c.iif : skb.skbIif;
        if ((rx & Ipv6Pinfo.RXOPT_RXHLIM) != 0) Scm.putCmsg(t, msg, Socket.SOL_IPV6, In6.IPV6_HOPLIMIT, int4(skb.get8(nh + 7)));
        if ((rx & Ipv6Pinfo.RXOPT_RXTCLASS) != 0) Scm.putCmsg(t, msg, Socket.SOL_IPV6, In6.IPV6_TCLASS, int4(Ip6Hdr.tclass(skb, nh)));
        if ((rx & Ipv6Pinfo.RXOPT_RXFLOW) != 0) {
            int fi = skb.get32(nh) & In6.IPV6_FLOWINFO_MASK;
            if (fi != 0) {
                byte[] v = new byte[4];
                SkBuff.put32(v, 0, fi);
                Scm.putCmsg(t, msg, Socket.SOL_IPV6, In6.IPV6_FLOWINFO, v);
            }
        }
        if ((rx & Ipv6Pinfo.RXOPT_RXOINFO) != 0) {
            byte[] pi = new byte[In6.IN6_PKTINFO_SIZE];
            System.arraycopy(skb.buf, nh + 24, pi, 0, 16);
            Uaccess.putInt(pi, 16, iif);
            Scm.putCmsg(t, msg, Socket.SOL_IPV6, In6.IPV6_2292PKTINFO, pi);
        }
        if ((rx & Ipv6Pinfo.RXOPT_RXOHLIM) != 0) Scm.putCmsg(t, msg, Socket.SOL_IPV6, In6.IPV6_2292HOPLIMIT, int4(skb.get8(nh + 7)));
        if ((rx & Ipv6Pinfo.RXOPT_RXORIGDSTADDR) != 0 && skb.transportHeader + 4 <= skb.tail) {
            byte[] sin6 = new byte[In6.SOCKADDR_IN6_SIZE];
            byte[] d = Ip6Addr.read(skb.buf, nh + 24);
            putSockaddrIn6(sin6, d, skb.get16(skb.transportHeader + 2), 0, scopeFor(d, iif));
            Scm.putCmsg(t, msg, Socket.SOL_IPV6, In6.IPV6_ORIGDSTADDR, sin6);
        }
    }

    private static byte[] int4(int v) {
        byte[] b = new byte[4];
        Uaccess.putInt(b, 0, v);
        return b;
    }

    // ---- SOL_IPV6 options

    /**
     * do_ipv6_setsockopt: an int option (EINVAL if shorter); IPV6_V6ONLY only before the
     * socket has a port; the receive flags; hop limits and traffic class in their ranges.
     * Multicast memberships, sticky options and routing headers are not supported yet:
     * ENOPROTOOPT.
     */
    public static void setsockopt(InetSock sk, Task t, int optname, long optval, int optlen) {
        // ip6_mroute_opt: MRT6_* belong to a raw ICMPv6 socket of a multicast routing daemon.
        if (optname >= InetSock.MRT_BASE && optname <= InetSock.MRT_MAX) throw ErrnoException.of(Errno.EOPNOTSUPP);
        Ipv6Pinfo np = sk.v6;
        int val = optlen >= 4 ? t.mem.read32(optval) : 0;
        boolean b = val != 0;
        switch (optname) {
            case In6.IPV6_UNICAST_HOPS -> {
                if (optlen < 4 || val > 255 || val < -1) throw ErrnoException.of(Errno.EINVAL);
                np.hopLimit = val;
            }
            case In6.IPV6_MULTICAST_LOOP -> {
                if (optlen < 4 || (val != 0 && val != 1)) throw ErrnoException.of(Errno.EINVAL);
                np.mcLoop = b;
            }
            case In6.IPV6_MULTICAST_HOPS -> {
                if (sk.type == Socket.SOCK_STREAM) throw ErrnoException.of(Errno.ENOPROTOOPT);
                if (optlen < 4 || val > 255 || val < -1) throw ErrnoException.of(Errno.EINVAL);
                np.mcastHops = val == -1 ? IPV6_DEFAULT_MCASTHOPS : val;
            }
            case In6.IPV6_MTU -> {
                if (optlen < 4 || (val != 0 && val < In6.IPV6_MIN_MTU)) throw ErrnoException.of(Errno.EINVAL);
            }
            case In6.IPV6_DONTFRAG -> np.dontfrag = b;
            case In6.IPV6_RECVERR -> {
                if (optlen < 4) throw ErrnoException.of(Errno.EINVAL);
                np.recverr = b;
            }
            case In6.IPV6_MTU_DISCOVER -> {
                if (optlen < 4 || val < In6.IPV6_PMTUDISC_DONT || val > In6.IPV6_PMTUDISC_OMIT) throw ErrnoException.of(Errno.EINVAL);
                np.pmtudisc = val;
            }
            case In6.IPV6_FLOWINFO_SEND -> {
                if (optlen < 4) throw ErrnoException.of(Errno.EINVAL);
                np.sndflow = b;
            }
            case In6.IPV6_AUTOFLOWLABEL -> {
                if (optlen < 4) throw ErrnoException.of(Errno.EINVAL);
                np.autoflowlabel = b;
            }
            case In6.IPV6_MULTICAST_ALL -> {
                if (optlen < 4) throw ErrnoException.of(Errno.EINVAL);
                np.mcAll = b;
            }
            case In6.IPV6_V6ONLY -> {
                synchronized (sk) {
                    if (optlen < 4 || sk.num != 0) throw ErrnoException.of(Errno.EINVAL);
                    np.ipv6only = b;
                }
            }
            case In6.IPV6_RECVPKTINFO -> rx(sk, optlen, Ipv6Pinfo.RXOPT_RXINFO, b);
            case In6.IPV6_2292PKTINFO -> rx(sk, optlen, Ipv6Pinfo.RXOPT_RXOINFO, b);
            case In6.IPV6_RECVHOPLIMIT -> rx(sk, optlen, Ipv6Pinfo.RXOPT_RXHLIM, b);
            case In6.IPV6_2292HOPLIMIT -> rx(sk, optlen, Ipv6Pinfo.RXOPT_RXOHLIM, b);
            case In6.IPV6_RECVTCLASS -> rx(sk, optlen, Ipv6Pinfo.RXOPT_RXTCLASS, b);
            case In6.IPV6_FLOWINFO -> rx(sk, optlen, Ipv6Pinfo.RXOPT_RXFLOW, b);
            case In6.IPV6_RECVPATHMTU -> rx(sk, optlen, Ipv6Pinfo.RXOPT_RXPMTU, b);
            case In6.IPV6_RECVORIGDSTADDR -> rx(sk, optlen, Ipv6Pinfo.RXOPT_RXORIGDSTADDR, b);
            case In6.IPV6_RECVHOPOPTS, In6.IPV6_2292HOPOPTS -> rx(sk, optlen, Ipv6Pinfo.RXOPT_HOPOPTS, b);
            case In6.IPV6_RECVDSTOPTS, In6.IPV6_2292DSTOPTS -> rx(sk, optlen, Ipv6Pinfo.RXOPT_DSTOPTS, b);
            case In6.IPV6_RECVRTHDR, In6.IPV6_2292RTHDR -> rx(sk, optlen, Ipv6Pinfo.RXOPT_SRCRT, b);
            case In6.IPV6_TCLASS -> {
                if (optlen < 4 || val < -1 || val > 0xff) throw ErrnoException.of(Errno.EINVAL);
                if (val == -1) val = 0;
                if (sk.type == Socket.SOCK_STREAM) {
                    val &= ~dev.kava.net.ipv4.Ip.INET_ECN_MASK;
                    val |= np.tclass & dev.kava.net.ipv4.Ip.INET_ECN_MASK;
                }
                np.tclass = val;
            }
            case In6.IPV6_TRANSPARENT -> {
                if (b && !cap(t)) throw ErrnoException.of(Errno.EPERM);
                if (optlen < 4) throw ErrnoException.of(Errno.EINVAL);
                np.transparent = b;
            }
            case In6.IPV6_FREEBIND -> {
                if (optlen < 4) throw ErrnoException.of(Errno.EINVAL);
                np.freebind = b;
            }
            case In6.IPV6_UNICAST_IF -> {
                if (optlen != 4) throw ErrnoException.of(Errno.EINVAL);
                int ifindex = Integer.reverseBytes(val);
                if (ifindex != 0 && sk.net.devByIndex(ifindex) == null) throw ErrnoException.of(Errno.EADDRNOTAVAIL);
                np.ucastOif = ifindex;
            }
            case In6.IPV6_MULTICAST_IF -> {
                if (sk.type == Socket.SOCK_STREAM) throw ErrnoException.of(Errno.ENOPROTOOPT);
                if (optlen < 4) throw ErrnoException.of(Errno.EINVAL);
                if (val != 0 && sk.net.devByIndex(val) == null) throw ErrnoException.of(Errno.ENODEV);
                if (sk.boundDevIf != 0 && val != 0 && val != sk.boundDevIf) throw ErrnoException.of(Errno.EINVAL);
                np.mcastOif = val;
            }
            case In6.IPV6_CHECKSUM -> {
                if (sk.type != Socket.SOCK_RAW) throw ErrnoException.of(Errno.ENOPROTOOPT);
                if (sk.protocol == In6.IPPROTO_ICMPV6) throw ErrnoException.of(Errno.EINVAL);
                if (optlen < 4) throw ErrnoException.of(Errno.EINVAL);
                if (val > 0 && (val & 1) != 0) throw ErrnoException.of(Errno.EINVAL);
                np.checksumOffset = val < 0 ? -1 : val;
            }
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
    }

    private static void rx(InetSock sk, int optlen, int bit, boolean on) {
        if (optlen < 4) throw ErrnoException.of(Errno.EINVAL);
        synchronized (sk) {
            sk.v6.rxopt = on ? sk.v6.rxopt | bit : sk.v6.rxopt & ~bit;
        }
    }

    /** do_ipv6_getsockopt for the options above: an int, at most the buffer's length. */
    public static void getsockopt(InetSock sk, Task t, int optname, long optval, long optlenAddr) {
        if (optname >= InetSock.MRT_BASE && optname <= InetSock.MRT_MAX) throw ErrnoException.of(Errno.EOPNOTSUPP);
        Ipv6Pinfo np = sk.v6;
        int len = t.mem.read32(optlenAddr);
        if (len < 0) throw ErrnoException.of(Errno.EINVAL);
        int rx = np.rxopt;
        int val = switch (optname) {
            case In6.IPV6_V6ONLY -> np.ipv6only ? 1 : 0;
            case In6.IPV6_RECVPKTINFO -> (rx & Ipv6Pinfo.RXOPT_RXINFO) != 0 ? 1 : 0;
            case In6.IPV6_2292PKTINFO -> (rx & Ipv6Pinfo.RXOPT_RXOINFO) != 0 ? 1 : 0;
            case In6.IPV6_RECVHOPLIMIT -> (rx & Ipv6Pinfo.RXOPT_RXHLIM) != 0 ? 1 : 0;
            case In6.IPV6_2292HOPLIMIT -> (rx & Ipv6Pinfo.RXOPT_RXOHLIM) != 0 ? 1 : 0;
            case In6.IPV6_RECVTCLASS -> (rx & Ipv6Pinfo.RXOPT_RXTCLASS) != 0 ? 1 : 0;
            case In6.IPV6_FLOWINFO -> (rx & Ipv6Pinfo.RXOPT_RXFLOW) != 0 ? 1 : 0;
            case In6.IPV6_RECVPATHMTU -> (rx & Ipv6Pinfo.RXOPT_RXPMTU) != 0 ? 1 : 0;
            case In6.IPV6_RECVORIGDSTADDR -> (rx & Ipv6Pinfo.RXOPT_RXORIGDSTADDR) != 0 ? 1 : 0;
            case In6.IPV6_RECVHOPOPTS, In6.IPV6_2292HOPOPTS -> (rx & Ipv6Pinfo.RXOPT_HOPOPTS) != 0 ? 1 : 0;
            case In6.IPV6_RECVDSTOPTS, In6.IPV6_2292DSTOPTS -> (rx & Ipv6Pinfo.RXOPT_DSTOPTS) != 0 ? 1 : 0;
            case In6.IPV6_RECVRTHDR, In6.IPV6_2292RTHDR -> (rx & Ipv6Pinfo.RXOPT_SRCRT) != 0 ? 1 : 0;
            case In6.IPV6_TCLASS -> np.tclass;
            case In6.IPV6_UNICAST_HOPS, In6.IPV6_MULTICAST_HOPS -> {
                int v = optname == In6.IPV6_UNICAST_HOPS ? np.hopLimit : np.mcastHops;
                if (v < 0) v = optname == In6.IPV6_UNICAST_HOPS ? sk.net.ipv6.hopLimit : IPV6_DEFAULT_MCASTHOPS;
                yield v;
            }
            case In6.IPV6_MULTICAST_LOOP -> np.mcLoop ? 1 : 0;
            case In6.IPV6_MULTICAST_IF -> np.mcastOif;
            case In6.IPV6_MULTICAST_ALL -> np.mcAll ? 1 : 0;
            case In6.IPV6_UNICAST_IF -> Integer.reverseBytes(np.ucastOif);
            case In6.IPV6_MTU_DISCOVER -> np.pmtudisc;
            case In6.IPV6_RECVERR -> np.recverr ? 1 : 0;
            case In6.IPV6_FLOWINFO_SEND -> np.sndflow ? 1 : 0;
            case In6.IPV6_AUTOFLOWLABEL -> 1;
            case In6.IPV6_DONTFRAG -> np.dontfrag ? 1 : 0;
            case In6.IPV6_TRANSPARENT -> np.transparent ? 1 : 0;
            case In6.IPV6_FREEBIND -> np.freebind ? 1 : 0;
            case In6.IPV6_ADDR_PREFERENCES -> np.srcPrefs;
            case In6.IPV6_CHECKSUM -> {
                if (sk.type != Socket.SOCK_RAW) throw ErrnoException.of(Errno.ENOPROTOOPT);
                yield sk.protocol == In6.IPPROTO_ICMPV6 ? 2 : np.checksumOffset;
            }
            case In6.IPV6_MTU -> {
                if (sk.state != InetSock.TCP_ESTABLISHED || Ip6Addr.isAny(np.daddr)) throw ErrnoException.of(Errno.ENOTCONN);
                try {
                    yield route(sk, np.daddr, null, sk.boundDevIf).mtu();
                } catch (ErrnoException e) {
                    throw ErrnoException.of(Errno.ENOTCONN);
                }
            }
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        };
        len = Math.min(4, len);
        t.mem.write32(optlenAddr, len);
        t.mem.write(optval, int4(val), 0, len);
    }
}
