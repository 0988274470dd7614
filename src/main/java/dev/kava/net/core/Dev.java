package dev.kava.net.core;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.IfEther;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.sched.NoQueue;
import dev.kava.net.sched.PfifoFast;
import dev.kava.net.sched.Qdisc;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The device core (net/core/dev.c): sending through a device's qdisc
 * ({@link #queueXmit}), receiving into the backlog ({@link #netifRx}) and the receive
 * softirq that drains it, the ethertype handlers, and device configuration (open, close,
 * flags, MTU, name) with its notifications.
 *
 * <h2>The receive softirq</h2>
 * Each host thread has its own backlog, as each CPU has its softnet_data. A packet a driver
 * receives is queued there ({@code enqueue_to_backlog}); the queue is drained by
 * {@code net_rx_action} on the same thread at the next point bottom halves are enabled
 * again: at once when {@link #netifRx} is called outside any bottom-half-disabled region,
 * else at the end of the outermost {@link #queueXmit} (its {@code rcu_read_unlock_bh}). The
 * drain itself runs with bottom halves disabled, so a packet sent while another is being
 * received (an echo reply, a TCP ACK) is queued behind it, never processed recursively: the
 * stack depth stays constant however long a chain of packets is.
 *
 * <p>Consequence for transports: a send over loopback delivers the packet to its receiver
 * before {@code queueXmit} returns, on the sender's thread, so a transport must not hold, while
 * it transmits, a lock that its own receive path takes (TCP in Linux uses the socket owner
 * flag plus a backlog for exactly this: {@code sock_owned_by_user} / {@code sk_add_backlog}).
 */
public final class Dev {
    private Dev() {}

    /** net.core.netdev_max_backlog */
    public static final int NETDEV_MAX_BACKLOG = 1000;

    // ---- ethertype handlers (ptype_base, ptype_all)

    private static final Map<Integer, PacketHandler> PTYPE_BASE = new ConcurrentHashMap<>();
    private static final List<PacketHandler> PTYPE_ALL = new CopyOnWriteArrayList<>();

    /** dev_add_pack: the handler of an ethertype (ETH_P_ALL: a tap that sees a clone of every packet). */
    public static void addPack(int ethertype, PacketHandler h) {
        if (ethertype == IfEther.ETH_P_ALL) PTYPE_ALL.add(h);
        else PTYPE_BASE.put(ethertype, h);
    }

    public static void removePack(int ethertype, PacketHandler h) {
        if (ethertype == IfEther.ETH_P_ALL) PTYPE_ALL.remove(h);
        else PTYPE_BASE.remove(ethertype, h);
    }

    // ---- per-thread softnet data

    /** struct softnet_data of one host thread. */
    static final class Softnet {
        final ArrayDeque<SkBuff> backlog = new ArrayDeque<>();
        int bhDisabled;
        boolean inRx;
        long processed, dropped;
    }

    private static final ThreadLocal<Softnet> SOFTNET = ThreadLocal.withInitial(Softnet::new);

    /** local_bh_disable */
    public static void localBhDisable() {
        SOFTNET.get().bhDisabled++;
    }

    /** local_bh_enable: runs the receive softirq if packets are waiting and this was the outermost disable. */
    public static void localBhEnable() {
        Softnet sd = SOFTNET.get();
        if (--sd.bhDisabled == 0 && !sd.backlog.isEmpty()) netRxAction(sd);
    }

    /**
     * netif_rx: queues a received packet (its link header already taken off by the driver,
     * skb.protocol set) on this thread's backlog; a full backlog drops it (NET_RX_DROP).
     */
    public static int netifRx(SkBuff skb) {
        Softnet sd = SOFTNET.get();
        if (sd.backlog.size() >= NETDEV_MAX_BACKLOG) {
            sd.dropped++;
            if (skb.dev != null) skb.dev.stats.rxDropped.increment();
            skb.free();
            return PacketHandler.NET_RX_DROP;
        }
        if (skb.tstamp == 0 && skb.dev != null) skb.tstamp = skb.dev.net.realtimeNanos();
        sd.backlog.addLast(skb);
        if (sd.bhDisabled == 0) netRxAction(sd);
        return PacketHandler.NET_RX_SUCCESS;
    }

    /** net_rx_action with process_backlog: drains the backlog, bottom halves disabled. */
    private static void netRxAction(Softnet sd) {
        if (sd.inRx) return;
        sd.inRx = true;
        sd.bhDisabled++;
        try {
            SkBuff skb;
            while ((skb = sd.backlog.pollFirst()) != null) {
                sd.processed++;
                try {
                    receiveSkb(skb);
                } catch (RuntimeException e) {
                    // A bug on the receive path must not take the sending task down with it: the packet is lost.
                    NetDevice dev = skb.dev;
                    if (dev != null) dev.net.oops("receive on " + dev.name, e);
                    skb.free();
                }
            }
        } finally {
            sd.bhDisabled--;
            sd.inRx = false;
        }
    }

    /** __netif_receive_skb_core: taps first, then the ethertype's handler; none: counted as dropped. */
    static void receiveSkb(SkBuff skb) {
        NetDevice dev = skb.dev;
        for (PacketHandler tap : PTYPE_ALL) tap.rcv(skb.clone(), dev);
        PacketHandler h = PTYPE_BASE.get(skb.protocol);
        if (h == null) {
            dev.stats.rxDropped.increment();
            skb.free();
            return;
        }
        h.rcv(skb, dev);
    }

    // ---- transmit

    /**
     * dev_queue_xmit: sends a packet (link header built, skb.dev set) through the device's
     * qdisc. Returns NET_XMIT_SUCCESS, NET_XMIT_DROP or NET_XMIT_CN from the qdisc, or
     * -ENETDOWN when the device is down or a queueless device could not take it.
     */
    public static int queueXmit(SkBuff skb) {
        NetDevice dev = skb.dev;
        localBhDisable();
        try {
            Qdisc q = dev.qdisc;
            if (q == null || !dev.isUp()) {
                dev.stats.txDropped.increment();
                skb.free();
                return -Errno.ENETDOWN;
            }
            if (q.noQueue()) {
                if (dev.startXmit(skb) == NetDevice.NETDEV_TX_OK) return Qdisc.NET_XMIT_SUCCESS;
                // "Virtual device asks to queue packet!": a queueless device cannot be busy.
                dev.stats.txDropped.increment();
                skb.free();
                return -Errno.ENETDOWN;
            }
            int rc;
            synchronized (q) {
                rc = q.enqueue(skb);
            }
            qdiscRun(q);
            return rc;
        } finally {
            localBhEnable();
        }
    }

    /**
     * qdisc_run: one thread at a time moves packets from the qdisc to the driver until the
     * qdisc has none to give or the driver stops its queue; a packet the driver refuses goes
     * back in front. The runner looks once more before it leaves, so a packet another thread
     * queued meanwhile is not stranded (qdisc_run_end's recheck).
     */
    public static void qdiscRun(Qdisc q) {
        NetDevice dev = q.dev;
        synchronized (q) {
            if (q.running) return;
            q.running = true;
        }
        while (true) {
            SkBuff skb;
            synchronized (q) {
                skb = dev.queueStopped ? null : q.dequeue();
                if (skb == null) {
                    q.running = false;
                    return;
                }
            }
            if (dev.startXmit(skb) == NetDevice.NETDEV_TX_BUSY) {
                synchronized (q) {
                    q.requeue(skb);
                    q.running = false;
                }
                return;
            }
        }
    }

    /**
     * __netif_schedule: a qdisc that held packets back (a shaper whose time has come, a driver
     * whose queue was woken) asks to be run again.
     */
    public static void schedule(Qdisc q) {
        localBhDisable();
        try {
            qdiscRun(q);
        } finally {
            localBhEnable();
        }
    }

    /** netif_stop_queue */
    public static void stopQueue(NetDevice dev) {
        dev.queueStopped = true;
    }

    /** netif_wake_queue: the driver has room again; the qdisc runs. */
    public static void wakeQueue(NetDevice dev) {
        dev.queueStopped = false;
        Qdisc q = dev.qdisc;
        if (q != null && !q.noQueue()) schedule(q);
    }

    // ---- configuration (all under RTNL)

    private static void assertRtnl(NetDevice dev) {
        if (!dev.net.rtnl.isHeldByCurrentThread()) throw new IllegalStateException("RTNL not held");
    }

    /** The qdisc a device gets when it comes up (attach_default_qdiscs): noqueue for IFF_NO_QUEUE devices, else pfifo_fast. */
    public static Qdisc defaultQdisc(NetDevice dev) {
        return (dev.privFlags & NetDevice.IFF_NO_QUEUE) != 0 ? new NoQueue(dev) : new PfifoFast(dev);
    }

    /**
     * register_netdevice: a unique name (EEXIST), an ifindex (the next free one; lo gets 1),
     * then NETDEV_REGISTER to the notifiers. Called with RTNL held.
     */
    public static void register(NetDevice dev) {
        assertRtnl(dev);
        Net net = dev.net;
        if (!validName(dev.name)) throw ErrnoException.of(Errno.EINVAL);
        if (net.devByName(dev.name) != null) throw ErrnoException.of(Errno.EEXIST);
        net.insertDevice(dev);
        dev.registered = true;
        // A device without a carrier detector reports IF_OPER_UNKNOWN once up (lo does).
        net.notifyNetdev(NetdevEvent.REGISTER, dev);
        net.notifyLink(dev, false, ~0);
    }

    /** unregister_netdevice: down first, then NETDEV_UNREGISTER and removal. */
    public static void unregister(NetDevice dev) {
        assertRtnl(dev);
        if (dev.isUp()) close(dev);
        dev.net.notifyNetdev(NetdevEvent.UNREGISTER, dev);
        dev.net.notifyLink(dev, true, ~0);
        dev.net.removeDevice(dev);
        dev.registered = false;
    }

    /** dev_valid_name: 1..15 bytes, not "." or "..", no '/', ':' or whitespace. */
    public static boolean validName(String name) {
        if (name == null || name.isEmpty() || name.length() >= If.IFNAMSIZ) return false;
        if (name.equals(".") || name.equals("..")) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c == 0) return false;
        }
        return true;
    }

    /** dev_open: ndo_open, IFF_UP, the default qdisc, operstate, NETDEV_UP. Nothing if already up. */
    public static void open(NetDevice dev) {
        assertRtnl(dev);
        if (dev.isUp()) return;
        dev.open();
        dev.flags |= If.IFF_UP;
        dev.qdisc = defaultQdisc(dev);
        dev.queueStopped = false;
        dev.operstate = dev.carrier ? If.IF_OPER_UNKNOWN : If.IF_OPER_DOWN;
        if ((dev.flags & If.IFF_LOOPBACK) == 0 && dev.carrier) dev.operstate = If.IF_OPER_UP;
        dev.net.notifyNetdev(NetdevEvent.UP, dev);
        dev.net.notifyLink(dev, false, If.IFF_UP);
    }

    /** dev_close: NETDEV_GOING_DOWN, the qdisc reset, ndo_stop, IFF_UP cleared, NETDEV_DOWN. */
    public static void close(NetDevice dev) {
        assertRtnl(dev);
        if (!dev.isUp()) return;
        dev.net.notifyNetdev(NetdevEvent.GOING_DOWN, dev);
        Qdisc q = dev.qdisc;
        if (q != null) {
            synchronized (q) {
                q.reset();
            }
        }
        dev.stop();
        dev.flags &= ~If.IFF_UP;
        dev.operstate = If.IF_OPER_DOWN;
        dev.net.notifyNetdev(NetdevEvent.DOWN, dev);
        dev.net.notifyLink(dev, false, If.IFF_UP);
    }

    /**
     * dev_change_flags: the user-settable flags change; IFF_UP opens or closes the device.
     * The flags the kernel controls (IFF_VOLATILE) are kept.
     */
    public static void changeFlags(NetDevice dev, int flags) {
        assertRtnl(dev);
        int old = dev.flags;
        int keep = old & (If.IFF_VOLATILE | If.IFF_UP);
        int set = flags & ~(If.IFF_VOLATILE | If.IFF_UP | If.IFF_PROMISC | If.IFF_ALLMULTI);
        dev.flags = keep | set;
        if (((old ^ flags) & If.IFF_UP) != 0) {
            if ((flags & If.IFF_UP) != 0) open(dev);
            else close(dev);
        }
        int changed = (old ^ dev.flags) & ~If.IFF_UP;
        if (changed != 0) {
            dev.net.notifyNetdev(NetdevEvent.CHANGE, dev);
            dev.net.notifyLink(dev, false, changed);
        }
    }

    /**
     * dev_set_mtu with dev_validate_mtu: EINVAL below min_mtu or above a non-zero max_mtu (a
     * max_mtu of 0 sets no limit: lo's); NETDEV_CHANGEMTU, on which IPv4 and IPv6 let go of a
     * device whose MTU is too small for them.
     */
    public static void setMtu(NetDevice dev, int mtu) {
        assertRtnl(dev);
        if (mtu < 0 || mtu < dev.minMtu || (dev.maxMtu > 0 && mtu > dev.maxMtu)) throw ErrnoException.of(Errno.EINVAL);
        if (mtu == dev.mtu) return;
        dev.mtu = mtu;
        dev.net.notifyNetdev(NetdevEvent.CHANGEMTU, dev);
        dev.net.notifyLink(dev, false, 0);
    }

    /** dev_change_tx_queue_len */
    public static void setTxQueueLen(NetDevice dev, int len) {
        assertRtnl(dev);
        if (len < 0) throw ErrnoException.of(Errno.EINVAL);
        dev.txQueueLen = len;
        dev.net.notifyNetdev(NetdevEvent.CHANGETXQUEUELEN, dev);
        dev.net.notifyLink(dev, false, 0);
    }

    /** dev_change_name: EBUSY while up (unless the device allows live renames), EEXIST, EINVAL. */
    public static void changeName(NetDevice dev, String name) {
        assertRtnl(dev);
        if (!validName(name)) throw ErrnoException.of(Errno.EINVAL);
        if (name.equals(dev.name)) return;
        if (dev.isUp()) throw ErrnoException.of(Errno.EBUSY);
        if (dev.net.devByName(name) != null) throw ErrnoException.of(Errno.EEXIST);
        dev.net.renameDevice(dev, name);
        dev.net.notifyNetdev(NetdevEvent.CHANGENAME, dev);
        dev.net.notifyLink(dev, false, 0);
    }

    /** Packets this thread's backlog handled and dropped (/proc/net/softnet_stat). */
    public static long[] softnetStat() {
        Softnet sd = SOFTNET.get();
        return new long[]{sd.processed, sd.dropped};
    }
}
