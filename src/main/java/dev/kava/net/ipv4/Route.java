package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.In;
import dev.kava.abi.Rtnetlink;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Net;
import dev.kava.net.core.NetDevice;

/**
 * IPv4 route resolution (net/ipv4/route.c): {@link #output} for packets this host sends
 * (ip_route_output_key), {@link #input} for packets it receives (ip_route_input_noref).
 * Routes are looked up afresh each time; kava keeps no route cache.
 */
public final class Route {
    private Route() {}

    /**
     * ip_route_output_key_hash_rcu: the route for fl, with fl.saddr filled in. A source given
     * must be a local address (EINVAL) unless FLOWI_FLAG_ANYSRC; a bound device must exist
     * (ENODEV) and be up (ENETUNREACH); 0.0.0.0 is this host (delivered over lo); local
     * destinations always go over lo; no route is ENETUNREACH.
     */
    public static Rtable output(Net net, Flow4 fl) {
        NetnsIpv4 ip = net.ipv4;
        NetDevice devOut = null;
        if (fl.saddr != 0) {
            if (Ip.isMulticast(fl.saddr) || Ip.isLbcast(fl.saddr) || Ip.isZeronet(fl.saddr)) throw ErrnoException.of(Errno.EINVAL);
            if ((fl.flags & Flow4.FLOWI_FLAG_ANYSRC) == 0 && ip.fib.addrType(fl.saddr) != Rtnetlink.RTN_LOCAL) {
                throw ErrnoException.of(Errno.EINVAL);
            }
        }
        if (fl.oif != 0) {
            devOut = net.devByIndex(fl.oif);
            if (devOut == null) throw ErrnoException.of(Errno.ENODEV);
            if (!devOut.isUp() || InDevice.of(devOut) == null) throw ErrnoException.of(Errno.ENETUNREACH);
            if (Ip.isLocalMulticast(fl.daddr) || Ip.isLbcast(fl.daddr)) {
                if (fl.saddr == 0) fl.saddr = Devinet.selectAddr(net, devOut, 0, Rtnetlink.RT_SCOPE_LINK);
                int type = Ip.isLbcast(fl.daddr) ? Rtnetlink.RTN_BROADCAST : Rtnetlink.RTN_MULTICAST;
                return make(ip, devOut, type, 0, fl.saddr, fl);
            }
        }
        if (fl.daddr == 0) {
            // "Destination 0.0.0.0 means self": the source, or 127.0.0.1, over lo.
            fl.daddr = fl.saddr;
            if (fl.daddr == 0) fl.daddr = fl.saddr = In.INADDR_LOOPBACK;
            return make(ip, net.loopback, Rtnetlink.RTN_LOCAL, 0, fl.saddr, fl);
        }
        FibAlias res = ip.fib.lookup(fl);
        if (res == null) {
            if (fl.oif != 0 && devOut != null) {
                // No route, but a device was named: assume the destination is on its link (ip_route_output_slow's "link-local" guess).
                if (fl.saddr == 0) fl.saddr = Devinet.selectAddr(net, devOut, 0, Rtnetlink.RT_SCOPE_LINK);
                return make(ip, devOut, Rtnetlink.RTN_UNICAST, 0, fl.saddr, fl);
            }
            throw ErrnoException.of(Errno.ENETUNREACH);
        }
        if (res.type() == Rtnetlink.RTN_LOCAL) {
            if (fl.saddr == 0) fl.saddr = res.prefsrc() != 0 ? res.prefsrc() : fl.daddr;
            // Packets to this host leave by lo, whatever device owns the address.
            return make(ip, net.loopback, Rtnetlink.RTN_LOCAL, 0, fl.saddr, fl);
        }
        NetDevice dev = res.dev();
        if (dev == null || !dev.isUp()) throw ErrnoException.of(Errno.ENETUNREACH);
        if (fl.saddr == 0) {
            fl.saddr = res.prefsrc() != 0 ? res.prefsrc()
                    : Devinet.selectAddr(net, dev, res.gateway() != 0 ? res.gateway() : fl.daddr, res.scope());
        }
        return make(ip, dev, res.type(), res.gateway(), fl.saddr, fl);
    }

    /** __mkroute_output: the flags of the route's type. */
    private static Rtable make(NetnsIpv4 ip, NetDevice dev, int type, int gw, int src, Flow4 fl) {
        int flags = 0;
        if (type == Rtnetlink.RTN_BROADCAST) flags |= Rtable.RTCF_BROADCAST | Rtable.RTCF_LOCAL;
        else if (type == Rtnetlink.RTN_MULTICAST) flags |= Rtable.RTCF_MULTICAST | Rtable.RTCF_LOCAL;
        else if (type == Rtnetlink.RTN_LOCAL) flags |= Rtable.RTCF_LOCAL;
        if ((dev.flags & If.IFF_LOOPBACK) != 0 && type == Rtnetlink.RTN_UNICAST) flags |= Rtable.RTCF_LOCAL;
        return new Rtable(dev, type, flags, gw, src, 0, ip.out);
    }

    /**
     * ip_route_input_slow: where a received packet goes. Martian sources and destinations
     * (multicast or broadcast sources, zeronet, loopback addresses from another device) are
     * EINVAL; the limited broadcast and broadcast routes are delivered locally as broadcasts;
     * local routes locally; anything else would be forwarded, and forwarding is off:
     * EHOSTUNREACH. Multicast is not routed (no group memberships yet): EINVAL.
     */
    public static Rtable input(Net net, int daddr, int saddr, int tos, NetDevice dev) {
        NetnsIpv4 ip = net.ipv4;
        InDevice in = InDevice.of(dev);
        if (in == null) throw ErrnoException.of(Errno.EINVAL);
        boolean loopbackDev = (dev.flags & If.IFF_LOOPBACK) != 0;
        if (Ip.isMulticast(saddr) || Ip.isLbcast(saddr)) throw ErrnoException.of(Errno.EINVAL);
        if (Ip.isMulticast(daddr)) throw ErrnoException.of(Errno.EINVAL);
        if (Ip.isLbcast(daddr) || (saddr == 0 && daddr == 0)) {
            return new Rtable(net.loopback, Rtnetlink.RTN_BROADCAST, Rtable.RTCF_BROADCAST | Rtable.RTCF_LOCAL, 0,
                    Devinet.selectAddr(net, dev, 0, Rtnetlink.RT_SCOPE_LINK), dev.ifindex, ip.out);
        }
        if (Ip.isZeronet(saddr) || Ip.isZeronet(daddr)) throw ErrnoException.of(Errno.EINVAL);
        if (!loopbackDev && !in.routeLocalnet && (Ip.isLoopback(daddr) || Ip.isLoopback(saddr))) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        Flow4 fl = new Flow4(daddr, saddr, 0, tos, 0);
        fl.iif = dev.ifindex;
        FibAlias res;
        try {
            res = ip.fib.lookup(fl);
        } catch (ErrnoException e) {
            throw ErrnoException.of(Errno.EHOSTUNREACH);
        }
        if (res == null) throw ErrnoException.of(Errno.EHOSTUNREACH);
        if (res.type() == Rtnetlink.RTN_BROADCAST) {
            return new Rtable(net.loopback, Rtnetlink.RTN_BROADCAST, Rtable.RTCF_BROADCAST | Rtable.RTCF_LOCAL, 0,
                    res.prefsrc(), dev.ifindex, ip.out);
        }
        if (res.type() == Rtnetlink.RTN_LOCAL) {
            return new Rtable(net.loopback, Rtnetlink.RTN_LOCAL, Rtable.RTCF_LOCAL, 0, daddr, dev.ifindex, ip.out);
        }
        // Not for this host: forwarding (net.ipv4.ip_forward) is off.
        throw ErrnoException.of(Errno.EHOSTUNREACH);
    }
}
