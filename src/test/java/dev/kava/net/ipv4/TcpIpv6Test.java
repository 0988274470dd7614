package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.In;
import dev.kava.abi.In6;
import dev.kava.abi.Socket;
import dev.kava.abi.Tcp;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Net;
import dev.kava.net.ipv6.Inet6Sk;
import dev.kava.net.ipv6.Ip6Addr;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCP over IPv6 on a namespace of its own: the four-tuple keys, connections over ::1 and dual-stack listeners. */
class TcpIpv6Test {
    private static byte[] sin6(byte[] addr, int port) {
        byte[] a = new byte[In6.SOCKADDR_IN6_SIZE];
        Inet6Sk.putSockaddrIn6(a, addr, port, 0, 0);
        return a;
    }

    private static byte[] sin(int addr, int port) {
        byte[] a = new byte[In.SOCKADDR_IN_SIZE];
        InetSock.putSockaddrIn(a, addr, port);
        return a;
    }

    /** A listener bound to addr:0 (v6only as given), listening. */
    private static TcpSock listener(Net net, byte[] addr, boolean v6only) {
        TcpSock l = new TcpSock(net, Socket.AF_INET6);
        l.v6.ipv6only = v6only;
        l.bind(null, sin6(addr, 0), In6.SOCKADDR_IN6_SIZE);
        l.listen(null, 8);
        return l;
    }

    private static void connect(TcpSock c, byte[] a, int len) {
        ErrnoException e = assertThrows(ErrnoException.class, () -> c.connect(null, a, len, Fcntl.O_NONBLOCK));
        assertEquals(Errno.EINPROGRESS, e.errno);
    }

    @Test
    void anIpv4KeyIsTheV4MappedIpv6Key() {
        TcpNet.Key k4 = new TcpNet.Key(In.INADDR_LOOPBACK, 80, 0x0a000001, 1234);
        assertEquals(k4, TcpNet.Key.of6(Ip6Addr.mapped(In.INADDR_LOOPBACK), 80, Ip6Addr.mapped(0x0a000001), 1234));
        assertNotEquals(k4, TcpNet.Key.of6(Ip6Addr.LOOPBACK, 80, Ip6Addr.mapped(0x0a000001), 1234));
    }

    @Test
    void aConnectionOverLoopbackCarriesDataAndNamesItsEndsInIpv6() {
        Net net = Net.standalone();
        TcpSock l = listener(net, Ip6Addr.LOOPBACK, false);
        TcpSock c = new TcpSock(net, Socket.AF_INET6);
        connect(c, sin6(Ip6Addr.ANY, l.num), In6.SOCKADDR_IN6_SIZE); // :: means this host
        assertEquals(Tcp.TCP_ESTABLISHED, c.state);
        assertTrue(c.v6ops());
        assertTrue(c.tsOk && c.sackOk && c.wscaleOk);
        assertEquals(65536 - 40 - 20, c.advmss); // lo's MTU less the IPv6 and TCP headers
        TcpSock s = l.accept(null, Fcntl.O_NONBLOCK);
        assertArrayEquals(Ip6Addr.LOOPBACK, s.v6.daddr);
        byte[] name = new byte[In6.SOCKADDR_IN6_SIZE];
        assertEquals(In6.SOCKADDR_IN6_SIZE, s.getname(name, true));
        assertArrayEquals(sin6(Ip6Addr.LOOPBACK, c.num), name);
        assertTrue(TcpNet.of(net).ehash.containsKey(TcpNet.Key.of6(Ip6Addr.LOOPBACK, c.num, Ip6Addr.LOOPBACK, l.num)));
        c.release();
        assertEquals(Tcp.TCP_CLOSE_WAIT, s.state);
        s.release();
        assertTrue(TcpNet.of(net).ehash.values().stream().anyMatch(o -> o instanceof TimeWaitSock tw && tw.laddr6 != null));
    }

    @Test
    void aDualStackListenerTakesIpv4AsV4MappedAndAV6OnlyOneRefusesIt() {
        Net net = Net.standalone();
        TcpSock l = listener(net, Ip6Addr.ANY, false);
        TcpSock c4 = new TcpSock(net, Socket.AF_INET);
        connect(c4, sin(In.INADDR_LOOPBACK, l.num), In.SOCKADDR_IN_SIZE);
        TcpSock s = l.accept(null, Fcntl.O_NONBLOCK);
        assertTrue(s.mapped);
        assertArrayEquals(Ip6Addr.mapped(In.INADDR_LOOPBACK), s.v6.daddr);

        TcpSock only = listener(net, Ip6Addr.ANY, true);
        TcpSock r = new TcpSock(net, Socket.AF_INET);
        assertThrows(ErrnoException.class, () -> r.connect(null, sin(In.INADDR_LOOPBACK, only.num), In.SOCKADDR_IN_SIZE,
                Fcntl.O_NONBLOCK));
        assertEquals(Errno.ECONNREFUSED, r.sockError());
        TcpSock m = new TcpSock(net, Socket.AF_INET6);
        m.v6.ipv6only = true;
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> m.connect(null, sin6(Ip6Addr.mapped(In.INADDR_LOOPBACK), l.num), In6.SOCKADDR_IN6_SIZE, 0));
        assertEquals(Errno.ENETUNREACH, e.errno);
        assertFalse(m.mapped);
    }

    @Test
    void anIpv4BindConflictsWithADualStackWildcardButNotWithAV6OnlyOne() {
        Net net = Net.standalone();
        TcpSock dual = listener(net, Ip6Addr.ANY, false);
        TcpSock b4 = new TcpSock(net, Socket.AF_INET);
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> b4.bind(null, sin(In.INADDR_LOOPBACK, dual.num), In.SOCKADDR_IN_SIZE));
        assertEquals(Errno.EADDRINUSE, e.errno);
        TcpSock only = listener(net, Ip6Addr.ANY, true);
        TcpSock ok = new TcpSock(net, Socket.AF_INET);
        ok.bind(null, sin(In.INADDR_LOOPBACK, only.num), In.SOCKADDR_IN_SIZE);
        assertEquals(only.num, ok.num);
    }
}
