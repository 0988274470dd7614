package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.IfAddr;
import dev.kava.abi.Rtnetlink;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Net;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.NetdevEvent;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A namespace's IPv4 forwarding information base (net/ipv4/fib_frontend.c with the default
 * rules of fib_rules.c): the local table (255) consulted first, then main (254), then default
 * (253). The kernel keeps the routes of each address ({@link #addIfaddr}: fib_add_ifaddr) and
 * drops the routes of a device that goes down; netlink adds and deletes the rest with
 * {@link #insert} and {@link #delete}, under RTNL. Every change is told to the namespace's
 * RtnlListeners.
 */
public final class Fib {
    private final Net net;
    private final Map<Integer, FibTable> tables = new TreeMap<>();
    public final FibTable local, main;

    Fib(Net net) {
        this.net = net;
        this.local = table(Rtnetlink.RT_TABLE_LOCAL, true);
        this.main = table(Rtnetlink.RT_TABLE_MAIN, true);
    }

    /** fib_get_table / fib_new_table */
    public synchronized FibTable table(int id, boolean create) {
        FibTable t = tables.get(id);
        if (t == null && create) {
            t = new FibTable(id);
            tables.put(id, t);
        }
        return t;
    }

    /** The tables that exist, by id. */
    public synchronized List<FibTable> tables() {
        return List.copyOf(tables.values());
    }

    /**
     * fib_lookup with the default rules: local, main, default. Unreachable, prohibit and
     * blackhole routes end the lookup with their errors (EHOSTUNREACH, EACCES, EINVAL); a
     * throw route moves on to the next table. Returns null if nothing matches.
     */
    public FibAlias lookup(Flow4 fl) {
        int[] order = {Rtnetlink.RT_TABLE_LOCAL, Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RT_TABLE_DEFAULT};
        for (int id : order) {
            FibTable t = table(id, false);
            if (t == null) continue;
            FibAlias r = t.lookup(fl);
            if (r == null) continue;
            switch (r.type()) {
                case Rtnetlink.RTN_THROW -> { continue; }
                case Rtnetlink.RTN_UNREACHABLE -> throw ErrnoException.of(Errno.EHOSTUNREACH);
                case Rtnetlink.RTN_PROHIBIT -> throw ErrnoException.of(Errno.EACCES);
                case Rtnetlink.RTN_BLACKHOLE -> throw ErrnoException.of(Errno.EINVAL);
                default -> { return r; }
            }
        }
        return null;
    }

    /** inet_addr_type_table on the local table: RTN_LOCAL, RTN_BROADCAST, RTN_MULTICAST, or RTN_UNICAST for the rest. */
    public int addrType(int addr) {
        if (Ip.isZeronet(addr) || Ip.isLbcast(addr)) return Rtnetlink.RTN_BROADCAST;
        if (Ip.isMulticast(addr)) return Rtnetlink.RTN_MULTICAST;
        Flow4 fl = new Flow4(addr, 0, 0, 0, 0);
        FibAlias r = local.lookup(fl);
        return r != null && (r.type() == Rtnetlink.RTN_LOCAL || r.type() == Rtnetlink.RTN_BROADCAST)
                ? r.type() : Rtnetlink.RTN_UNICAST;
    }

    /** inet_addr_type_dev_table: the type as seen from dev (its local routes only). */
    public int addrTypeDev(NetDevice dev, int addr) {
        if (Ip.isZeronet(addr) || Ip.isLbcast(addr)) return Rtnetlink.RTN_BROADCAST;
        if (Ip.isMulticast(addr)) return Rtnetlink.RTN_MULTICAST;
        Flow4 fl = new Flow4(addr, 0, dev == null ? 0 : dev.ifindex, 0, 0);
        FibAlias r = local.lookup(fl);
        return r != null ? r.type() : Rtnetlink.RTN_UNICAST;
    }

    /** fib_table_insert and rtmsg_fib: EEXIST for a duplicate. Call with RTNL held. */
    public void insert(FibAlias fa) {
        FibTable t = table(fa.table(), true);
        if (!t.insert(fa)) throw ErrnoException.of(Errno.EEXIST);
        net.notifyRoute4(fa.table(), fa, false);
    }

    /** fib_table_delete of one route; ESRCH if it is not there. Call with RTNL held. */
    public void delete(FibAlias fa) {
        FibTable t = table(fa.table(), false);
        if (t == null || !t.remove(fa)) throw ErrnoException.of(Errno.ESRCH);
        net.notifyRoute4(fa.table(), fa, true);
    }

    /** fib_magic: a kernel route for an address (proto kernel, via its device, preferred source the address). */
    private void magic(boolean add, int type, int dst, int dstLen, InIfaddr prim) {
        int tableId = type == Rtnetlink.RTN_UNICAST ? Rtnetlink.RT_TABLE_MAIN : Rtnetlink.RT_TABLE_LOCAL;
        int scope = type != Rtnetlink.RTN_LOCAL ? Rtnetlink.RT_SCOPE_LINK : Rtnetlink.RT_SCOPE_HOST;
        FibAlias fa = new FibAlias(dst, dstLen, 0, type, scope, Rtnetlink.RTPROT_KERNEL, prim.rtPriority, prim.local,
                0, prim.dev.dev, tableId);
        FibTable t = table(tableId, true);
        if (add) {
            if (t.insert(fa)) net.notifyRoute4(tableId, fa, false);
        } else {
            for (FibAlias r : t.findForDelete(dst, dstLen, 0, type, Rtnetlink.RTPROT_KERNEL, 0, 0, prim.dev.dev, prim.local)) {
                if (t.remove(r)) net.notifyRoute4(tableId, r, true);
            }
        }
    }

    /**
     * fib_add_ifaddr: the address's local route; and once the device is up, the explicit
     * broadcast, the prefix route (local on a loopback device, else a unicast route in main)
     * and the prefix's broadcast address for prefixes shorter than /31.
     */
    void addIfaddr(InIfaddr ifa) {
        InIfaddr prim = ifa;
        int mask = ifa.mask, addr = ifa.local, prefix = ifa.address & mask;
        if ((ifa.flags & IfAddr.IFA_F_SECONDARY) != 0) {
            prim = ifa.dev.byPrefix(prefix, mask);
            if (prim == null) return;
        }
        magic(true, Rtnetlink.RTN_LOCAL, addr, 32, prim);
        NetDevice dev = ifa.dev.dev;
        if ((dev.flags & If.IFF_UP) == 0) return;
        if (ifa.broadcast != 0 && ifa.broadcast != 0xffffffff) magic(true, Rtnetlink.RTN_BROADCAST, ifa.broadcast, 32, prim);
        if (!Ip.isZeronet(prefix) && (ifa.flags & IfAddr.IFA_F_SECONDARY) == 0 && (prefix != addr || ifa.prefixlen < 32)) {
            if ((ifa.flags & IfAddr.IFA_F_NOPREFIXROUTE) == 0) {
                magic(true, (dev.flags & If.IFF_LOOPBACK) != 0 ? Rtnetlink.RTN_LOCAL : Rtnetlink.RTN_UNICAST,
                        prefix, ifa.prefixlen, prim);
            }
            if (ifa.prefixlen < 31) magic(true, Rtnetlink.RTN_BROADCAST, prefix | ~mask, 32, prim);
        }
    }

    /**
     * fib_del_ifaddr: the routes the address brought, unless another address of the device still
     * needs them (the local and broadcast routes of an address two entries share stay).
     */
    void delIfaddr(InIfaddr ifa) {
        InDevice in = ifa.dev;
        NetDevice dev = in.dev;
        int mask = ifa.mask, prefix = ifa.address & mask;
        InIfaddr prim = ifa;
        if ((ifa.flags & IfAddr.IFA_F_SECONDARY) != 0) {
            prim = in.byPrefix(prefix, mask);
            if (prim == null) prim = ifa;
        } else if (!Ip.isZeronet(prefix) && (prefix != ifa.local || ifa.prefixlen < 32)) {
            if ((ifa.flags & IfAddr.IFA_F_NOPREFIXROUTE) == 0) {
                magic(false, (dev.flags & If.IFF_LOOPBACK) != 0 ? Rtnetlink.RTN_LOCAL : Rtnetlink.RTN_UNICAST,
                        prefix, ifa.prefixlen, prim);
            }
        }
        boolean localStill = false, brdStill = false, netBrdStill = false;
        int netBrd = prefix | ~mask;
        for (InIfaddr o : in.addresses()) {
            if (o == ifa) continue;
            if (o.local == ifa.local) localStill = true;
            if (o.broadcast == ifa.broadcast && ifa.broadcast != 0) brdStill = true;
            if ((o.address & o.mask) == prefix && o.mask == mask) netBrdStill = true;
        }
        if (!brdStill && ifa.broadcast != 0 && ifa.broadcast != 0xffffffff) magic(false, Rtnetlink.RTN_BROADCAST, ifa.broadcast, 32, prim);
        if (!netBrdStill && ifa.prefixlen < 31 && (ifa.flags & IfAddr.IFA_F_SECONDARY) == 0) {
            magic(false, Rtnetlink.RTN_BROADCAST, netBrd, 32, prim);
        }
        if (!localStill) magic(false, Rtnetlink.RTN_LOCAL, ifa.local, 32, prim);
    }

    /** fib_netdev_event: a device going up gets its addresses' routes back; one going down loses every route through it. */
    void netdevEvent(NetdevEvent ev, NetDevice dev) {
        InDevice in = InDevice.of(dev);
        switch (ev) {
            case UP -> {
                if (in != null) for (InIfaddr ifa : in.addresses()) addIfaddr(ifa);
            }
            case DOWN, UNREGISTER -> {
                for (FibTable t : tables()) {
                    for (FibAlias r : t.flushDev(dev)) net.notifyRoute4(t.id, r, true);
                }
            }
            default -> { }
        }
    }
}
