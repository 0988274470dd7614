package dev.kava.net.ipv6;

import dev.kava.abi.Socket;
import dev.kava.kernel.Task;
import dev.kava.net.NetProto;
import dev.kava.net.Sock;
import dev.kava.net.SocketFile;
import dev.kava.net.ipv4.AfInet;
import dev.kava.net.ipv4.InetProtosw;

import java.util.ArrayList;
import java.util.List;

/**
 * The AF_INET6 family (net/ipv6/af_inet6.c): its own inetsw (UDP, ping and raw register in
 * it, and TCP through {@link dev.kava.net.ipv4.TcpIpv6}), inet6_create through the same lookup as AF_INET, and inet6_init
 * (ETH_P_IPV6, ICMPv6, the transports' IPv6 handlers).
 */
public final class AfInet6 implements NetProto {
    private static final AfInet6 INSTANCE = new AfInet6();

    @SuppressWarnings("unchecked")
    private static final List<InetProtosw>[] INETSW6 = new List[Socket.SOCK_MAX];

    static {
        for (int i = 0; i < INETSW6.length; i++) INETSW6[i] = new ArrayList<>();
    }

    private static boolean initialized;

    private AfInet6() {}

    /** inet6_init */
    public static synchronized void init() {
        if (initialized) return;
        initialized = true;
        Icmpv6Proto.init();
        Ip6Input.init();
        Udp6.init();
        register(new InetProtosw(Socket.SOCK_DGRAM, dev.kava.abi.In.IPPROTO_UDP, dev.kava.net.ipv4.UdpSock::create6,
                InetProtosw.PERMANENT));
        // udplitev6_init: udplite6_protosw
        register(new InetProtosw(Socket.SOCK_DGRAM, dev.kava.abi.In.IPPROTO_UDPLITE, dev.kava.net.ipv4.UdpSock::create6,
                InetProtosw.PERMANENT));
        dev.kava.net.ipv4.TcpIpv6.init();
        NetProto.Registry.register(INSTANCE);
    }

    /** inet6_register_protosw */
    public static synchronized void register(InetProtosw p) {
        List<InetProtosw> l = INETSW6[p.type()];
        int i = 0;
        while (i < l.size() && (l.get(i).flags() & InetProtosw.PERMANENT) != 0) i++;
        if ((p.flags() & InetProtosw.PERMANENT) == 0) i = l.size();
        l.add(i, p);
    }

    @Override
    public int family() {
        return Socket.AF_INET6;
    }

    /** inet6_create */
    @Override
    public Sock create(Task t, SocketFile sock, int protocol, boolean kern) {
        return AfInet.create(Socket.AF_INET6, INETSW6, t, sock, protocol, kern);
    }
}
