package dev.kava.net.ipv6;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.IfAddr;
import dev.kava.abi.Rtnetlink;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Net;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.NetdevEvent;

import java.util.Arrays;

/**
 * IPv6 address configuration (net/ipv6/addrconf.c): each device's inet6_dev, ::1/128 on lo
 * when it comes up (init_loopback), adding and removing addresses with their local routes
 * ({@link #add}, {@link #delete}, for netlink too, under RTNL), whether an address is this
 * host's ({@link #chkAddr}), and source address selection ({@link #selectSaddr}). Devices
 * other than lo get no link-local address yet (there are none).
 */
public final class Addrconf {
    /** IFA_* scopes of if_inet6 / ifa_scope (include/net/ipv6.h IFA_HOST etc.). */
    public static final int IFA_GLOBAL = 0x00, IFA_HOST = 0x10, IFA_LINK = 0x20, IFA_SITE = 0x40;

    private final Net net;

    Addrconf(Net net) {
        this.net = net;
    }

    /** ipv6_addr_scope: the IFA_* scope of an address. */
    public static int scope(byte[] a) {
        return Ip6Addr.type(a) & Ip6Addr.IPV6_ADDR_SCOPE_MASK;
    }

    /** addrconf_notify */
    void netdevEvent(NetdevEvent ev, NetDevice dev) {
        Inet6Dev idev = Inet6Dev.of(dev);
        switch (ev) {
            case REGISTER -> {
                if (idev == null && dev.mtu >= 1280) dev.ip6Ptr = new Inet6Dev(dev);
            }
            case UP -> {
                if (idev == null || idev.disabled) return;
                if ((dev.flags & If.IFF_LOOPBACK) != 0) {
                    // init_loopback: ::1/128, host scope, permanent, and its local route.
                    boolean have = false;
                    for (Inet6Ifaddr a : idev.addresses()) if (Ip6Addr.isLoopback(a.addr)) have = true;
                    if (!have) add(new Inet6Ifaddr(idev, Ip6Addr.LOOPBACK, 128, IFA_HOST, IfAddr.IFA_F_PERMANENT));
                }
                // Addresses kept across a down/up get their routes back.
                for (Inet6Ifaddr a : idev.addresses()) if (a.localRoute == null) addRoutes(a);
            }
            case CHANGEMTU -> {
                if (idev == null) {
                    if (dev.mtu >= 1280) {
                        dev.ip6Ptr = new Inet6Dev(dev);
                        if (dev.isUp()) netdevEvent(NetdevEvent.UP, dev);
                    }
                } else if (dev.mtu < 1280) {
                    // addrconf_notify: IPv6 needs 1280; below it the device is taken down for IPv6 (kept only for lo).
                    if ((dev.flags & If.IFF_LOOPBACK) != 0) {
                        netdevEvent(NetdevEvent.DOWN, dev);
                    } else {
                        netdevEvent(NetdevEvent.UNREGISTER, dev);
                    }
                } else if (dev.isUp()) {
                    for (Inet6Ifaddr a : idev.addresses()) if (a.localRoute == null) addRoutes(a);
                }
            }
            case DOWN -> {
                // addrconf_ifdown: the routes go, and with net.ipv6.conf.*.keep_addr_on_down 0 (the
                // default) every address too; lo gets ::1 back when it comes up (init_loopback).
                net.ipv6.fib.flushDev(dev);
                if (idev != null) {
                    for (Inet6Ifaddr a : idev.addresses()) {
                        a.localRoute = null;
                        a.prefixRoute = null;
                        if (idev.remove(a)) net.notifyAddr6(a, true);
                    }
                }
            }
            case UNREGISTER -> {
                if (idev != null) {
                    for (Inet6Ifaddr a : idev.addresses()) if (idev.remove(a)) net.notifyAddr6(a, true);
                    net.ipv6.fib.flushDev(dev);
                    dev.ip6Ptr = null;
                }
            }
            default -> { }
        }
    }

    private long nowCs() {
        return net.kernel != null ? net.kernel.clock().monotonicNanos() / 10_000_000L : System.nanoTime() / 10_000_000L;
    }

    /** ipv6_add_addr + addrconf_prefix_route: EEXIST for an address the device has; RTM_NEWADDR, then its routes. Under RTNL. */
    public void add(Inet6Ifaddr a) {
        for (Inet6Ifaddr o : a.idev.addresses()) if (Arrays.equals(o.addr, a.addr)) throw ErrnoException.of(Errno.EEXIST);
        a.cstamp = a.tstamp = nowCs();
        a.idev.add(a);
        net.notifyAddr6(a, false);
        if (a.idev.dev.isUp()) addRoutes(a);
    }

    /**
     * inet6_addr_add for a configured address (netlink's RTM_NEWADDR): the prefix route first
     * (unless IFA_F_NOPREFIXROUTE), the address tentative (unless IFA_F_NODAD) with its
     * RTM_NEWADDR, then DAD. kava sends no neighbour solicitations, so DAD completes at once, as
     * addrconf_dad_begin does for a loopback or NOARP device or with accept_dad 0: the flag goes,
     * a second RTM_NEWADDR, then the local route (__ipv6_ifa_notify). On a device that is down
     * the address waits, tentative, until it comes up. EEXIST for an address the device has. Under RTNL.
     */
    public void addConfigured(Inet6Ifaddr a) {
        for (Inet6Ifaddr o : a.idev.addresses()) if (Arrays.equals(o.addr, a.addr)) throw ErrnoException.of(Errno.EEXIST);
        a.cstamp = a.tstamp = nowCs();
        boolean up = a.idev.dev.isUp();
        if (up) addPrefixRoute(a);
        if ((a.flags & IfAddr.IFA_F_NODAD) == 0) a.flags |= IfAddr.IFA_F_TENTATIVE;
        a.idev.add(a);
        if ((a.flags & (IfAddr.IFA_F_OPTIMISTIC | IfAddr.IFA_F_NODAD)) == 0) net.notifyAddr6(a, false);
        if (up) dadCompleted(a);
    }

    /** addrconf_dad_completed with what __ipv6_ifa_notify does for it: the address usable, told, its local route in. */
    private void dadCompleted(Inet6Ifaddr a) {
        a.flags &= ~(IfAddr.IFA_F_TENTATIVE | IfAddr.IFA_F_OPTIMISTIC | IfAddr.IFA_F_DADFAILED);
        net.notifyAddr6(a, false);
        addLocalRoute(a);
    }

    /** The local route (table local, metric 0), and for a prefix shorter than /128 the prefix route (main, metric 256). */
    private void addRoutes(Inet6Ifaddr a) {
        if ((a.flags & IfAddr.IFA_F_TENTATIVE) != 0) {
            // Waiting for DAD, which runs when the device comes up (addrconf_dad_run).
            addPrefixRoute(a);
            dadCompleted(a);
            return;
        }
        addLocalRoute(a);
        addPrefixRoute(a);
    }

    private void addLocalRoute(Inet6Ifaddr a) {
        Rt6Info local = new Rt6Info(net.loopback, a.addr, 128, Rtnetlink.RTN_LOCAL, null, Rtnetlink.RTPROT_KERNEL, 0,
                Rtnetlink.RT_TABLE_LOCAL, null, net.ipv6.out);
        try {
            net.ipv6.fib.insert(local);
            a.localRoute = local;
        } catch (ErrnoException e) {
            // Another address of the same value brought it already.
        }
    }

    private void addPrefixRoute(Inet6Ifaddr a) {
        NetDevice dev = a.idev.dev;
        if (a.prefixlen < 128 && (a.flags & IfAddr.IFA_F_NOPREFIXROUTE) == 0) {
            Rt6Info pr = new Rt6Info(dev, Ip6Addr.prefix(a.addr, a.prefixlen), a.prefixlen, Rtnetlink.RTN_UNICAST, null,
                    Rtnetlink.RTPROT_KERNEL, a.rtPriority != 0 ? a.rtPriority : Rtnetlink.IP6_RT_PRIO_ADDRCONF,
                    Rtnetlink.RT_TABLE_MAIN, null, net.ipv6.out);
            try {
                net.ipv6.fib.insert(pr);
                a.prefixRoute = pr;
            } catch (ErrnoException e) {
                // An existing prefix route serves.
            }
        }
    }

    /** ipv6_del_addr: RTM_DELADDR, then the routes it brought. EADDRNOTAVAIL if the device does not have it. Under RTNL. */
    public void delete(Inet6Ifaddr a) {
        if (!a.idev.remove(a)) throw ErrnoException.of(Errno.EADDRNOTAVAIL);
        net.notifyAddr6(a, true);
        for (Rt6Info r : new Rt6Info[]{a.localRoute, a.prefixRoute}) {
            if (r == null) continue;
            try {
                net.ipv6.fib.delete(r);
            } catch (ErrnoException e) {
                // Already gone with its device.
            }
        }
        a.localRoute = a.prefixRoute = null;
    }

    /**
     * ipv6_chk_addr: whether addr is an address of this host (of dev, when given; lo's
     * addresses count for any device as host-local ones).
     */
    public boolean chkAddr(byte[] addr, NetDevice dev) {
        for (NetDevice d : net.devices()) {
            if (dev != null && d != dev && (d.flags & If.IFF_LOOPBACK) == 0) continue;
            Inet6Dev idev = Inet6Dev.of(d);
            if (idev == null) continue;
            for (Inet6Ifaddr a : idev.addresses()) {
                if ((a.flags & IfAddr.IFA_F_TENTATIVE) != 0) continue;
                if (Arrays.equals(a.addr, addr)) return true;
            }
        }
        return false;
    }

    /**
     * ipv6_dev_get_saddr, simplified to its main rules: the destination itself if it is ours;
     * else an address of the outgoing device whose scope covers the destination's, preferring
     * the longest common prefix; else one of any device. Null if none.
     */
    public byte[] selectSaddr(NetDevice dev, byte[] daddr) {
        if (chkAddr(daddr, null)) return daddr;
        int dscope = scope(daddr);
        byte[] best = null;
        int bestMatch = -1;
        for (NetDevice d : net.devices()) {
            if (dev != null && d != dev && best != null) continue;
            Inet6Dev idev = Inet6Dev.of(d);
            if (idev == null) continue;
            for (Inet6Ifaddr a : idev.addresses()) {
                if ((a.flags & (IfAddr.IFA_F_TENTATIVE | IfAddr.IFA_F_DADFAILED)) != 0) continue;
                int s = scope(a.addr);
                if (s > dscope && dscope != 0 && s != IFA_HOST) continue;
                int m = commonPrefix(a.addr, daddr);
                if (d == dev) m += 256;
                if (m > bestMatch) {
                    best = a.addr;
                    bestMatch = m;
                }
            }
        }
        return best;
    }

    private static int commonPrefix(byte[] a, byte[] b) {
        int n = 0;
        for (int i = 0; i < 16; i++) {
            int x = (a[i] ^ b[i]) & 0xff;
            if (x == 0) {
                n += 8;
                continue;
            }
            return n + Integer.numberOfLeadingZeros(x) - 24;
        }
        return n;
    }
}
