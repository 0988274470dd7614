package dev.kava.net.netlink;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.IfAddr;
import dev.kava.abi.Netlink;
import dev.kava.abi.Rtnetlink;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Uaccess;
import dev.kava.net.core.NetDevice;
import dev.kava.net.ipv6.Addrconf;
import dev.kava.net.ipv6.Inet6Dev;
import dev.kava.net.ipv6.Inet6Ifaddr;
import dev.kava.net.ipv6.Ip6Addr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * IPv6 address messages (net/ipv6/addrconf.c): inet6_fill_ifaddr, inet6_dump_ifaddr,
 * inet6_rtm_newaddr and inet6_rtm_deladdr on the stack's own address lists
 * ({@link Addrconf#addConfigured}, {@link Addrconf#delete}), so an address added here is one
 * bind() accepts, with its local and prefix routes.
 */
final class RtnlAddr6 {
    private RtnlAddr6() {}

    /** ifa_ipv6_policy */
    private static final int[] MIN = new int[IfAddr.IFA_MAX + 1];
    private static final boolean[] EXACT = new boolean[IfAddr.IFA_MAX + 1];

    static {
        MIN[IfAddr.IFA_ADDRESS] = 16;
        MIN[IfAddr.IFA_LOCAL] = 16;
        MIN[IfAddr.IFA_CACHEINFO] = IfAddr.IFA_CACHEINFO_SIZE;
        for (int a : new int[]{IfAddr.IFA_FLAGS, IfAddr.IFA_RT_PRIORITY, IfAddr.IFA_TARGET_NETNSID}) {
            MIN[a] = 4;
            EXACT[a] = true;
        }
        MIN[IfAddr.IFA_PROTO] = 1;
        EXACT[IfAddr.IFA_PROTO] = true;
    }

    /** The flags a request may set (inet6_rtm_newaddr: "We ignore other flags so far"). */
    private static final int USER_FLAGS = IfAddr.IFA_F_NODAD | IfAddr.IFA_F_HOMEADDRESS | IfAddr.IFA_F_MANAGETEMPADDR
            | IfAddr.IFA_F_NOPREFIXROUTE | IfAddr.IFA_F_MCAUTOJOIN | IfAddr.IFA_F_OPTIMISTIC;

    /** rt_scope: the RT_SCOPE_* of an IFA_* address scope. */
    static int rtScope(int ifaScope) {
        if ((ifaScope & Addrconf.IFA_HOST) != 0) return Rtnetlink.RT_SCOPE_HOST;
        if ((ifaScope & Addrconf.IFA_LINK) != 0) return Rtnetlink.RT_SCOPE_LINK;
        if ((ifaScope & Addrconf.IFA_SITE) != 0) return Rtnetlink.RT_SCOPE_SITE;
        return Rtnetlink.RT_SCOPE_UNIVERSE;
    }

    /** inet6_fill_ifaddr: IFA_ADDRESS, IFA_RT_PRIORITY, IFA_CACHEINFO, IFA_FLAGS, IFA_PROTO in Linux's order. */
    static byte[] fill(Inet6Ifaddr ifa, int type, int portid, int seq, int flags) {
        NlMsg m = new NlMsg(type, flags, seq, portid);
        int h = m.reserve(IfAddr.IFADDRMSG_SIZE);
        m.put8(h + RtnlAddr4.IFA_FAMILY, Socket.AF_INET6);
        m.put8(h + RtnlAddr4.IFA_PREFIXLEN, ifa.prefixlen);
        m.put8(h + RtnlAddr4.IFA_FLAGS_OFF, ifa.flags & 0xff);
        m.put8(h + RtnlAddr4.IFA_SCOPE, rtScope(ifa.scope));
        m.put32(h + RtnlAddr4.IFA_INDEX, ifa.idev.dev.ifindex);
        m.attr(IfAddr.IFA_ADDRESS, ifa.addr.clone());
        if (ifa.rtPriority != 0) m.u32(IfAddr.IFA_RT_PRIORITY, ifa.rtPriority);
        // put_cacheinfo: a permanent address with an infinite preferred lifetime shows both infinite.
        byte[] ci = new byte[IfAddr.IFA_CACHEINFO_SIZE];
        boolean perm = (ifa.flags & IfAddr.IFA_F_PERMANENT) != 0 && ifa.preferredLft == IfAddr.INFINITY_LIFE_TIME;
        Uaccess.putInt(ci, 0, (int) (perm ? IfAddr.INFINITY_LIFE_TIME : ifa.preferredLft));
        Uaccess.putInt(ci, 4, (int) (perm ? IfAddr.INFINITY_LIFE_TIME : ifa.validLft));
        Uaccess.putInt(ci, 8, (int) ifa.cstamp);
        Uaccess.putInt(ci, 12, (int) ifa.tstamp);
        m.attr(IfAddr.IFA_CACHEINFO, ci);
        m.u32(IfAddr.IFA_FLAGS, ifa.flags);
        if (ifa.proto != 0) m.u8(IfAddr.IFA_PROTO, ifa.proto);
        return m.bytes();
    }

    /**
     * inet6_valid_dump_ifaddr_req: in strict mode a whole ifaddrmsg with no prefix length,
     * flags or scope, an optional device, and no attributes but IFA_TARGET_NETNSID.
     */
    static RtnlAddr4.Filter validateDump(RouteNetlink rn, RouteNetlink.Request r) {
        RtnlAddr4.Filter f = new RtnlAddr4.Filter();
        if (!r.strict()) return f;
        if (r.payloadLen() < IfAddr.IFADDRMSG_SIZE) throw r.fail(Errno.EINVAL, "ipv6: Invalid header for address dump request");
        if (r.u8(RtnlAddr4.IFA_PREFIXLEN) != 0 || r.u8(RtnlAddr4.IFA_FLAGS_OFF) != 0 || r.u8(RtnlAddr4.IFA_SCOPE) != 0) {
            throw r.fail(Errno.EINVAL, "ipv6: Invalid values in header for address dump request");
        }
        f.ifindex = r.u32(RtnlAddr4.IFA_INDEX);
        if (f.ifindex != 0) f.filtered = true;
        NlAttrs a = r.attrs(IfAddr.IFADDRMSG_SIZE, IfAddr.IFA_MAX, MIN, EXACT, true);
        for (int t = 1; t <= IfAddr.IFA_MAX; t++) {
            if (!a.has(t)) continue;
            // Other namespaces' addresses (IFA_TARGET_NETNSID) are not reachable from here.
            if (t == IfAddr.IFA_TARGET_NETNSID) throw ErrnoException.of(Errno.EINVAL);
            throw r.fail(Errno.EINVAL, "ipv6: Unsupported attribute in dump request");
        }
        return f;
    }

    /** inet6_dump_addr for unicast addresses: each device's list (by scope, global first). */
    static List<byte[]> dump(RouteNetlink rn, RouteNetlink.Request r, RtnlAddr4.Filter f) {
        List<byte[]> out = new ArrayList<>();
        rn.net.rtnl.lock();
        try {
            for (NetDevice dev : rn.net.devices()) {
                if (f.ifindex != 0 && dev.ifindex != f.ifindex) continue;
                Inet6Dev idev = Inet6Dev.of(dev);
                if (idev == null) continue;
                for (Inet6Ifaddr ifa : idev.addresses()) {
                    out.add(fill(ifa, Rtnetlink.RTM_NEWADDR, r.src.portid, r.seq, Netlink.NLM_F_MULTI));
                }
            }
        } finally {
            rn.net.rtnl.unlock();
        }
        return out;
    }

    /** extract_addr: IFA_LOCAL if given, else IFA_ADDRESS; null if neither. A different IFA_ADDRESS is a peer. */
    private static byte[] extractAddr(NlAttrs a, boolean[] peer) {
        byte[] pfx = a.has(IfAddr.IFA_ADDRESS) ? Arrays.copyOf(a.bytes(IfAddr.IFA_ADDRESS), 16) : null;
        if (a.has(IfAddr.IFA_LOCAL)) {
            byte[] local = Arrays.copyOf(a.bytes(IfAddr.IFA_LOCAL), 16);
            if (pfx != null && !Arrays.equals(pfx, local)) peer[0] = true;
            pfx = local;
        }
        return pfx;
    }

    /** inet6_rtm_newaddr and inet6_addr_add / ipv6_add_addr's checks. */
    static void newAddr(RouteNetlink rn, RouteNetlink.Request r) {
        if (r.payloadLen() < IfAddr.IFADDRMSG_SIZE) throw ErrnoException.of(Errno.EINVAL);
        NlAttrs a = r.attrs(IfAddr.IFADDRMSG_SIZE, IfAddr.IFA_MAX, MIN, EXACT, false);
        boolean[] peer = new boolean[1];
        byte[] pfx = extractAddr(a, peer);
        if (pfx == null) throw ErrnoException.of(Errno.EINVAL);
        int plen = r.u8(RtnlAddr4.IFA_PREFIXLEN);
        long validLft = IfAddr.INFINITY_LIFE_TIME, preferredLft = IfAddr.INFINITY_LIFE_TIME;
        if (a.has(IfAddr.IFA_CACHEINFO)) {
            byte[] ci = a.bytes(IfAddr.IFA_CACHEINFO);
            preferredLft = Integer.toUnsignedLong(Uaccess.getInt(ci, 0));
            validLft = Integer.toUnsignedLong(Uaccess.getInt(ci, 4));
        }
        rn.net.rtnl.lock();
        try {
            NetDevice dev = rn.net.devByIndex(r.u32(RtnlAddr4.IFA_INDEX));
            if (dev == null) throw r.fail(Errno.ENODEV, "ipv6: Unable to find the interface");
            int flags = (a.has(IfAddr.IFA_FLAGS) ? a.u32(IfAddr.IFA_FLAGS) : r.u8(RtnlAddr4.IFA_FLAGS_OFF)) & USER_FLAGS;
            Inet6Dev idev = Inet6Dev.of(dev);
            if (idev == null) throw ErrnoException.of(Errno.ENOBUFS);
            // ipv6_allow_optimistic_dad: optimistic_dad is 0 by default.
            flags &= ~IfAddr.IFA_F_OPTIMISTIC;
            Inet6Ifaddr existing = null;
            for (Inet6Ifaddr o : idev.addresses()) if (Arrays.equals(o.addr, pfx)) existing = o;
            if (existing != null) {
                if ((r.flags & Netlink.NLM_F_EXCL) != 0 || (r.flags & Netlink.NLM_F_REPLACE) == 0) {
                    throw r.fail(Errno.EEXIST, "ipv6: address already assigned");
                }
                // inet6_addr_modify changes lifetimes, flags and the prefix route's metric in place.
                throw r.fail(Errno.EOPNOTSUPP, "kava: changing an IPv6 address is not supported");
            }
            // inet6_addr_add
            if (plen > 128) throw r.fail(Errno.EINVAL, "ipv6: Invalid prefix length");
            if (validLft == 0 || preferredLft > validLft) throw r.fail(Errno.EINVAL, "ipv6: address lifetime invalid");
            if ((flags & IfAddr.IFA_F_MANAGETEMPADDR) != 0 && plen != 64) {
                throw r.fail(Errno.EINVAL, "ipv6: address with \"mngtmpaddr\" flag must have a prefix length of 64");
            }
            if (idev.disabled) throw r.fail(Errno.EACCES, "ipv6: IPv6 is disabled on this device");
            // Lifetimes need addrconf_verify's timer, peers need point-to-point devices, joins
            // need multicast, temporary addresses need privacy extensions: none is modelled.
            if (validLft != IfAddr.INFINITY_LIFE_TIME || preferredLft != IfAddr.INFINITY_LIFE_TIME) {
                throw r.fail(Errno.EOPNOTSUPP, "kava: finite address lifetimes are not supported");
            }
            if (peer[0] || (flags & (IfAddr.IFA_F_MCAUTOJOIN | IfAddr.IFA_F_MANAGETEMPADDR)) != 0) {
                throw ErrnoException.of(Errno.EOPNOTSUPP);
            }
            // ipv6_add_addr
            int type = Ip6Addr.type(pfx);
            if (type == Ip6Addr.IPV6_ADDR_ANY) throw r.fail(Errno.EADDRNOTAVAIL, "ipv6: Invalid address");
            if ((type & Ip6Addr.IPV6_ADDR_MULTICAST) != 0) {
                throw r.fail(Errno.EADDRNOTAVAIL, "ipv6: Cannot assign multicast address without \"IFA_F_MCAUTOJOIN\" flag");
            }
            if ((dev.flags & If.IFF_LOOPBACK) == 0 && (type & Ip6Addr.IPV6_ADDR_LOOPBACK) != 0) {
                throw r.fail(Errno.EADDRNOTAVAIL, "ipv6: Cannot assign loopback address on this device");
            }
            Inet6Ifaddr ifa = new Inet6Ifaddr(idev, pfx, plen, Addrconf.scope(pfx), flags | IfAddr.IFA_F_PERMANENT);
            if (a.has(IfAddr.IFA_RT_PRIORITY)) ifa.rtPriority = a.u32(IfAddr.IFA_RT_PRIORITY);
            if (a.has(IfAddr.IFA_PROTO)) ifa.proto = a.u8(IfAddr.IFA_PROTO);
            rn.net.ipv6.addrconf.addConfigured(ifa);
        } finally {
            rn.net.rtnl.unlock();
        }
    }

    /** inet6_rtm_deladdr / inet6_addr_del: the address of that value and prefix length on the device. */
    static void delAddr(RouteNetlink rn, RouteNetlink.Request r) {
        if (r.payloadLen() < IfAddr.IFADDRMSG_SIZE) throw ErrnoException.of(Errno.EINVAL);
        NlAttrs a = r.attrs(IfAddr.IFADDRMSG_SIZE, IfAddr.IFA_MAX, MIN, EXACT, false);
        byte[] pfx = extractAddr(a, new boolean[1]);
        if (pfx == null) throw ErrnoException.of(Errno.EINVAL);
        int plen = r.u8(RtnlAddr4.IFA_PREFIXLEN);
        if (plen > 128) throw r.fail(Errno.EINVAL, "ipv6: Invalid prefix length");
        rn.net.rtnl.lock();
        try {
            NetDevice dev = rn.net.devByIndex(r.u32(RtnlAddr4.IFA_INDEX));
            if (dev == null) throw r.fail(Errno.ENODEV, "ipv6: Unable to find the interface");
            Inet6Dev idev = Inet6Dev.of(dev);
            if (idev == null) throw r.fail(Errno.ENXIO, "ipv6: IPv6 is disabled on this device");
            for (Inet6Ifaddr ifa : idev.addresses()) {
                if (ifa.prefixlen == plen && Arrays.equals(ifa.addr, pfx)) {
                    rn.net.ipv6.addrconf.delete(ifa);
                    return;
                }
            }
            throw r.fail(Errno.EADDRNOTAVAIL, "ipv6: address not found");
        } finally {
            rn.net.rtnl.unlock();
        }
    }
}
