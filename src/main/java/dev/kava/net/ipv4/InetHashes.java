package dev.kava.net.ipv4;

import dev.kava.abi.Socket;
import dev.kava.net.ipv6.Ip6Addr;

/**
 * Address comparisons shared by the socket tables of every inet protocol
 * (net/ipv4/inet_connection_sock.c: inet_rcv_saddr_equal and its IPv4/IPv6 halves). Whether
 * two sockets' bound addresses overlap decides bind conflicts; a wildcard overlaps everything
 * of its family, and an IPv6 wildcard that is not IPV6_V6ONLY overlaps IPv4 too.
 */
public final class InetHashes {
    private InetHashes() {}

    /** ipv4_rcv_saddr_equal */
    static boolean ipv4RcvSaddrEqual(int a1, int a2, boolean sk2Ipv6only, boolean matchWild1, boolean matchWild2) {
        if (!sk2Ipv6only) {
            if (a1 == a2) return true;
            return (matchWild1 && a1 == 0) || (matchWild2 && a2 == 0);
        }
        return false;
    }

    /** ipv6_rcv_saddr_equal; a2v6 null when sk2 is an AF_INET socket (IPV6_ADDR_MAPPED). */
    static boolean ipv6RcvSaddrEqual(byte[] a1v6, byte[] a2v6, int a1, int a2, boolean sk1Ipv6only, boolean sk2Ipv6only,
                                     boolean matchWild1, boolean matchWild2) {
        boolean mapped1 = Ip6Addr.isV4Mapped(a1v6), mapped2 = a2v6 == null || Ip6Addr.isV4Mapped(a2v6);
        boolean any1 = Ip6Addr.isAny(a1v6), any2 = a2v6 != null && Ip6Addr.isAny(a2v6);
        if (mapped1 && mapped2) {
            if (!sk2Ipv6only) {
                if (a1 == a2) return true;
                return (matchWild1 && a1 == 0) || (matchWild2 && a2 == 0);
            }
            return false;
        }
        if (any1 && any2) return true;
        if (any2 && matchWild2 && !(sk2Ipv6only && mapped1)) return true;
        if (any1 && matchWild1 && !(sk1Ipv6only && mapped2)) return true;
        return a2v6 != null && java.util.Arrays.equals(a1v6, a2v6);
    }

    /** inet_rcv_saddr_equal: whether sk's and sk2's bound addresses overlap. */
    public static boolean rcvSaddrEqual(InetSock sk, InetSock sk2, boolean matchWildcard) {
        boolean v6only2 = sk2.v6 != null && sk2.v6.ipv6only;
        if (sk.family == Socket.AF_INET6) {
            return ipv6RcvSaddrEqual(sk.v6.rcvSaddr, sk2.family == Socket.AF_INET6 ? sk2.v6.rcvSaddr : null,
                    sk.rcvSaddr, sk2.rcvSaddr, sk.v6.ipv6only, v6only2, matchWildcard, matchWildcard);
        }
        return ipv4RcvSaddrEqual(sk.rcvSaddr, sk2.rcvSaddr, v6only2, matchWildcard, matchWildcard);
    }
}
