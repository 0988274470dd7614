package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.In;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.net.NetProto;
import dev.kava.net.Sock;
import dev.kava.net.SocketFile;
import dev.kava.net.core.Net;

import java.util.ArrayList;
import java.util.List;

/**
 * The AF_INET family (net/ipv4/af_inet.c): inet_create finds the socket type's protocol in
 * inetsw and makes its sock; {@link #init} (inet_init) registers the family, the protocols and
 * the ETH_P_IP handler once.
 */
public final class AfInet implements NetProto {
    private static final AfInet INSTANCE = new AfInet();

    /** The built-in transports' init functions (udp_init, ping_init, raw_init, ...), run by inet_init. */
    private static final List<Runnable> TRANSPORTS = new ArrayList<>();

    /** inetsw[type]: the protocols of each socket type, in registration order. */
    @SuppressWarnings("unchecked")
    private static final List<InetProtosw>[] INETSW = new List[Socket.SOCK_MAX];

    static {
        for (int i = 0; i < INETSW.length; i++) INETSW[i] = new ArrayList<>();
        TRANSPORTS.add(UdpSock::init);
        TRANSPORTS.add(PingSock::init);
        TRANSPORTS.add(RawSock::init);
    }

    private static boolean initialized;

    private AfInet() {}

    /** inet_init: AF_INET, ICMP and IP input, then the built-in transports. */
    public static synchronized void init() {
        if (initialized) return;
        initialized = true;
        IcmpProto.init();
        IpInput.init();
        NetProto.Registry.register(INSTANCE);
        for (Runnable r : TRANSPORTS) r.run();
        TcpProto.init();
    }


    /** Adds a transport's init to inet_init (run now if inet_init already ran). */
    public static synchronized void addTransport(Runnable init) {
        TRANSPORTS.add(init);
        if (initialized) init.run();
    }

    /**
     * inet_register_protosw: adds a type/protocol pair. A permanent entry for the same pair
     * cannot be overridden; a later registration of the same pair goes after it.
     */
    public static synchronized void register(InetProtosw p) {
        List<InetProtosw> l = INETSW[p.type()];
        for (InetProtosw o : l) {
            if (o.protocol() == p.protocol() && (o.flags() & InetProtosw.PERMANENT) != 0) {
                throw new IllegalStateException("Attempt to override permanent protocol " + p.protocol());
            }
        }
        // Permanent entries stay in front of the others (list_add_rcu after last_perm).
        int i = 0;
        while (i < l.size() && (l.get(i).flags() & InetProtosw.PERMANENT) != 0) i++;
        if ((p.flags() & InetProtosw.PERMANENT) == 0) i = l.size();
        l.add(i, p);
    }

    /**
     * The inetsw lookup of inet_create: an exact protocol match, or a wildcard on either side.
     * ESOCKTNOSUPPORT for a type without protocols, EPROTONOSUPPORT for a protocol it lacks.
     * Returns the entry and the protocol chosen.
     */
    static synchronized InetProtosw lookup(List<InetProtosw>[] table, int type, int[] protocol) {
        int err = Errno.ESOCKTNOSUPPORT;
        for (InetProtosw a : table[type]) {
            err = 0;
            if (protocol[0] == a.protocol()) {
                if (protocol[0] != In.IPPROTO_IP) return a;
            } else {
                if (protocol[0] == In.IPPROTO_IP) {
                    protocol[0] = a.protocol();
                    return a;
                }
                if (a.protocol() == In.IPPROTO_IP) return a;
            }
            err = Errno.EPROTONOSUPPORT;
        }
        throw ErrnoException.of(err);
    }

    @Override
    public int family() {
        return Socket.AF_INET;
    }

    /** inet_create */
    @Override
    public Sock create(Task t, SocketFile sock, int protocol, boolean kern) {
        return create(Socket.AF_INET, INETSW, t, sock, protocol, kern);
    }

    /** inet_create and inet6_create share this: the inetsw lookup, CAP_NET_RAW for raw sockets, the protocol's sock. */
    public static Sock create(int family, List<InetProtosw>[] table, Task t, SocketFile sock, int protocol, boolean kern) {
        if (protocol < 0 || protocol >= In.IPPROTO_MAX) throw ErrnoException.of(Errno.EINVAL);
        sock.state = Socket.SS_UNCONNECTED;
        int[] p = {protocol};
        InetProtosw a = lookup(table, sock.type, p);
        if (sock.type == Socket.SOCK_RAW && !kern && t.group.cred.euid() != 0) throw ErrnoException.of(Errno.EPERM);
        Net net = Net.of(t.kernel);
        InetSock sk = a.factory().create(net, t, family, sock.type, p[0], kern);
        if ((a.flags() & InetProtosw.REUSE) != 0) sk.reuse = true;
        sk.uid = t.group.cred.euid();
        sk.ino = sock.ino();
        sk.pmtudisc = net.ipv4.ipNoPmtuDisc != 0 ? In.IP_PMTUDISC_DONT : In.IP_PMTUDISC_WANT;
        if (sk.v6 != null) {
            sk.v6.ipv6only = net.ipv6.bindv6only != 0;
            sk.v6.mcastHops = dev.kava.net.ipv6.Inet6Sk.IPV6_DEFAULT_MCASTHOPS;
        }
        sk.init(t);
        return sk;
    }

    /** The inetsw table of AF_INET (for AF_INET6, which has its own). */
    static List<InetProtosw>[] table() {
        return INETSW;
    }
}
