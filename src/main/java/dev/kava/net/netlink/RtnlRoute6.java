package dev.kava.net.netlink;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.Netlink;
import dev.kava.abi.Rtnetlink;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.NetDevice;
import dev.kava.net.ipv6.Inet6Dev;
import dev.kava.net.ipv6.Ip6Addr;
import dev.kava.net.ipv6.Rt6Info;
import dev.kava.net.ipv6.Route6;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * IPv6 route messages (net/ipv6/route.c): rt6_fill_node, inet6_dump_fib, inet6_rtm_newroute,
 * inet6_rtm_delroute and inet6_rtm_getroute on the stack's own tables ({@link dev.kava.net.ipv6.Ip6Fib}).
 */
final class RtnlRoute6 {
    private RtnlRoute6() {}

    /** rtm_ipv6_policy */
    private static final int[] MIN = new int[Rtnetlink.RTA_MAX + 1];
    private static final boolean[] EXACT = new boolean[Rtnetlink.RTA_MAX + 1];

    static {
        MIN[Rtnetlink.RTA_GATEWAY] = 16;
        MIN[Rtnetlink.RTA_PREFSRC] = 16;
        for (int a : new int[]{Rtnetlink.RTA_IIF, Rtnetlink.RTA_OIF, Rtnetlink.RTA_PRIORITY, Rtnetlink.RTA_TABLE,
                Rtnetlink.RTA_MARK, Rtnetlink.RTA_UID, Rtnetlink.RTA_EXPIRES, Rtnetlink.RTA_NH_ID}) {
            MIN[a] = 4;
        }
        MIN[Rtnetlink.RTA_PREF] = 1;
        MIN[Rtnetlink.RTA_IP_PROTO] = 1;
        MIN[Rtnetlink.RTA_SPORT] = 2;
        MIN[Rtnetlink.RTA_DPORT] = 2;
        MIN[Rtnetlink.RTA_ENCAP_TYPE] = 2;
    }

    private static final int RTN_MAX = 11;

    /** The routing tables IPv6 always has (fib6_tables_init). */
    private static boolean tableExists(RouteNetlink rn, int id) {
        return id == Rtnetlink.RT_TABLE_MAIN || id == Rtnetlink.RT_TABLE_LOCAL || rn.net.ipv6.fib.tableIds().contains(id);
    }

    /**
     * rt6_fill_node: a table entry (dst null) or the route a lookup chose for dst from src.
     * Attributes in Linux's order: RTA_TABLE, RTA_DST, RTA_SRC, RTA_PREFSRC, RTA_PRIORITY,
     * RTA_GATEWAY, RTA_OIF, RTA_CACHEINFO, RTA_PREF. No metrics are set, so no RTA_METRICS.
     */
    static byte[] fill(Rt6Info rt, byte[] dst, byte[] src, int type, int portid, int seq, int flags) {
        Rt6Info entry = rt.from != null ? rt.from : rt;
        NlMsg m = new NlMsg(type, flags, seq, portid);
        int h = m.reserve(Rtnetlink.RTMSG_SIZE);
        m.put8(h + Rtnetlink.RTM_FAMILY, Socket.AF_INET6);
        m.put8(h + Rtnetlink.RTM_DST_LEN, dst != null ? 128 : entry.dstLen);
        m.put8(h + Rtnetlink.RTM_TABLE, entry.table < 256 ? entry.table : Rtnetlink.RT_TABLE_COMPAT);
        m.put8(h + Rtnetlink.RTM_TYPE, entry.type);
        m.put8(h + Rtnetlink.RTM_SCOPE, Rtnetlink.RT_SCOPE_UNIVERSE);
        m.put8(h + Rtnetlink.RTM_PROTOCOL, entry.protocol);
        m.u32(Rtnetlink.RTA_TABLE, entry.table);
        if (dst != null) m.attr(Rtnetlink.RTA_DST, dst.clone());
        else if (entry.dstLen != 0) m.attr(Rtnetlink.RTA_DST, entry.dst.clone());
        if (src != null) {
            // CONFIG_IPV6_SUBTREES: the lookup's source, 128 bits.
            m.put8(h + Rtnetlink.RTM_SRC_LEN, 128);
            m.attr(Rtnetlink.RTA_SRC, src.clone());
        }
        if (dst != null && rt.src != null) m.attr(Rtnetlink.RTA_PREFSRC, rt.src.clone());
        else if (entry.prefsrc != null) m.attr(Rtnetlink.RTA_PREFSRC, entry.prefsrc.clone());
        m.u32(Rtnetlink.RTA_PRIORITY, entry.metric);
        int nhflags = 0;
        NetDevice dev = rt.dev;
        if (dst == null && dev != null && (!dev.isUp() || !dev.carrier)) nhflags |= Rtnetlink.RTNH_F_LINKDOWN;
        if (entry.gateway != null) m.attr(Rtnetlink.RTA_GATEWAY, entry.gateway.clone());
        if (dev != null) m.u32(Rtnetlink.RTA_OIF, dev.ifindex);
        m.put32(h + Rtnetlink.RTM_FLAGS, nhflags);
        // rtnl_put_cacheinfo: no expiry, no error, no use counted.
        m.attr(Rtnetlink.RTA_CACHEINFO, new byte[Rtnetlink.RTA_CACHEINFO_SIZE]);
        m.u8(Rtnetlink.RTA_PREF, 0); // ICMPV6_ROUTER_PREF_MEDIUM
        return m.bytes();
    }

    /**
     * inet6_dump_fib: the tables in fib6 hash order (by id modulo 256, so main before local),
     * each in its tree's walk order. RTM_F_CLONED asks for exceptions and RTM_F_PREFIX for
     * prefix-information routes; kava has neither.
     */
    static List<byte[]> dump(RouteNetlink rn, RouteNetlink.Request r, RtnlRoute4.Filter f, int family) {
        List<byte[]> out = new ArrayList<>();
        if (f.table != 0 && !tableExists(rn, f.table)) {
            if (family != Socket.AF_INET6) return out;
            throw r.fail(Errno.ENOENT, "ipv6: FIB table does not exist");
        }
        if ((f.flags & (Rtnetlink.RTM_F_PREFIX | Rtnetlink.RTM_F_CLONED)) != 0) return out;
        rn.net.rtnl.lock();
        try {
            List<Integer> ids = new ArrayList<>(rn.net.ipv6.fib.tableIds());
            ids.sort((a, b) -> a % 256 != b % 256 ? Integer.compare(a % 256, b % 256) : Integer.compare(a, b));
            for (int id : ids) {
                if (f.table != 0 && id != f.table) continue;
                for (Rt6Info rt : rn.net.ipv6.fib.dump(id)) {
                    if (f.type != 0 && rt.type != f.type) continue;
                    if (f.protocol != 0 && rt.protocol != f.protocol) continue;
                    if (f.dev != null && rt.dev != f.dev) continue;
                    out.add(fill(rt, null, null, Rtnetlink.RTM_NEWROUTE, r.src.portid, r.seq, Netlink.NLM_F_MULTI));
                }
            }
        } finally {
            rn.net.rtnl.unlock();
        }
        return out;
    }

    /** struct fib6_config from rtm_to_fib6_config. */
    private record Config(byte[] dst, int dstLen, int srcLen, int table, int protocol, int type, int oif,
                          byte[] gateway, int metric, byte[] prefsrc, int rtmFlags) {}

    private static Config toConfig(RouteNetlink.Request r) {
        if (r.payloadLen() < Rtnetlink.RTMSG_SIZE) throw ErrnoException.of(Errno.EINVAL);
        NlAttrs a = r.attrs(Rtnetlink.RTMSG_SIZE, Rtnetlink.RTA_MAX, MIN, EXACT, false);
        if (a.has(Rtnetlink.RTA_VIA)) throw r.fail(Errno.EINVAL, "IPv6 does not support RTA_VIA attribute");
        int dstLen = r.u8(Rtnetlink.RTM_DST_LEN);
        byte[] dst = new byte[16];
        if (a.has(Rtnetlink.RTA_DST)) {
            int plen = (dstLen + 7) >> 3;
            if (a.length(Rtnetlink.RTA_DST) < plen) throw ErrnoException.of(Errno.EINVAL);
            System.arraycopy(a.bytes(Rtnetlink.RTA_DST), 0, dst, 0, Math.min(plen, 16));
        }
        if (a.has(Rtnetlink.RTA_SRC) && a.length(Rtnetlink.RTA_SRC) < ((r.u8(Rtnetlink.RTM_SRC_LEN) + 7) >> 3)) {
            throw ErrnoException.of(Errno.EINVAL);
        }
        for (int t : new int[]{Rtnetlink.RTA_METRICS, Rtnetlink.RTA_MULTIPATH, Rtnetlink.RTA_ENCAP, Rtnetlink.RTA_NH_ID,
                Rtnetlink.RTA_EXPIRES}) {
            // Metrics, multipath, encapsulation, nexthop objects and expiring routes are not modelled.
            if (a.has(t)) throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        if (a.has(Rtnetlink.RTA_PREF)) {
            int pref = a.u8(Rtnetlink.RTA_PREF);
            // ICMPV6_ROUTER_PREF_LOW (3) and _HIGH (1) would need router preference in lookups.
            if (pref == 1 || pref == 3) throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        int table = r.u8(Rtnetlink.RTM_TABLE);
        if (a.has(Rtnetlink.RTA_TABLE)) table = a.u32(Rtnetlink.RTA_TABLE);
        return new Config(dst, dstLen, r.u8(Rtnetlink.RTM_SRC_LEN), table == 0 ? Rtnetlink.RT_TABLE_MAIN : table,
                r.u8(Rtnetlink.RTM_PROTOCOL), r.u8(Rtnetlink.RTM_TYPE),
                a.has(Rtnetlink.RTA_OIF) ? a.u32(Rtnetlink.RTA_OIF) : 0,
                a.has(Rtnetlink.RTA_GATEWAY) ? Arrays.copyOf(a.bytes(Rtnetlink.RTA_GATEWAY), 16) : null,
                a.has(Rtnetlink.RTA_PRIORITY) ? a.u32(Rtnetlink.RTA_PRIORITY) : 0,
                a.has(Rtnetlink.RTA_PREFSRC) ? Arrays.copyOf(a.bytes(Rtnetlink.RTA_PREFSRC), 16) : null,
                r.u32(Rtnetlink.RTM_FLAGS));
    }

    /** inet6_rtm_newroute: ip6_route_info_create's checks, fib6_nh_init's device, fib6_add_rt2node's NLM_F_* rules. */
    static void newRoute(RouteNetlink rn, RouteNetlink.Request r) {
        Config c = toConfig(r);
        if ((c.rtmFlags & Rtnetlink.RTM_F_CLONED) != 0) throw r.fail(Errno.EINVAL, "Userspace can not set RTF_CACHE");
        if (c.type > RTN_MAX) throw r.fail(Errno.EINVAL, "Invalid route type");
        if (c.dstLen > 128) throw r.fail(Errno.EINVAL, "Invalid prefix length");
        if (c.srcLen > 128) throw r.fail(Errno.EINVAL, "Invalid source address length");
        // Source-specific routes (CONFIG_IPV6_SUBTREES) are not modelled.
        if (c.srcLen != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        int metric = c.metric == 0 ? Rtnetlink.IP6_RT_PRIO_USER : c.metric;
        int type = c.type == 0 ? Rtnetlink.RTN_UNICAST : c.type;
        boolean reject = type == Rtnetlink.RTN_BLACKHOLE || type == Rtnetlink.RTN_UNREACHABLE || type == Rtnetlink.RTN_PROHIBIT;
        // RTN_THROW would need the rules to go on to the next table; other types are IPv4's.
        if (type == Rtnetlink.RTN_THROW) throw ErrnoException.of(Errno.EOPNOTSUPP);
        if (type != Rtnetlink.RTN_UNICAST && type != Rtnetlink.RTN_LOCAL && !reject) throw ErrnoException.of(Errno.EINVAL);
        rn.net.rtnl.lock();
        try {
            NetDevice dev = null;
            if (c.oif != 0) {
                dev = rn.net.devByIndex(c.oif);
                if (dev == null) throw ErrnoException.of(Errno.ENODEV);
                if (Inet6Dev.of(dev) == null) throw ErrnoException.of(Errno.ENODEV);
            }
            if (reject) {
                // fib6_nh_init: a reject route hangs off the loopback device.
                dev = rn.net.loopback;
            } else if (c.gateway != null) {
                dev = validateGateway(rn, r, c.gateway, dev, c.oif);
            }
            if (dev == null) throw ErrnoException.of(Errno.ENODEV);
            if (!dev.isUp()) throw r.fail(Errno.ENETDOWN, "Nexthop device is not up");
            if (c.prefsrc != null && !rn.net.ipv6.addrconf.chkAddr(c.prefsrc, dev)) {
                throw r.fail(Errno.EINVAL, "Invalid source address");
            }
            byte[] prefix = Ip6Addr.prefix(c.dst, c.dstLen);
            Rt6Info rt = new Rt6Info(dev, prefix, c.dstLen, type, reject ? null : c.gateway, c.protocol, metric, c.table,
                    c.prefsrc, rn.net.ipv6.out);
            List<Rt6Info> same = rn.net.ipv6.fib.find(c.table, prefix, c.dstLen, null, null, metric);
            if (!same.isEmpty()) {
                if ((r.flags & Netlink.NLM_F_EXCL) != 0) throw ErrnoException.of(Errno.EEXIST);
                if ((r.flags & Netlink.NLM_F_REPLACE) != 0) {
                    rn.net.ipv6.fib.delete(same.get(0));
                    rn.net.ipv6.fib.insert(rt);
                    return;
                }
            } else if ((r.flags & Netlink.NLM_F_CREATE) == 0 && (r.flags & Netlink.NLM_F_REPLACE) != 0) {
                throw ErrnoException.of(Errno.ENOENT);
            }
            rn.net.ipv6.fib.insert(rt);
        } finally {
            rn.net.rtnl.unlock();
        }
    }

    /**
     * ip6_validate_gw: a local gateway is refused (checked first when the device is given); a
     * gateway that is not link-local must be reachable directly (ip6_route_check_nh: a route
     * without a gateway, not a reject route, through the device given if any), which also
     * chooses the device; the device may not be lo. Returns the egress device.
     */
    private static NetDevice validateGateway(RouteNetlink rn, RouteNetlink.Request r, byte[] gw, NetDevice dev, int oif) {
        if (dev != null && rn.net.ipv6.addrconf.chkAddr(gw, dev)) throw r.fail(Errno.EINVAL, "Gateway can not be a local address");
        boolean addrCheck = dev == null;
        int gt = Ip6Addr.type(gw);
        if (gt != (Ip6Addr.IPV6_ADDR_LINKLOCAL | Ip6Addr.IPV6_ADDR_UNICAST)) {
            if ((gt & (Ip6Addr.IPV6_ADDR_UNICAST | Ip6Addr.IPV6_ADDR_MAPPED)) == 0) throw r.fail(Errno.EINVAL, "Invalid gateway address");
            Rt6Info nh = rn.net.ipv6.fib.lookup(gw, oif);
            // A route through lo to a non-loopback prefix is a reject route (fib6_is_reject).
            boolean rejectRoute = nh != null && (isReject(nh.type) || !nh.isLocal() && nh.dev != null
                    && (nh.dev.flags & If.IFF_LOOPBACK) != 0 && (Ip6Addr.type(nh.dst) & Ip6Addr.IPV6_ADDR_LOOPBACK) == 0);
            if (nh == null || nh.gateway != null || rejectRoute) throw ErrnoException.of(Errno.EHOSTUNREACH);
            if (dev != null && dev != nh.dev) throw ErrnoException.of(Errno.EHOSTUNREACH);
            dev = nh.dev;
        }
        if (dev == null) throw r.fail(Errno.EINVAL, "Egress device not specified");
        if ((dev.flags & If.IFF_LOOPBACK) != 0) throw r.fail(Errno.EINVAL, "Egress device can not be loopback device for this route");
        if (addrCheck && rn.net.ipv6.addrconf.chkAddr(gw, dev)) throw r.fail(Errno.EINVAL, "Gateway can not be a local address");
        return dev;
    }

    static boolean isReject(int type) {
        return type == Rtnetlink.RTN_BLACKHOLE || type == Rtnetlink.RTN_UNREACHABLE || type == Rtnetlink.RTN_PROHIBIT;
    }

    /** inet6_rtm_delroute / ip6_route_del: the first route of the prefix whose given device, gateway, metric and protocol match. */
    static void delRoute(RouteNetlink rn, RouteNetlink.Request r) {
        Config c = toConfig(r);
        if (c.dstLen > 128 || c.srcLen > 128) throw ErrnoException.of(Errno.EINVAL);
        rn.net.rtnl.lock();
        try {
            if (!tableExists(rn, c.table)) throw r.fail(Errno.ESRCH, "FIB table does not exist");
            for (Rt6Info o : rn.net.ipv6.fib.find(c.table, Ip6Addr.prefix(c.dst, c.dstLen), c.dstLen, null, c.gateway, c.metric)) {
                if (c.oif != 0 && (o.dev == null || o.dev.ifindex != c.oif)) continue;
                if (c.protocol != 0 && o.protocol != c.protocol) continue;
                rn.net.ipv6.fib.delete(o);
                return;
            }
            throw ErrnoException.of(Errno.ESRCH);
        } finally {
            rn.net.rtnl.unlock();
        }
    }

    /**
     * inet6_rtm_getroute for an output route: the route to RTA_DST from RTA_SRC through RTA_OIF
     * as the stack chooses it; with RTM_F_FIB_MATCH the table entry instead. Input-route
     * lookups (RTA_IIF) are not supported.
     */
    static void get(RouteNetlink rn, RouteNetlink.Request r) {
        if (r.payloadLen() < Rtnetlink.RTMSG_SIZE) throw r.fail(Errno.EINVAL, "ipv6: Invalid header for get route request");
        NlAttrs a = r.attrs(Rtnetlink.RTMSG_SIZE, Rtnetlink.RTA_MAX, MIN, EXACT, r.strict());
        int rtmFlags = r.u32(Rtnetlink.RTM_FLAGS);
        if (a.has(Rtnetlink.RTA_IIF) && a.u32(Rtnetlink.RTA_IIF) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        byte[] src = new byte[16], dst = new byte[16];
        for (int t : new int[]{Rtnetlink.RTA_SRC, Rtnetlink.RTA_DST}) {
            if (!a.has(t)) continue;
            if (a.length(t) < 16) throw ErrnoException.of(Errno.EINVAL);
            System.arraycopy(a.bytes(t), 0, t == Rtnetlink.RTA_SRC ? src : dst, 0, 16);
        }
        int oif = a.has(Rtnetlink.RTA_OIF) ? a.u32(Rtnetlink.RTA_OIF) : 0;
        Rt6Info rt;
        rn.net.rtnl.lock();
        try {
            rt = Route6.output(rn.net, dst, Ip6Addr.isAny(src) ? null : src, oif, false);
        } finally {
            rn.net.rtnl.unlock();
        }
        byte[] m = (rtmFlags & Rtnetlink.RTM_F_FIB_MATCH) != 0
                ? fill(rt.from, null, null, Rtnetlink.RTM_NEWROUTE, r.src.portid, r.seq, 0)
                : fill(rt, dst, src, Rtnetlink.RTM_NEWROUTE, r.src.portid, r.seq, 0);
        rn.unicast(r, m);
    }
}
