package dev.kava.net.ipv6;

import dev.kava.abi.Errno;
import dev.kava.abi.Rtnetlink;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Net;
import dev.kava.net.core.NetDevice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A namespace's IPv6 routing tables (net/ipv6/ip6_fib.c keeps a radix tree; kava a list per
 * table in longest-prefix order): local (255) first, then main (254). Changes under RTNL, told
 * to the RtnlListeners.
 */
public final class Ip6Fib {
    private final Net net;
    private final Map<Integer, List<Rt6Info>> tables = new TreeMap<>();

    Ip6Fib(Net net) {
        this.net = net;
    }

    private static final Comparator<Rt6Info> ORDER = Comparator.comparingInt((Rt6Info r) -> -r.dstLen).thenComparingInt(r -> r.metric);

    /** fib6_add: EEXIST for the same prefix, device, gateway and metric. */
    public void insert(Rt6Info rt) {
        synchronized (this) {
            List<Rt6Info> l = tables.computeIfAbsent(rt.table, k -> new ArrayList<>());
            for (Rt6Info r : l) {
                if (r.dstLen == rt.dstLen && Arrays.equals(r.dst, rt.dst) && r.dev == rt.dev && r.metric == rt.metric
                        && Arrays.equals(r.gateway, rt.gateway)) {
                    throw ErrnoException.of(Errno.EEXIST);
                }
            }
            int i = 0;
            while (i < l.size() && ORDER.compare(l.get(i), rt) <= 0) i++;
            l.add(i, rt);
        }
        net.notifyRoute6(rt, false);
    }

    /** fib6_del: ESRCH if absent. */
    public void delete(Rt6Info rt) {
        synchronized (this) {
            List<Rt6Info> l = tables.get(rt.table);
            if (l == null || !l.remove(rt)) throw ErrnoException.of(Errno.ESRCH);
        }
        net.notifyRoute6(rt, true);
    }

    /** rt6_sync_down_dev / rt6_disable_ip: every route through dev goes. */
    void flushDev(NetDevice dev) {
        List<Rt6Info> gone = new ArrayList<>();
        synchronized (this) {
            for (List<Rt6Info> l : tables.values()) {
                l.removeIf(r -> {
                    if (r.dev == dev) {
                        gone.add(r);
                        return true;
                    }
                    return false;
                });
            }
        }
        for (Rt6Info r : gone) net.notifyRoute6(r, true);
    }

    /** fib6_rule_lookup with the default rules: the longest prefix in local, then in main. */
    public synchronized Rt6Info lookup(byte[] daddr, int oif) {
        for (int id : new int[]{Rtnetlink.RT_TABLE_LOCAL, Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RT_TABLE_DEFAULT}) {
            List<Rt6Info> l = tables.get(id);
            if (l == null) continue;
            for (Rt6Info r : l) {
                if (!r.matches(daddr)) continue;
                if (oif != 0 && r.dev != null && r.dev.ifindex != oif && !r.isLocal()) continue;
                return r;
            }
        }
        return null;
    }

    /**
     * A table's routes in fib6_walk's order over the radix tree: a node's subtrees (the 0 branch,
     * then the 1 branch) before its own routes, so a more specific prefix comes before the one
     * containing it; routes of one prefix by metric.
     */
    public synchronized List<Rt6Info> dump(int table) {
        List<Rt6Info> l = new ArrayList<>(tables.getOrDefault(table, List.of()));
        l.sort(WALK_ORDER);
        return l;
    }

    private static final Comparator<Rt6Info> WALK_ORDER = (a, b) -> {
        int common = Math.min(a.dstLen, b.dstLen);
        for (int bit = 0; bit < common; bit++) {
            int x = (a.dst[bit >> 3] >> (7 - (bit & 7))) & 1, y = (b.dst[bit >> 3] >> (7 - (bit & 7))) & 1;
            if (x != y) return Integer.compare(x, y);
        }
        if (a.dstLen != b.dstLen) return Integer.compare(b.dstLen, a.dstLen);
        return Integer.compare(a.metric, b.metric);
    };

    /** The table ids that exist. */
    public synchronized List<Integer> tableIds() {
        return new ArrayList<>(tables.keySet());
    }

    /** Routes of a table matching a template (for netlink's RTM_DELROUTE): prefix required, the rest when given. */
    public synchronized List<Rt6Info> find(int table, byte[] dst, int dstLen, NetDevice dev, byte[] gateway, int metric) {
        List<Rt6Info> out = new ArrayList<>();
        for (Rt6Info r : tables.getOrDefault(table, List.of())) {
            if (r.dstLen != dstLen || !Arrays.equals(r.dst, dst)) continue;
            if (dev != null && r.dev != dev) continue;
            if (gateway != null && !Arrays.equals(r.gateway, gateway)) continue;
            if (metric != 0 && r.metric != metric) continue;
            out.add(r);
        }
        return out;
    }
}
