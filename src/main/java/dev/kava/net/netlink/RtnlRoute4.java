package dev.kava.net.netlink;

import dev.kava.abi.Errno;
import dev.kava.abi.Netlink;
import dev.kava.abi.Rtnetlink;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.NetDevice;
import dev.kava.net.ipv4.FibAlias;
import dev.kava.net.ipv4.FibTable;
import dev.kava.net.ipv4.Flow4;
import dev.kava.net.ipv4.InDevice;
import dev.kava.net.ipv4.Rtable;

import java.util.ArrayList;
import java.util.List;

/**
 * IPv4 route messages (net/ipv4/fib_frontend.c, fib_semantics.c's fib_dump_info and
 * fib_create_info, route.c's inet_rtm_getroute): dumps of the FIB tables, adding and deleting
 * routes in the stack's own FIB, and route lookups.
 */
final class RtnlRoute4 {
    private RtnlRoute4() {}

    /** rtm_ipv4_policy */
    private static final int[] MIN = new int[Rtnetlink.RTA_MAX + 1];
    private static final boolean[] EXACT = new boolean[Rtnetlink.RTA_MAX + 1];

    static {
        for (int a : new int[]{Rtnetlink.RTA_DST, Rtnetlink.RTA_SRC, Rtnetlink.RTA_IIF, Rtnetlink.RTA_OIF,
                Rtnetlink.RTA_GATEWAY, Rtnetlink.RTA_PRIORITY, Rtnetlink.RTA_PREFSRC, Rtnetlink.RTA_FLOW,
                Rtnetlink.RTA_TABLE, Rtnetlink.RTA_MARK, Rtnetlink.RTA_UID, Rtnetlink.RTA_NH_ID}) {
            MIN[a] = 4;
        }
        MIN[Rtnetlink.RTA_IP_PROTO] = 1;
        MIN[Rtnetlink.RTA_SPORT] = 2;
        MIN[Rtnetlink.RTA_DPORT] = 2;
        MIN[Rtnetlink.RTA_ENCAP_TYPE] = 2;
    }

    /** fib_props[type].scope: the widest scope a route of each type may have (RTN_UNSPEC..RTN_XRESOLVE). */
    private static final int[] PROPS_SCOPE = {Rtnetlink.RT_SCOPE_NOWHERE, Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RT_SCOPE_HOST,
            Rtnetlink.RT_SCOPE_LINK, Rtnetlink.RT_SCOPE_LINK, Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RT_SCOPE_UNIVERSE,
            Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RT_SCOPE_UNIVERSE, Rtnetlink.RT_SCOPE_HOST,
            Rtnetlink.RT_SCOPE_NOWHERE};
    private static final int RTN_MAX = 11;

    /** fib_dump_info: one route as RTM_NEWROUTE (or DELROUTE). */
    static byte[] fill(FibAlias fa, int tableId, int type, int portid, int seq, int flags) {
        NlMsg m = new NlMsg(type, flags, seq, portid);
        int h = m.reserve(Rtnetlink.RTMSG_SIZE);
        m.put8(h + Rtnetlink.RTM_FAMILY, Socket.AF_INET);
        m.put8(h + Rtnetlink.RTM_DST_LEN, fa.dstLen());
        m.put8(h + Rtnetlink.RTM_TOS, fa.tos());
        m.put8(h + Rtnetlink.RTM_TABLE, tableId < 256 ? tableId : Rtnetlink.RT_TABLE_COMPAT);
        m.put8(h + Rtnetlink.RTM_TYPE, fa.type());
        m.put8(h + Rtnetlink.RTM_SCOPE, fa.scope());
        m.put8(h + Rtnetlink.RTM_PROTOCOL, fa.protocol());
        m.u32(Rtnetlink.RTA_TABLE, tableId);
        if (fa.dstLen() != 0) m.in4(Rtnetlink.RTA_DST, fa.dst());
        if (fa.priority() != 0) m.u32(Rtnetlink.RTA_PRIORITY, fa.priority());
        if (fa.prefsrc() != 0) m.in4(Rtnetlink.RTA_PREFSRC, fa.prefsrc());
        int nhflags = 0;
        NetDevice dev = fa.dev();
        if (dev != null && (!dev.isUp() || !dev.carrier)) nhflags |= Rtnetlink.RTNH_F_LINKDOWN;
        if (fa.gateway() != 0) m.in4(Rtnetlink.RTA_GATEWAY, fa.gateway());
        if (dev != null) m.u32(Rtnetlink.RTA_OIF, dev.ifindex);
        m.put32(h + Rtnetlink.RTM_FLAGS, nhflags);
        return m.bytes();
    }

    /** The dump filter of ip_valid_fib_dump_req. */
    static final class Filter {
        int flags, protocol, type, table;
        NetDevice dev;
        boolean filterSet;
    }

    /**
     * ip_valid_fib_dump_req in strict mode (a zeroed rtmsg but for the filter fields, only
     * RTA_TABLE and RTA_OIF), else only rtm_flags is looked at.
     */
    static Filter validateDump(RouteNetlink rn, RouteNetlink.Request r, int family) {
        Filter f = new Filter();
        if (!r.strict()) {
            if (r.payloadLen() >= Rtnetlink.RTMSG_SIZE) f.flags = r.u32(Rtnetlink.RTM_FLAGS) & (Rtnetlink.RTM_F_PREFIX | Rtnetlink.RTM_F_CLONED);
            return f;
        }
        if (r.payloadLen() < Rtnetlink.RTMSG_SIZE) throw r.fail(Errno.EINVAL, "Invalid header for FIB dump request");
        if (r.u8(Rtnetlink.RTM_DST_LEN) != 0 || r.u8(Rtnetlink.RTM_SRC_LEN) != 0 || r.u8(Rtnetlink.RTM_TOS) != 0
                || r.u8(Rtnetlink.RTM_SCOPE) != 0) {
            throw r.fail(Errno.EINVAL, "Invalid values in header for FIB dump request");
        }
        f.flags = r.u32(Rtnetlink.RTM_FLAGS);
        if ((f.flags & ~(Rtnetlink.RTM_F_CLONED | Rtnetlink.RTM_F_PREFIX)) != 0) throw r.fail(Errno.EINVAL, "Invalid flags for FIB dump request");
        f.protocol = r.u8(Rtnetlink.RTM_PROTOCOL);
        f.type = r.u8(Rtnetlink.RTM_TYPE);
        f.table = r.u8(Rtnetlink.RTM_TABLE);
        NlAttrs a = r.attrs(Rtnetlink.RTMSG_SIZE, Rtnetlink.RTA_MAX, MIN, EXACT, true);
        for (int t = 1; t <= Rtnetlink.RTA_MAX; t++) {
            if (!a.has(t)) continue;
            switch (t) {
                case Rtnetlink.RTA_TABLE -> f.table = a.u32(t);
                case Rtnetlink.RTA_OIF -> {
                    f.dev = rn.net.devByIndex(a.u32(t));
                    if (f.dev == null) throw ErrnoException.of(Errno.ENODEV);
                }
                default -> throw r.fail(Errno.EINVAL, "Unsupported attribute in dump request");
            }
        }
        f.filterSet = f.flags != 0 || f.protocol != 0 || f.type != 0 || f.table != 0 || f.dev != null;
        if (f.table != 0 && rn.net.ipv4.fib.table(f.table, false) == null && family == Socket.AF_INET) {
            throw r.fail(Errno.ENOENT, "ipv4: FIB table does not exist");
        }
        return f;
    }

    /** inet_dump_fib: every table in id order (or the one asked for); RTM_F_CLONED asks for the route cache, which is empty. */
    static List<byte[]> dump(RouteNetlink rn, RouteNetlink.Request r, Filter f) {
        List<byte[]> out = new ArrayList<>();
        // IPv4 has no prefix routes to show, and kava keeps no exceptions (learned PMTUs, redirects).
        if ((f.flags & (Rtnetlink.RTM_F_PREFIX | Rtnetlink.RTM_F_CLONED)) != 0) return out;
        rn.net.rtnl.lock();
        try {
            for (FibTable t : rn.net.ipv4.fib.tables()) {
                if (f.table != 0 && t.id != f.table) continue;
                for (FibAlias fa : t.dump()) {
                    if (f.type != 0 && fa.type() != f.type) continue;
                    if (f.protocol != 0 && fa.protocol() != f.protocol) continue;
                    if (f.dev != null && fa.dev() != f.dev) continue;
                    out.add(fill(fa, t.id, Rtnetlink.RTM_NEWROUTE, r.src.portid, r.seq, Netlink.NLM_F_MULTI));
                }
            }
        } finally {
            rn.net.rtnl.unlock();
        }
        return out;
    }

    /** struct fib_config from rtm_to_fib_config. */
    private record Config(int dst, int dstLen, int tos, int table, int protocol, int scope, int type, int oif,
                          int gateway, int priority, int prefsrc) {}

    private static Config toConfig(RouteNetlink rn, RouteNetlink.Request r) {
        if (r.payloadLen() < Rtnetlink.RTMSG_SIZE) throw ErrnoException.of(Errno.EINVAL);
        NlAttrs a = r.attrs(Rtnetlink.RTMSG_SIZE, Rtnetlink.RTA_MAX, MIN, EXACT, false);
        int tos = r.u8(Rtnetlink.RTM_TOS);
        if ((tos & 3) != 0) throw r.fail(Errno.EINVAL, "Invalid dsfield (tos): ECN bits must be 0");
        int type = r.u8(Rtnetlink.RTM_TYPE);
        if (type > RTN_MAX) throw r.fail(Errno.EINVAL, "Invalid route type");
        int table = r.u8(Rtnetlink.RTM_TABLE);
        for (int t : new int[]{Rtnetlink.RTA_METRICS, Rtnetlink.RTA_MULTIPATH, Rtnetlink.RTA_VIA, Rtnetlink.RTA_ENCAP,
                Rtnetlink.RTA_NH_ID, Rtnetlink.RTA_FLOW}) {
            // Metrics, multipath, other-family gateways, encapsulation, nexthop objects and realms are not modelled.
            if (a.has(t)) throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        if (a.has(Rtnetlink.RTA_TABLE)) table = a.u32(Rtnetlink.RTA_TABLE);
        int dstLen = r.u8(Rtnetlink.RTM_DST_LEN);
        return new Config(a.has(Rtnetlink.RTA_DST) ? a.in4(Rtnetlink.RTA_DST) : 0, dstLen, tos, table,
                r.u8(Rtnetlink.RTM_PROTOCOL), r.u8(Rtnetlink.RTM_SCOPE), type,
                a.has(Rtnetlink.RTA_OIF) ? a.u32(Rtnetlink.RTA_OIF) : 0,
                a.has(Rtnetlink.RTA_GATEWAY) ? a.in4(Rtnetlink.RTA_GATEWAY) : 0,
                a.has(Rtnetlink.RTA_PRIORITY) ? a.u32(Rtnetlink.RTA_PRIORITY) : 0,
                a.has(Rtnetlink.RTA_PREFSRC) ? a.in4(Rtnetlink.RTA_PREFSRC) : 0);
    }

    private static void checkPrefix(RouteNetlink.Request r, Config c) {
        if (c.dstLen > 32) throw r.fail(Errno.EINVAL, "Invalid prefix length");
        if (c.dstLen < 32 && (c.dst << c.dstLen) != 0) throw r.fail(Errno.EINVAL, "Invalid prefix for given prefix length");
    }

    /** inet_rtm_newroute: fib_create_info's checks, then fib_table_insert's NLM_F_* rules. */
    static void newRoute(RouteNetlink rn, RouteNetlink.Request r) {
        Config c = toConfig(rn, r);
        rn.net.rtnl.lock();
        try {
            int tableId = c.table == 0 ? Rtnetlink.RT_TABLE_MAIN : c.table;
            checkPrefix(r, c);
            if (PROPS_SCOPE[c.type] > c.scope) throw r.fail(Errno.EINVAL, "Invalid scope");
            NetDevice dev = null;
            boolean errorType = c.type == Rtnetlink.RTN_BLACKHOLE || c.type == Rtnetlink.RTN_UNREACHABLE
                    || c.type == Rtnetlink.RTN_PROHIBIT || c.type == Rtnetlink.RTN_THROW;
            if (errorType) {
                if (c.gateway != 0 || c.oif != 0) throw r.fail(Errno.EINVAL, "Gateway, device and multipath can not be specified for this route type");
            } else if (c.gateway != 0) {
                if (c.scope >= Rtnetlink.RT_SCOPE_LINK) throw r.fail(Errno.EINVAL, "Nexthop has invalid scope");
                Flow4 fl = new Flow4(c.gateway, 0, c.oif, 0, 0);
                fl.scope = c.scope + 1;
                FibAlias res = rn.net.ipv4.fib.lookup(fl);
                if (res == null) throw ErrnoException.of(Errno.ENETUNREACH);
                if (res.type() != Rtnetlink.RTN_UNICAST && res.type() != Rtnetlink.RTN_LOCAL) throw r.fail(Errno.EINVAL, "Nexthop has invalid gateway");
                dev = res.dev();
                if (dev == null) throw ErrnoException.of(Errno.ENODEV);
                if (!dev.isUp()) throw r.fail(Errno.ENETDOWN, "Nexthop device is not up");
            } else {
                dev = rn.net.devByIndex(c.oif);
                if (dev == null || InDevice.of(dev) == null) throw r.fail(Errno.ENODEV, "Device for nexthop is not up");
                if (!dev.isUp()) throw r.fail(Errno.ENETDOWN, "Device for nexthop is not up");
            }
            if (c.prefsrc != 0 && !(c.type == Rtnetlink.RTN_LOCAL && c.dstLen == 32 && c.prefsrc == c.dst)
                    && rn.net.ipv4.fib.addrType(c.prefsrc) != Rtnetlink.RTN_LOCAL) {
                throw r.fail(Errno.EINVAL, "Invalid prefsrc address");
            }
            FibAlias fa = new FibAlias(c.dst, c.dstLen, c.tos, c.type, c.scope, c.protocol, c.priority, c.prefsrc,
                    c.gateway, dev, tableId);
            FibTable t = rn.net.ipv4.fib.table(tableId, false);
            FibAlias same = null;
            if (t != null) {
                for (FibAlias o : t.dump()) {
                    if (o.dst() == c.dst && o.dstLen() == c.dstLen && o.tos() == c.tos && o.priority() == c.priority) {
                        same = o;
                        break;
                    }
                }
            }
            if (same != null) {
                if ((r.flags & Netlink.NLM_F_EXCL) != 0) throw ErrnoException.of(Errno.EEXIST);
                if ((r.flags & Netlink.NLM_F_REPLACE) != 0) {
                    rn.net.ipv4.fib.delete(same);
                    rn.net.ipv4.fib.insert(fa);
                    return;
                }
            }
            if ((r.flags & Netlink.NLM_F_CREATE) == 0) throw ErrnoException.of(Errno.ENOENT);
            rn.net.ipv4.fib.insert(fa);
        } finally {
            rn.net.rtnl.unlock();
        }
    }

    /** inet_rtm_delroute: the first route of the prefix whose given fields match (fib_table_delete). */
    static void delRoute(RouteNetlink rn, RouteNetlink.Request r) {
        Config c = toConfig(rn, r);
        rn.net.rtnl.lock();
        try {
            FibTable t = rn.net.ipv4.fib.table(c.table == 0 ? Rtnetlink.RT_TABLE_MAIN : c.table, false);
            if (t == null) throw r.fail(Errno.ESRCH, "FIB table does not exist");
            checkPrefix(r, c);
            for (FibAlias o : t.dump()) {
                if (o.dst() != c.dst || o.dstLen() != c.dstLen || o.tos() != c.tos) continue;
                if (c.type != 0 && o.type() != c.type) continue;
                if (c.scope != Rtnetlink.RT_SCOPE_NOWHERE && o.scope() != c.scope) continue;
                if (c.prefsrc != 0 && o.prefsrc() != c.prefsrc) continue;
                if (c.protocol != 0 && o.protocol() != c.protocol) continue;
                if (c.priority != 0 && o.priority() != c.priority) continue;
                if (c.oif != 0 && (o.dev() == null || o.dev().ifindex != c.oif)) continue;
                if (c.gateway != 0 && o.gateway() != c.gateway) continue;
                rn.net.ipv4.fib.delete(o);
                return;
            }
            throw r.fail(Errno.ESRCH, "ipv4: Route not found");
        } finally {
            rn.net.rtnl.unlock();
        }
    }

    /**
     * inet_rtm_getroute for an output route (rt_fill_info): the route to RTA_DST from RTA_SRC
     * through RTA_OIF, as the stack would choose it, with the caller's uid. Input-route lookups
     * (RTA_IIF) and RTM_F_FIB_MATCH are not supported.
     */
    static void get(RouteNetlink rn, RouteNetlink.Request r) {
        if (r.payloadLen() < Rtnetlink.RTMSG_SIZE) throw r.fail(Errno.EINVAL, "ipv4: Invalid header for route get request");
        NlAttrs a = r.attrs(Rtnetlink.RTMSG_SIZE, Rtnetlink.RTA_MAX, MIN, EXACT, r.strict());
        int rtmFlags = r.u32(Rtnetlink.RTM_FLAGS);
        if (a.has(Rtnetlink.RTA_IIF) && a.u32(Rtnetlink.RTA_IIF) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        if ((rtmFlags & Rtnetlink.RTM_F_FIB_MATCH) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        int dst = a.has(Rtnetlink.RTA_DST) ? a.in4(Rtnetlink.RTA_DST) : 0;
        int src = a.has(Rtnetlink.RTA_SRC) ? a.in4(Rtnetlink.RTA_SRC) : 0;
        int oif = a.has(Rtnetlink.RTA_OIF) ? a.u32(Rtnetlink.RTA_OIF) : 0;
        int mark = a.has(Rtnetlink.RTA_MARK) ? a.u32(Rtnetlink.RTA_MARK) : 0;
        int uid = a.has(Rtnetlink.RTA_UID) ? a.u32(Rtnetlink.RTA_UID) : r.task.group.cred.uid();
        int tos = r.u8(Rtnetlink.RTM_TOS);
        Flow4 fl = new Flow4(dst, src, oif, tos, a.has(Rtnetlink.RTA_IP_PROTO) ? a.u8(Rtnetlink.RTA_IP_PROTO) : 0);
        fl.mark = mark;
        Rtable rt = dev.kava.net.ipv4.Route.output(rn.net, fl);
        NlMsg m = new NlMsg(Rtnetlink.RTM_NEWROUTE, 0, r.seq, r.src.portid);
        int h = m.reserve(Rtnetlink.RTMSG_SIZE);
        m.put8(h + Rtnetlink.RTM_FAMILY, Socket.AF_INET);
        m.put8(h + Rtnetlink.RTM_DST_LEN, 32);
        m.put8(h + Rtnetlink.RTM_TOS, tos);
        m.put8(h + Rtnetlink.RTM_TABLE, Rtnetlink.RT_TABLE_MAIN);
        m.put8(h + Rtnetlink.RTM_TYPE, rt.type);
        m.put8(h + Rtnetlink.RTM_SCOPE, Rtnetlink.RT_SCOPE_UNIVERSE);
        m.put8(h + Rtnetlink.RTM_PROTOCOL, Rtnetlink.RTPROT_UNSPEC);
        int flags = (rt.flags & ~0xffff) | Rtnetlink.RTM_F_CLONED;
        if ((rtmFlags & Rtnetlink.RTM_F_NOTIFY) != 0) flags |= Rtable.RTCF_NOTIFY;
        m.put32(h + Rtnetlink.RTM_FLAGS, flags);
        m.u32(Rtnetlink.RTA_TABLE, Rtnetlink.RT_TABLE_MAIN);
        m.in4(Rtnetlink.RTA_DST, dst);
        if (src != 0) {
            m.put8(h + Rtnetlink.RTM_SRC_LEN, 32);
            m.in4(Rtnetlink.RTA_SRC, src);
        }
        if (rt.dev != null) m.u32(Rtnetlink.RTA_OIF, rt.dev.ifindex);
        if (fl.saddr != src) m.in4(Rtnetlink.RTA_PREFSRC, fl.saddr);
        if (rt.gateway != 0) m.in4(Rtnetlink.RTA_GATEWAY, rt.gateway);
        if (mark != 0) m.u32(Rtnetlink.RTA_MARK, mark);
        m.u32(Rtnetlink.RTA_UID, uid);
        // rtnl_put_cacheinfo: a route made for this lookup, never used, no expiry, no error.
        m.attr(Rtnetlink.RTA_CACHEINFO, new byte[Rtnetlink.RTA_CACHEINFO_SIZE]);
        rn.unicast(r, m.bytes());
    }
}
