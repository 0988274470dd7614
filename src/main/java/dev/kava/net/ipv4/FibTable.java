package dev.kava.net.ipv4;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One routing table (struct fib_table; net/ipv4/fib_trie.c keeps it in an LC-trie). kava
 * keeps the routes in a list ordered for longest-prefix match; tables are small. Guarded by
 * its monitor; lookups hold it only while scanning.
 */
public final class FibTable {
    public final int id;
    /** Longest prefix first, then lowest metric, then insertion order. */
    private final List<FibAlias> routes = new ArrayList<>();

    private static final Comparator<FibAlias> ORDER = Comparator.comparingInt((FibAlias f) -> -f.dstLen())
            .thenComparingInt(f -> f.priority());

    FibTable(int id) {
        this.id = id;
    }

    /** fib_table_insert: false for an exact duplicate (EEXIST); the caller notifies. */
    synchronized boolean insert(FibAlias fa) {
        for (FibAlias r : routes) if (r.sameAs(fa)) return false;
        int i = 0;
        while (i < routes.size() && ORDER.compare(routes.get(i), fa) <= 0) i++;
        routes.add(i, fa);
        return true;
    }

    /** fib_table_delete of one route, by identity. */
    synchronized boolean remove(FibAlias fa) {
        return routes.remove(fa);
    }

    /**
     * The routes matching a delete request as fib_table_delete does: the prefix must match, the
     * other fields only when given (non-zero / non-null in the template).
     */
    synchronized List<FibAlias> findForDelete(int dst, int dstLen, int tos, int type, int protocol, int priority,
                                               int gateway, dev.kava.net.core.NetDevice dev, int prefsrc) {
        List<FibAlias> out = new ArrayList<>();
        for (FibAlias r : routes) {
            if (r.dst() != dst || r.dstLen() != dstLen) continue;
            if (tos != 0 && r.tos() != tos) continue;
            if (type != 0 && r.type() != type) continue;
            if (protocol != 0 && r.protocol() != protocol) continue;
            if (priority != 0 && r.priority() != priority) continue;
            if (gateway != 0 && r.gateway() != gateway) continue;
            if (dev != null && r.dev() != dev) continue;
            if (prefsrc != 0 && r.prefsrc() != prefsrc) continue;
            out.add(r);
        }
        return out;
    }

    /**
     * fib_table_lookup: the longest prefix that covers daddr, whose scope is at least the
     * flow's, whose tos is 0 or the flow's, and whose device is the flow's oif when one is
     * given; null if none.
     */
    synchronized FibAlias lookup(Flow4 fl) {
        for (FibAlias r : routes) {
            if (!r.matches(fl.daddr)) continue;
            if (r.tos() != 0 && r.tos() != (fl.tos & Ip.IPTOS_TOS_MASK)) continue;
            if (r.scope() < fl.scope) continue;
            if (fl.oif != 0 && r.dev() != null && r.dev().ifindex != fl.oif) continue;
            return r;
        }
        return null;
    }

    /** The routes in the order a dump shows them: by destination address, shorter prefixes first (the trie's walk). */
    public synchronized List<FibAlias> dump() {
        List<FibAlias> out = new ArrayList<>(routes);
        out.sort(Comparator.comparingLong((FibAlias f) -> Integer.toUnsignedLong(f.dst())).thenComparingInt(FibAlias::dstLen)
                .thenComparingInt(FibAlias::priority));
        return out;
    }

    /** Removes every route through dev (fib_flush after fib_sync_down_dev); returns them. */
    synchronized List<FibAlias> flushDev(dev.kava.net.core.NetDevice dev) {
        List<FibAlias> gone = new ArrayList<>();
        routes.removeIf(r -> {
            if (r.dev() == dev) {
                gone.add(r);
                return true;
            }
            return false;
        });
        return gone;
    }
}
