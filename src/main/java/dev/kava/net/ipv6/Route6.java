package dev.kava.net.ipv6;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.Rtnetlink;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Net;
import dev.kava.net.core.NetDevice;

/** IPv6 route resolution (net/ipv6/route.c: ip6_route_output, ip6_route_input) without a cache. */
public final class Route6 {
    private Route6() {}

    /**
     * ip6_dst_lookup_flow: the route to daddr via oif (0: any) with the source chosen (saddr if
     * given, else by source address selection). ENETUNREACH without a route or with oif naming
     * a device that is down or unknown (IPv4 says ENODEV for the latter); EADDRNOTAVAIL if no source address fits.
     */
    public static Rt6Info output(Net net, byte[] daddr, byte[] saddr, int oif, boolean anysrc) {
        if (oif != 0) {
            // Unlike IPv4 (ENODEV), an unknown or down interface just leaves no route.
            NetDevice d = net.devByIndex(oif);
            if (d == null || !d.isUp()) throw ErrnoException.of(Errno.ENETUNREACH);
        }
        Rt6Info r = net.ipv6.fib.lookup(daddr, oif);
        if (r == null) {
            // ip6_dst_lookup_tail picks the source before it looks at the route's error.
            if (saddr == null && net.ipv6.addrconf.selectSaddr(null, daddr) == null) throw ErrnoException.of(Errno.EADDRNOTAVAIL);
            throw ErrnoException.of(Errno.ENETUNREACH);
        }
        // ip6_rt_type_to_error: what a reject route answers.
        switch (r.type) {
            case Rtnetlink.RTN_BLACKHOLE -> throw ErrnoException.of(Errno.EINVAL);
            case Rtnetlink.RTN_UNREACHABLE -> throw ErrnoException.of(Errno.EHOSTUNREACH);
            case Rtnetlink.RTN_PROHIBIT -> throw ErrnoException.of(Errno.EACCES);
            default -> { }
        }
        NetDevice dev = r.isLocal() ? net.loopback : r.dev;
        if (dev == null || !dev.isUp()) throw ErrnoException.of(Errno.ENETUNREACH);
        byte[] src = saddr;
        if (src == null) {
            src = r.prefsrc != null ? r.prefsrc : net.ipv6.addrconf.selectSaddr(r.isLocal() ? null : dev, daddr);
            if (src == null) throw ErrnoException.of(Errno.EADDRNOTAVAIL);
        }
        return r.withSource(dev, src);
    }

    /**
     * ip6_route_input: a packet for one of this host's addresses is local; anything else would
     * be forwarded, and forwarding is off (EHOSTUNREACH). Loopback addresses from another device
     * are martians (EINVAL).
     */
    public static Rt6Info input(Net net, byte[] daddr, byte[] saddr, NetDevice dev) {
        boolean lo = (dev.flags & If.IFF_LOOPBACK) != 0;
        if (!lo && (Ip6Addr.isLoopback(daddr) || Ip6Addr.isLoopback(saddr))) throw ErrnoException.of(Errno.EINVAL);
        if (Ip6Addr.isMulticast(saddr)) throw ErrnoException.of(Errno.EINVAL);
        Rt6Info r = net.ipv6.fib.lookup(daddr, 0);
        if (r != null && r.isLocal()) return r.withSource(net.loopback, daddr);
        throw ErrnoException.of(Errno.EHOSTUNREACH);
    }
}
