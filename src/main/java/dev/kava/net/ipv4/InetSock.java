package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.In;
import dev.kava.abi.Poll;
import dev.kava.abi.Rtnetlink;
import dev.kava.abi.Socket;
import dev.kava.abi.Sockios;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.net.MsgHdr;
import dev.kava.net.Scm;
import dev.kava.net.Sock;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv6.Ip6Addr;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Internet socket (struct inet_sock, include/net/inet_sock.h) with the operations every
 * inet protocol shares (inet_dgram_ops / inet_stream_ops of net/ipv4/af_inet.c): bind with
 * its address checks, getname, the SOL_IP options (ip_sockglue.c), the control messages of
 * sendmsg and recvmsg, and the inet ioctls. A protocol (UDP, ping, raw; TCP) subclasses it
 * and provides struct proto's part: {@link #getPort}, {@link #unhash}, connect, sendmsg,
 * recvmsg, poll, release.
 *
 * <p>Addresses are host-order ints, ports host-order too. An AF_INET6 socket keeps its IPv6
 * addresses in {@link #v6} and mirrors v4-mapped ones here, as Linux does, so IPv4 lookups
 * find dual-stack sockets.
 *
 * <p>Locking: the sock's monitor guards its own state. Protocol tables are locked after it,
 * never before. No lock is held across {@link IpOutput} (a loopback send delivers on this
 * thread, see {@link dev.kava.net.core.Dev}).
 */
public abstract class InetSock extends Sock {
    /** sk_userlocks bits beyond SOL_SOCKET's buffer locks (include/net/sock.h). */
    public static final int SOCK_BINDADDR_LOCK = 4, SOCK_BINDPORT_LOCK = 8;

    /** MRT_BASE and MRT_MAX (include/uapi/linux/mroute.h); MRT6_* (linux/mroute6.h) span the same numbers. */
    public static final int MRT_BASE = 200, MRT_MAX = 212;

    /** IP_CMSG_* (include/net/inet_sock.h): which ancillary data recvmsg adds. */
    public static final int IP_CMSG_PKTINFO = 1, IP_CMSG_TTL = 1 << 1, IP_CMSG_TOS = 1 << 2, IP_CMSG_RECVOPTS = 1 << 3,
            IP_CMSG_RETOPTS = 1 << 4, IP_CMSG_PASSSEC = 1 << 5, IP_CMSG_ORIGDSTADDR = 1 << 6, IP_CMSG_CHECKSUM = 1 << 7,
            IP_CMSG_RECVFRAGSIZE = 1 << 8;

    public final Net net;
    /** sk_uid: who made the socket (shown in /proc/net tables). */
    public volatile int uid;
    /** The socket's inode number (sock_i_ino). */
    public volatile long ino;

    // ---- struct inet_sock
    /** inet_rcv_saddr: the bound address lookups match; inet_saddr: the source used to send. */
    public volatile int rcvSaddr, saddr;
    public volatile int daddr;
    /** inet_num: the local port (the protocol number for raw sockets); 0 if none. */
    public volatile int num;
    public volatile int sport, dport;
    public volatile int tos;
    /** uc_ttl: -1 for the route's default (net.ipv4.ip_default_ttl). */
    public volatile int ucTtl = -1;
    public volatile int mcTtl = In.IP_DEFAULT_MULTICAST_TTL;
    public volatile int pmtudisc = In.IP_PMTUDISC_WANT;
    public volatile int minTtl;
    public volatile int ucIndex, mcIndex;
    public volatile boolean hdrincl, recverr, recverrRfc4884, freebind, transparent, bindAddressNoPort;
    public volatile boolean mcLoop = true, mcAll = true, nodefrag;
    public volatile int cmsgFlags;
    /** IP_LOCAL_PORT_RANGE: lo in the low 16 bits, hi in the high; 0 for the namespace's range. */
    public volatile int localPortRange;
    /** inet_id: the IP ID counter of a connected socket. */
    public final AtomicInteger inetId = new AtomicInteger();

    /** The IPv6 half (struct ipv6_pinfo) of an AF_INET6 socket; null for AF_INET. */
    public final dev.kava.net.ipv6.Ipv6Pinfo v6;

    protected InetSock(Net net, int family, int type, int protocol) {
        super(family, type, protocol);
        this.net = net;
        this.v6 = family == Socket.AF_INET6 ? new dev.kava.net.ipv6.Ipv6Pinfo(net) : null;
    }

    @Override
    protected boolean isInet() {
        return true;
    }

    // ---- struct proto

    /** proto->init, after the common fields are set. */
    protected void init(Task t) {}

    /** proto->get_port: takes port snum (0: any free one) in the protocol's table; EADDRINUSE if taken. */
    protected abstract void getPort(Task t, int snum);

    /** get_port for callers outside the package (inet6_bind); the caller holds the sock's monitor. */
    public void bindPort(Task t, int snum) {
        getPort(t, snum);
    }

    /** proto->unhash: leaves the protocol's table. */
    protected abstract void unhash();

    /** proto->rehash: the bound address changed (connect filled it in). */
    protected void rehash() {}

    /** proto->disconnect (connect with AF_UNSPEC). */
    public abstract void disconnect(Task t);

    // ---- helpers for addresses

    /** Whether the socket may bind to an address not on this host (inet_can_nonlocal_bind). */
    public boolean canNonlocalBind() {
        return net.ipv4.ipNonlocalBind != 0 || freebind || transparent;
    }

    /**
     * inet_port_requires_bind_service: ports below net.ipv4.ip_unprivileged_port_start need
     * CAP_NET_BIND_SERVICE. A kernel socket (no task: sock_create_kern) has every capability.
     */
    protected boolean portNeedsPrivilege(Task t, int port) {
        return port != 0 && port < net.ipv4.ipUnprivilegedPortStart && t != null && t.group.cred.euid() != 0;
    }

    /** inet_sk_get_local_port_range: the namespace's range narrowed by IP_LOCAL_PORT_RANGE. */
    public int[] localPortRange() {
        int lo = net.ipv4.portRangeLo, hi = net.ipv4.portRangeHi;
        int r = localPortRange;
        int slo = r & 0xffff, shi = r >>> 16;
        if (slo != 0 && slo >= lo && slo <= hi) lo = slo;
        if (shi != 0 && shi >= lo && shi <= hi) hi = shi;
        return new int[]{lo, hi};
    }

    /** A sockaddr_in of addr and port. */
    public static int putSockaddrIn(byte[] out, int addr, int port) {
        java.util.Arrays.fill(out, 0, In.SOCKADDR_IN_SIZE, (byte) 0);
        out[0] = (byte) Socket.AF_INET;
        out[1] = 0;
        SkBuff.put16(out, In.SIN_PORT, port);
        SkBuff.put32(out, In.SIN_ADDR, addr);
        return In.SOCKADDR_IN_SIZE;
    }

    /** sa_family of a sockaddr in kernel memory (host order, 16 bits). */
    public static int family(byte[] a) {
        return (a[0] & 0xff) | (a[1] & 0xff) << 8;
    }

    // ---- inet_bind (AF_INET)

    /**
     * __inet_bind: at least a sockaddr_in (EINVAL); AF_INET, or AF_UNSPEC with INADDR_ANY
     * (EAFNOSUPPORT); an address of this host unless non-local binds are allowed
     * (EADDRNOTAVAIL); a port below 1024 needs privilege (EACCES); a socket already bound or
     * not closed is EINVAL; then the protocol takes the port.
     */
    public void bind4(Task t, byte[] a, int len) {
        if (len < In.SOCKADDR_IN_SIZE) throw ErrnoException.of(Errno.EINVAL);
        int fam = family(a);
        int addr = SkBuff.get32(a, In.SIN_ADDR);
        if (fam != Socket.AF_INET && (fam != Socket.AF_UNSPEC || addr != In.INADDR_ANY)) throw ErrnoException.of(Errno.EAFNOSUPPORT);
        int type = net.ipv4.fib.addrType(addr);
        if (!(canNonlocalBind() || addr == 0 || type == Rtnetlink.RTN_LOCAL || type == Rtnetlink.RTN_MULTICAST
                || type == Rtnetlink.RTN_BROADCAST)) {
            throw ErrnoException.of(Errno.EADDRNOTAVAIL);
        }
        int snum = SkBuff.get16(a, In.SIN_PORT);
        if (portNeedsPrivilege(t, snum)) throw ErrnoException.of(Errno.EACCES);
        synchronized (this) {
            if (state != TCP_CLOSE || num != 0) throw ErrnoException.of(Errno.EINVAL);
            rcvSaddr = saddr = addr;
            if (type == Rtnetlink.RTN_MULTICAST || type == Rtnetlink.RTN_BROADCAST) saddr = 0;
            if (snum != 0 || !bindAddressNoPort) {
                try {
                    getPort(t, snum);
                } catch (ErrnoException e) {
                    rcvSaddr = saddr = 0;
                    throw e;
                }
            }
            if (rcvSaddr != 0) userlocks |= SOCK_BINDADDR_LOCK;
            if (snum != 0) userlocks |= SOCK_BINDPORT_LOCK;
            sport = num;
            daddr = 0;
            dport = 0;
        }
    }

    /** inet_autobind: an ephemeral port for a socket that sends or connects unbound; EAGAIN if none is free. */
    public void autobind(Task t) {
        synchronized (this) {
            if (num == 0) {
                try {
                    getPort(t, 0);
                } catch (ErrnoException e) {
                    throw ErrnoException.of(Errno.EAGAIN);
                }
                sport = num;
            }
        }
    }

    /** inet_getname: the peer (ENOTCONN without one) or the bound address and port. */
    public int getname4(byte[] out, boolean peer) {
        synchronized (this) {
            if (peer) {
                if (dport == 0 || state == TCP_CLOSE || state == TCP_SYN_SENT) throw ErrnoException.of(Errno.ENOTCONN);
                return putSockaddrIn(out, daddr, dport);
            }
            int addr = rcvSaddr != 0 ? rcvSaddr : saddr;
            return putSockaddrIn(out, addr, sport);
        }
    }

    /** include/net/tcp_states.h TCP_SYN_SENT (getname treats it as not connected). */
    public static final int TCP_SYN_SENT = 2;

    /** The TTL to send with (ip_select_ttl): IP_TTL, or the namespace default. */
    public int ttl() {
        int t = ucTtl;
        return t < 0 ? net.ipv4.ipDefaultTtl : t;
    }

    /** ip_dont_fragment: DF unless path MTU discovery is off for this socket. */
    public boolean dontFragment() {
        int p = pmtudisc;
        return p == In.IP_PMTUDISC_DO || p == In.IP_PMTUDISC_WANT || p == In.IP_PMTUDISC_PROBE;
    }

    /** The flow flags of this socket's routes (FLOWI_FLAG_ANYSRC when it may send from a non-local address). */
    public int flowFlags() {
        return freebind || transparent || net.ipv4.ipNonlocalBind != 0 ? Flow4.FLOWI_FLAG_ANYSRC : 0;
    }

    // ---- ip_setsockopt / ip_getsockopt

    /** __ip_sock_set_tos: a stream socket keeps its ECN bits (TCP owns them); the priority follows the TOS. */
    public void setTos(int val) {
        int old = tos;
        if (type == Socket.SOCK_STREAM) {
            val &= ~Ip.INET_ECN_MASK;
            val |= old & Ip.INET_ECN_MASK;
        }
        if (old != val) {
            tos = val & 0xff;
            priority = Ip.tos2priority(val);
        }
    }

    private static boolean cap(Task t) {
        return t.group.cred.euid() == 0;
    }

    /**
     * do_ip_setsockopt: an int, or a single byte read as unsigned (optlen 0 means 0); ranges
     * checked as Linux checks them; unknown options ENOPROTOOPT. Multicast membership and
     * IP options are not supported yet: ENOPROTOOPT.
     */
    public void ipSetsockopt(Task t, int optname, long optval, int optlen) {
        // ip_mroute_opt: the multicast routing options (MRT_INIT 200 .. MRT_MAX 212, linux/mroute.h) belong to a
        // raw IGMP socket and a multicast routing daemon; kava has no multicast routing.
        if (optname >= MRT_BASE && optname <= MRT_MAX) throw ErrnoException.of(Errno.EOPNOTSUPP);
        int val = 0;
        if (optlen >= 4) val = t.mem.read32(optval);
        else if (optlen >= 1) val = t.mem.read(optval, 1)[0] & 0xff;
        boolean b = val != 0;
        switch (optname) {
            case In.IP_PKTINFO -> setCmsg(IP_CMSG_PKTINFO, b);
            case In.IP_RECVTTL -> setCmsg(IP_CMSG_TTL, b);
            case In.IP_RECVTOS -> setCmsg(IP_CMSG_TOS, b);
            case In.IP_RECVOPTS -> setCmsg(IP_CMSG_RECVOPTS, b);
            case In.IP_RETOPTS -> setCmsg(IP_CMSG_RETOPTS, b);
            case In.IP_PASSSEC -> setCmsg(IP_CMSG_PASSSEC, b);
            case In.IP_RECVORIGDSTADDR -> setCmsg(IP_CMSG_ORIGDSTADDR, b);
            case In.IP_RECVFRAGSIZE -> {
                if (type != Socket.SOCK_RAW && type != Socket.SOCK_DGRAM) throw ErrnoException.of(Errno.ENOPROTOOPT);
                setCmsg(IP_CMSG_RECVFRAGSIZE, b);
            }
            case In.IP_RECVERR_RFC4884 -> {
                if (val < 0 || val > 1) throw ErrnoException.of(Errno.EINVAL);
                recverrRfc4884 = b;
            }
            case In.IP_FREEBIND -> {
                if (optlen < 1) throw ErrnoException.of(Errno.EINVAL);
                freebind = b;
            }
            case In.IP_HDRINCL -> {
                if (type != Socket.SOCK_RAW) throw ErrnoException.of(Errno.ENOPROTOOPT);
                hdrincl = b;
            }
            case In.IP_MULTICAST_LOOP -> {
                if (optlen < 1) throw ErrnoException.of(Errno.EINVAL);
                mcLoop = b;
            }
            case In.IP_MULTICAST_ALL -> {
                if (optlen < 1) throw ErrnoException.of(Errno.EINVAL);
                if (val != 0 && val != 1) throw ErrnoException.of(Errno.EINVAL);
                mcAll = b;
            }
            case In.IP_TRANSPARENT -> {
                if (b && !cap(t)) throw ErrnoException.of(Errno.EPERM);
                if (optlen < 1) throw ErrnoException.of(Errno.EINVAL);
                transparent = b;
            }
            case In.IP_NODEFRAG -> {
                if (type != Socket.SOCK_RAW) throw ErrnoException.of(Errno.ENOPROTOOPT);
                nodefrag = b;
            }
            case In.IP_BIND_ADDRESS_NO_PORT -> bindAddressNoPort = b;
            case In.IP_TTL -> {
                if (optlen < 1) throw ErrnoException.of(Errno.EINVAL);
                if (val != -1 && (val < 1 || val > 255)) throw ErrnoException.of(Errno.EINVAL);
                ucTtl = val;
            }
            case In.IP_MINTTL -> {
                if (optlen < 1) throw ErrnoException.of(Errno.EINVAL);
                if (val < 0 || val > 255) throw ErrnoException.of(Errno.EINVAL);
                minTtl = val;
            }
            case In.IP_LOCAL_PORT_RANGE -> {
                int lo = val & 0xffff, hi = val >>> 16;
                if (optlen != 4) throw ErrnoException.of(Errno.EINVAL);
                if (lo != 0 && hi != 0 && lo > hi) throw ErrnoException.of(Errno.EINVAL);
                localPortRange = val;
            }
            case In.IP_TOS -> setTos(val);
            case In.IP_MTU_DISCOVER -> {
                if (val < In.IP_PMTUDISC_DONT || val > In.IP_PMTUDISC_OMIT) throw ErrnoException.of(Errno.EINVAL);
                pmtudisc = val;
            }
            case In.IP_RECVERR -> recverr = b;
            case In.IP_MULTICAST_TTL -> {
                if (type == Socket.SOCK_STREAM) throw ErrnoException.of(Errno.EINVAL);
                if (optlen < 1) throw ErrnoException.of(Errno.EINVAL);
                if (val == -1) val = 1;
                if (val < 0 || val > 255) throw ErrnoException.of(Errno.EINVAL);
                mcTtl = val;
            }
            case In.IP_UNICAST_IF -> {
                if (optlen != 4) throw ErrnoException.of(Errno.EINVAL);
                int ifindex = Integer.reverseBytes(val); // a network-order int
                if (ifindex == 0) {
                    ucIndex = 0;
                    return;
                }
                if (net.devByIndex(ifindex) == null) throw ErrnoException.of(Errno.EADDRNOTAVAIL);
                if (boundDevIf != 0) throw ErrnoException.of(Errno.EINVAL);
                ucIndex = ifindex;
            }
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
    }

    private synchronized void setCmsg(int bit, boolean on) {
        cmsgFlags = on ? cmsgFlags | bit : cmsgFlags & ~bit;
    }

    /** do_ip_getsockopt: an int, or one byte when the buffer is shorter than an int and the value fits. */
    public void ipGetsockopt(Task t, int optname, long optval, long optlenAddr) {
        if (optname >= MRT_BASE && optname <= MRT_MAX) throw ErrnoException.of(Errno.EOPNOTSUPP);
        int len = t.mem.read32(optlenAddr);
        if (len < 0) throw ErrnoException.of(Errno.EINVAL);
        int f = cmsgFlags;
        int val = switch (optname) {
            case In.IP_PKTINFO -> (f & IP_CMSG_PKTINFO) != 0 ? 1 : 0;
            case In.IP_RECVTTL -> (f & IP_CMSG_TTL) != 0 ? 1 : 0;
            case In.IP_RECVTOS -> (f & IP_CMSG_TOS) != 0 ? 1 : 0;
            case In.IP_RECVOPTS -> (f & IP_CMSG_RECVOPTS) != 0 ? 1 : 0;
            case In.IP_RETOPTS -> (f & IP_CMSG_RETOPTS) != 0 ? 1 : 0;
            case In.IP_PASSSEC -> (f & IP_CMSG_PASSSEC) != 0 ? 1 : 0;
            case In.IP_RECVORIGDSTADDR -> (f & IP_CMSG_ORIGDSTADDR) != 0 ? 1 : 0;
            case In.IP_CHECKSUM -> (f & IP_CMSG_CHECKSUM) != 0 ? 1 : 0;
            case In.IP_RECVFRAGSIZE -> (f & IP_CMSG_RECVFRAGSIZE) != 0 ? 1 : 0;
            case In.IP_RECVERR -> recverr ? 1 : 0;
            case In.IP_RECVERR_RFC4884 -> recverrRfc4884 ? 1 : 0;
            case In.IP_FREEBIND -> freebind ? 1 : 0;
            case In.IP_HDRINCL -> hdrincl ? 1 : 0;
            case In.IP_MULTICAST_LOOP -> mcLoop ? 1 : 0;
            case In.IP_MULTICAST_ALL -> mcAll ? 1 : 0;
            case In.IP_TRANSPARENT -> transparent ? 1 : 0;
            case In.IP_NODEFRAG -> nodefrag ? 1 : 0;
            case In.IP_BIND_ADDRESS_NO_PORT -> bindAddressNoPort ? 1 : 0;
            case In.IP_TTL -> ttl();
            case In.IP_MINTTL -> minTtl;
            case In.IP_MULTICAST_TTL -> mcTtl;
            case In.IP_UNICAST_IF -> Integer.reverseBytes(ucIndex);
            case In.IP_MULTICAST_IF -> 0;
            case In.IP_TOS -> tos;
            case In.IP_LOCAL_PORT_RANGE -> localPortRange;
            case In.IP_MTU_DISCOVER -> pmtudisc;
            case In.IP_MTU -> {
                int mtu = connectedMtu();
                if (mtu == 0) throw ErrnoException.of(Errno.ENOTCONN);
                yield mtu;
            }
            case In.IP_OPTIONS -> {
                t.mem.write32(optlenAddr, 0); // no IP options are ever set
                yield Integer.MIN_VALUE;
            }
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        };
        if (val == Integer.MIN_VALUE && optname == In.IP_OPTIONS) return;
        if (len < 4 && len > 0 && val >= 0 && val <= 255) {
            t.mem.write32(optlenAddr, 1);
            t.mem.write(optval, new byte[]{(byte) val});
        } else {
            len = Math.min(4, len);
            t.mem.write32(optlenAddr, len);
            byte[] v = new byte[4];
            Uaccess.putInt(v, 0, val);
            t.mem.write(optval, v, 0, len);
        }
    }

    /** IP_MTU: the path MTU of the connected route, 0 when not connected. */
    protected int connectedMtu() {
        if (daddr == 0 || state != TCP_ESTABLISHED) return 0;
        try {
            Flow4 fl = new Flow4(daddr, saddr, boundDevIf, tos, protocol);
            fl.flags = flowFlags();
            return Route.output(net, fl).mtu();
        } catch (ErrnoException e) {
            return 0;
        }
    }

    // ---- control messages

    /** What sendmsg's SOL_IP and SOL_SOCKET control messages ask for (struct ipcm_cookie). */
    public static final class Ipcm extends SockcmCookie {
        public int addr;        // ipi_spec_dst of IP_PKTINFO: the source to use
        public int oif;         // ipi_ifindex of IP_PKTINFO
        public int ttl = -1;
        public int tos = -1;
        public int protocol;
    }

    /**
     * ip_cmsg_send and __sock_cmsg_send: IP_PKTINFO (a struct in_pktinfo), IP_TTL (1..255),
     * IP_TOS (an int or a byte), SO_MARK (CAP_NET_ADMIN), SO_PRIORITY; SCM_RIGHTS and
     * SCM_CREDENTIALS are skipped; malformed headers and wrong lengths are EINVAL. IP_RETOPTS
     * (source-route options) and SO_TIMESTAMPING / SCM_TXTIME (transmit timestamps) are not
     * supported: EINVAL.
     */
    public Ipcm cmsgSend(Task t, MsgHdr msg) {
        Ipcm ipc = new Ipcm();
        byte[] ctl = msg.control;
        if (ctl == null || msg.controllen <= 0) return ipc;
        // Other levels (SOL_IPV6 on a dual-stack socket among them) are ignored by ip_cmsg_send.
        Scm.forEachCmsg(ctl, (int) msg.controllen, (level, ctype, d, dlen) -> {
            if (level == Socket.SOL_SOCKET) {
                sockCmsgSend(t, ctype, ctl, d, dlen, ipc);
            } else if (level == Socket.SOL_IP) {
                switch (ctype) {
                    case In.IP_PKTINFO -> {
                        if (dlen != In.IN_PKTINFO_SIZE) throw ErrnoException.of(Errno.EINVAL);
                        ipc.oif = Uaccess.getInt(ctl, d);
                        ipc.addr = SkBuff.get32(ctl, d + 4);
                    }
                    case In.IP_TTL -> {
                        if (dlen != 4) throw ErrnoException.of(Errno.EINVAL);
                        int v = Uaccess.getInt(ctl, d);
                        if (v < 1 || v > 255) throw ErrnoException.of(Errno.EINVAL);
                        ipc.ttl = v;
                    }
                    case In.IP_TOS -> {
                        int v;
                        if (dlen == 4) v = Uaccess.getInt(ctl, d);
                        else if (dlen == 1) v = ctl[d] & 0xff;
                        else throw ErrnoException.of(Errno.EINVAL);
                        if (v < 0 || v > 255) throw ErrnoException.of(Errno.EINVAL);
                        ipc.tos = v;
                    }
                    case In.IP_PROTOCOL -> {
                        if (dlen != 4) throw ErrnoException.of(Errno.EINVAL);
                        int v = Uaccess.getInt(ctl, d);
                        if (v < 1 || v > 255) throw ErrnoException.of(Errno.EINVAL);
                        ipc.protocol = v;
                    }
                    default -> throw ErrnoException.of(Errno.EINVAL);
                }
            }
        });
        return ipc;
    }

    /**
     * ip_cmsg_recv_offset: the SOL_IP control messages asked for, in Linux's order:
     * IP_PKTINFO (the arrival interface, the local address it reached and the destination),
     * IP_TTL, IP_TOS (one byte), IP_ORIGDSTADDR.
     */
    public void ipCmsgRecv(Task t, MsgHdr msg, SkBuff skb) {
        int f = cmsgFlags;
        if (f == 0) return;
        int nh = skb.networkHeader;
        if ((f & IP_CMSG_PKTINFO) != 0) {
            byte[] pi = new byte[In.IN_PKTINFO_SIZE];
            Rtable rt = (Rtable) skb.dst;
            IpCb cb = skb.cb instanceof IpCb c ? c : null;
            Uaccess.putInt(pi, 0, cb != null ? cb.iif : skb.skbIif);
            int daddr = skb.get32(nh + Ip.DADDR);
            int specDst = rt != null && rt.isBroadcast() ? rt.src : daddr;
            SkBuff.put32(pi, 4, specDst);
            SkBuff.put32(pi, 8, daddr);
            Scm.putCmsg(t, msg, Socket.SOL_IP, In.IP_PKTINFO, pi);
        }
        if ((f & IP_CMSG_TTL) != 0) {
            byte[] v = new byte[4];
            Uaccess.putInt(v, 0, skb.get8(nh + Ip.TTL));
            Scm.putCmsg(t, msg, Socket.SOL_IP, In.IP_TTL, v);
        }
        if ((f & IP_CMSG_TOS) != 0) {
            Scm.putCmsg(t, msg, Socket.SOL_IP, In.IP_TOS, new byte[]{(byte) skb.get8(nh + Ip.TOS)});
        }
        if ((f & IP_CMSG_RECVOPTS) != 0 || (f & IP_CMSG_RETOPTS) != 0) {
            // No IP options are kept: nothing to report (ip_cmsg_recv_opts puts none for an empty option set).
        }
        if ((f & IP_CMSG_ORIGDSTADDR) != 0) {
            int th = skb.transportHeader;
            if (th + 4 <= skb.tail) {
                byte[] sin = new byte[In.SOCKADDR_IN_SIZE];
                putSockaddrIn(sin, skb.get32(nh + Ip.DADDR), skb.get16(th + 2));
                Scm.putCmsg(t, msg, Socket.SOL_IP, In.IP_ORIGDSTADDR, sin);
            }
        }
        if ((f & IP_CMSG_RECVFRAGSIZE) != 0) {
            // Only reassembled packets carry a fragment size, and kava does not reassemble yet.
        }
    }

    // ---- inet_ioctl

    /**
     * inet_ioctl: the address ioctls go to devinet; routing-table and ARP ioctls are not
     * supported yet (EOPNOTSUPP); the rest to the protocol ({@link #protoIoctl}), and what
     * nobody knows is ENOIOCTLCMD (the socket layer then tries the device ioctls).
     */
    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (family == Socket.AF_INET6) return inet6Ioctl(t, cmd, arg);
        switch (cmd) {
            case Sockios.SIOCADDRT, Sockios.SIOCDELRT, Sockios.SIOCDARP, Sockios.SIOCGARP, Sockios.SIOCSARP ->
                    throw ErrnoException.of(Errno.EOPNOTSUPP);
            case Sockios.SIOCRTMSG -> throw ErrnoException.of(Errno.EINVAL);
            case Sockios.SIOCGIFADDR, Sockios.SIOCGIFBRDADDR, Sockios.SIOCGIFNETMASK, Sockios.SIOCGIFDSTADDR,
                 Sockios.SIOCGIFPFLAGS -> {
                byte[] ifr = t.mem.read(arg, dev.kava.abi.If.IFREQ_SIZE);
                ifr[dev.kava.abi.If.IFNAMSIZ - 1] = 0;
                Devinet.ioctl(net, cap(t), cmd, ifr);
                t.mem.write(arg, ifr);
                return 0;
            }
            case Sockios.SIOCSIFADDR, Sockios.SIOCSIFBRDADDR, Sockios.SIOCSIFNETMASK, Sockios.SIOCSIFDSTADDR,
                 Sockios.SIOCSIFPFLAGS, Sockios.SIOCSIFFLAGS -> {
                byte[] ifr = t.mem.read(arg, dev.kava.abi.If.IFREQ_SIZE);
                ifr[dev.kava.abi.If.IFNAMSIZ - 1] = 0;
                Devinet.ioctl(net, cap(t), cmd, ifr);
                return 0;
            }
            default -> {
                return protoIoctl(t, cmd, arg);
            }
        }
    }

    /**
     * inet6_ioctl: IPv6 route and address changes through ioctls (SIOCADDRT, SIOCSIFADDR with a
     * struct in6_ifreq) are not supported yet (EOPNOTSUPP; netlink is the way); the IPv4 address
     * ioctls are not IPv6's, so they end as ENOTTY; the rest go to the protocol.
     */
    private long inet6Ioctl(Task t, int cmd, long arg) {
        switch (cmd) {
            case Sockios.SIOCADDRT, Sockios.SIOCDELRT, Sockios.SIOCSIFADDR, Sockios.SIOCDIFADDR, Sockios.SIOCSIFDSTADDR ->
                    throw ErrnoException.of(Errno.EOPNOTSUPP);
            default -> {
                return protoIoctl(t, cmd, arg);
            }
        }
    }

    /** sk->sk_prot->ioctl: ENOIOCTLCMD unless the protocol has its own. */
    protected long protoIoctl(Task t, int cmd, long arg) {
        throw ErrnoException.of(Errno.ENOIOCTLCMD);
    }

    /**
     * inet_shutdown for a datagram socket (UDP, ping, raw): EINVAL for a bad how; an
     * unconnected socket reports ENOTCONN but is shut down all the same (and its waiters woken).
     */
    protected final void datagramShutdown(int how) {
        how++;
        if ((how & ~SHUTDOWN_MASK) != 0 || how == 0) throw ErrnoException.of(Errno.EINVAL);
        boolean notConn;
        synchronized (this) {
            notConn = state == TCP_CLOSE;
            shutdown |= how;
        }
        wq.wakeAll(Poll.POLLIN | Poll.POLLOUT | Poll.POLLHUP | Poll.POLLRDHUP);
        if (notConn) throw ErrnoException.of(Errno.ENOTCONN);
    }

    /**
     * __ip4_datagram_connect: a sockaddr_in (EINVAL if shorter, EAFNOSUPPORT for another
     * family); the route decides the source address if none is bound; a broadcast needs
     * SO_BROADCAST (EACCES).
     */
    public final void datagramConnect4(Task t, byte[] a, int len) {
        if (len < In.SOCKADDR_IN_SIZE) throw ErrnoException.of(Errno.EINVAL);
        if (family(a) != Socket.AF_INET) throw ErrnoException.of(Errno.EAFNOSUPPORT);
        int addr = SkBuff.get32(a, In.SIN_ADDR), port = SkBuff.get16(a, In.SIN_PORT);
        synchronized (this) {
            Flow4 fl = new Flow4(addr, saddr, boundDevIf, tos, protocol);
            fl.flags = flowFlags();
            Rtable rt = routeOutput(fl);
            if (saddr == 0) saddr = fl.saddr;
            if (rcvSaddr == 0) {
                rcvSaddr = fl.saddr;
                if (v6 != null) {
                    v6.rcvSaddr = Ip6Addr.mapped(fl.saddr);
                    v6.saddr = Ip6Addr.mapped(fl.saddr);
                }
            }
            daddr = fl.daddr;
            dport = port;
            if (v6 != null) v6.daddr = Ip6Addr.mapped(fl.daddr);
            state = TCP_ESTABLISHED;
            inetId.set(net.ipv4.out.nextId());
        }
    }

    /**
     * The route of a datagram (ip_route_output_flow as udp_sendmsg and ip4_datagram_connect
     * use it): no route counts OutNoRoutes and fails with ENETUNREACH; a broadcast route needs
     * SO_BROADCAST (EACCES).
     */
    protected final Rtable routeOutput(Flow4 fl) {
        Rtable rt;
        try {
            rt = Route.output(net, fl);
        } catch (ErrnoException e) {
            if (e.errno == Errno.ENETUNREACH) net.ipv4.mib.ip(IpMib.OUT_NO_ROUTES);
            throw e;
        }
        if (rt.isBroadcast() && !broadcast) throw ErrnoException.of(Errno.EACCES);
        return rt;
    }
}
