package dev.kava.net.core;

import dev.kava.abi.Errno;
import dev.kava.drivers.net.Loopback;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.net.ipv4.FibAlias;
import dev.kava.net.ipv4.InIfaddr;
import dev.kava.net.ipv4.NetnsIpv4;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A network namespace (struct net, include/net/net_namespace.h): its devices by name and
 * ifindex, the loopback device, the per-protocol state ({@link #ipv4}: addresses, FIB tables,
 * sockets, sysctls; IPv6 alike), and the notifier chains. kava has one namespace per kernel
 * ({@link #of}); it comes up as a booted Linux system's init_net does after its init scripts:
 * lo up with 127.0.0.1/8 and ::1/128.
 *
 * <h2>Locking</h2>
 * {@link #rtnl} (rtnl_lock) serializes every configuration change: devices, flags, MTUs,
 * addresses, routes. Listeners run under it. The packet path never takes it: device lookups
 * use concurrent maps, address and route tables have their own short-held monitors. Lock
 * order: a socket's lock, then protocol tables, then RTNL-guarded tables' monitors; RTNL is
 * never taken while holding a socket lock on the packet path.
 */
public final class Net {
    private static final Map<Kernel, Net> NETS = new WeakHashMap<>();

    /** The kernel this namespace belongs to (null in unit tests of the stack alone). */
    public final Kernel kernel;
    /** rtnl_lock */
    public final ReentrantLock rtnl = new ReentrantLock();

    private final Map<String, NetDevice> byName = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Integer, NetDevice> byIndex = new ConcurrentSkipListMap<>();
    /** net->ifindex: the last ifindex handed out. */
    private int lastIfindex;

    private final List<NetdevListener> netdevChain = new CopyOnWriteArrayList<>();
    private final List<RtnlListener> rtnlListeners = new CopyOnWriteArrayList<>();

    /** net->loopback_dev */
    public final NetDevice loopback;
    /** struct netns_ipv4 */
    public final NetnsIpv4 ipv4;
    /** struct netns_ipv6 */
    public final dev.kava.net.ipv6.NetnsIpv6 ipv6;

    /** net.core.somaxconn */
    public volatile int somaxconn = dev.kava.abi.Socket.SOMAXCONN;

    /** The namespace of a kernel, made (and its loopback brought up) on first use. */
    public static Net of(Kernel k) {
        synchronized (NETS) {
            Net n = NETS.get(k);
            if (n == null) {
                n = new Net(k);
                NETS.put(k, n);
            }
            return n;
        }
    }

    /** A namespace of its own, for tests of the stack without a kernel. */
    public static Net standalone() {
        return new Net(null);
    }

    private Net(Kernel kernel) {
        this.kernel = kernel;
        // The pernet init of each protocol registers its notifiers before the first device exists.
        this.ipv4 = new NetnsIpv4(this);
        this.ipv6 = new dev.kava.net.ipv6.NetnsIpv6(this);
        rtnl.lock();
        try {
            this.loopback = Loopback.create(this);
            // What an init system does at boot: `ip link set lo up`.
            Dev.open(loopback);
        } finally {
            rtnl.unlock();
        }
    }

    /** Realtime now, for packet timestamps. */
    public long realtimeNanos() {
        return kernel != null ? kernel.clock().realtimeNanos() : System.currentTimeMillis() * 1_000_000L;
    }

    /** Logs a kernel bug met on the packet path (the packet is dropped; nothing else stops). */
    public void oops(String what, Throwable e) {
        if (kernel != null) kernel.log().oops("net: " + what, e);
    }

    // ---- devices

    public NetDevice devByName(String name) {
        return name == null ? null : byName.get(name);
    }

    /** dev_get_by_index */
    public NetDevice devByIndex(int ifindex) {
        return byIndex.get(ifindex);
    }

    /** The devices in ifindex order (for_each_netdev). */
    public List<NetDevice> devices() {
        return new ArrayList<>(byIndex.values());
    }

    void insertDevice(NetDevice dev) {
        if (dev.ifindex == 0) {
            int i = lastIfindex;
            do {
                i = i >= Integer.MAX_VALUE - 1 ? 1 : i + 1;
            } while (byIndex.containsKey(i));
            dev.ifindex = i;
            lastIfindex = i;
        } else if (byIndex.containsKey(dev.ifindex)) {
            throw ErrnoException.of(Errno.EBUSY);
        }
        byName.put(dev.name, dev);
        byIndex.put(dev.ifindex, dev);
    }

    void removeDevice(NetDevice dev) {
        byName.remove(dev.name, dev);
        byIndex.remove(dev.ifindex, dev);
    }

    void renameDevice(NetDevice dev, String name) {
        byName.remove(dev.name, dev);
        dev.name = name;
        byName.put(name, dev);
    }

    // ---- notifier chains

    /** register_netdevice_notifier */
    public void addNetdevListener(NetdevListener l) {
        netdevChain.add(l);
    }

    public void removeNetdevListener(NetdevListener l) {
        netdevChain.remove(l);
    }

    public void addRtnlListener(RtnlListener l) {
        rtnlListeners.add(l);
    }

    public void removeRtnlListener(RtnlListener l) {
        rtnlListeners.remove(l);
    }

    /** call_netdevice_notifiers */
    public void notifyNetdev(NetdevEvent ev, NetDevice dev) {
        for (NetdevListener l : netdevChain) l.netdevEvent(ev, dev);
    }

    public void notifyLink(NetDevice dev, boolean deleted, int change) {
        for (RtnlListener l : rtnlListeners) l.link(dev, deleted, change);
    }

    public void notifyAddr4(InIfaddr ifa, boolean deleted) {
        for (RtnlListener l : rtnlListeners) l.addr4(ifa, deleted);
    }

    public void notifyRoute4(int table, FibAlias fa, boolean deleted) {
        for (RtnlListener l : rtnlListeners) l.route4(table, fa, deleted);
    }

    public void notifyAddr6(Object ifa, boolean deleted) {
        for (RtnlListener l : rtnlListeners) l.addr6(ifa, deleted);
    }

    public void notifyRoute6(Object rt, boolean deleted) {
        for (RtnlListener l : rtnlListeners) l.route6(rt, deleted);
    }
}
