package dev.kava.net.core;

import dev.kava.abi.If;
import dev.kava.abi.IfEther;
import dev.kava.net.sched.Qdisc;

/**
 * A network device (struct net_device, include/linux/netdevice.h) with its driver's
 * operations (struct net_device_ops). A driver subclasses it, sets its type, MTU and flags in
 * its constructor (the setup function), and implements {@link #startXmit}. The core owns the
 * rest: registration gives it an ifindex in its {@link Net}, {@link Dev#open}/{@link Dev#close}
 * bring it up and down, {@link Dev#queueXmit} hands it packets through its qdisc.
 *
 * <p>Configuration fields (name, flags, mtu, addresses, qdisc) change only under the
 * namespace's RTNL lock; the packet path reads them without it (they are volatile).
 */
public abstract class NetDevice {
    /** ndo_start_xmit results. */
    public static final int NETDEV_TX_OK = 0x00;
    public static final int NETDEV_TX_BUSY = 0x10;

    /** priv_flags (include/linux/netdevice.h, enum netdev_priv_flags): the ones kava looks at. */
    public static final int IFF_NO_QUEUE = 1 << 21;
    public static final int IFF_LIVE_ADDR_CHANGE = 1 << 15;

    public final Net net;
    public volatile String name;
    /** 0 until registered. */
    public volatile int ifindex;
    /** dev->flags: IFF_UP, IFF_LOOPBACK, ... as the user set them (IFF_RUNNING and IFF_LOWER_UP come from the state). */
    public volatile int flags;
    public volatile int privFlags;
    public volatile int mtu, minMtu = IfEther.ETH_MIN_MTU, maxMtu = IfEther.ETH_MAX_MTU;
    /** dev->type: ARPHRD_* */
    public volatile int type;
    public volatile int hardHeaderLen;
    public volatile int addrLen;
    public volatile byte[] devAddr = new byte[0];
    public volatile byte[] broadcast = new byte[0];
    public volatile int txQueueLen = 1000;
    public volatile int group;
    public volatile String ifalias;
    /** The root qdisc (dev->qdisc); set when the device comes up (dev_activate), noop while down. */
    public volatile Qdisc qdisc;
    /** operstate: IF_OPER_* */
    public volatile int operstate = If.IF_OPER_DOWN;
    public volatile int linkMode = If.IF_LINK_MODE_DEFAULT;
    /** !__LINK_STATE_NOCARRIER */
    public volatile boolean carrier = true;
    /** The device's transmit queue was stopped by the driver (netif_stop_queue); the qdisc holds packets meanwhile. */
    public volatile boolean queueStopped;
    /** Whether the device is registered in its namespace (reg_state NETREG_REGISTERED). */
    public volatile boolean registered;

    public final LinkStats stats = new LinkStats();

    /** The IPv4 and IPv6 per-device state (in_device, inet6_dev), owned by those layers. */
    public volatile Object ip4Ptr, ip6Ptr;

    protected NetDevice(Net net, String name) {
        this.net = net;
        this.name = name;
    }

    // ---- struct net_device_ops

    /**
     * ndo_start_xmit: sends the packet, which starts at its link-layer header. Returns
     * NETDEV_TX_OK once the driver owns the packet, or NETDEV_TX_BUSY to have it requeued.
     * Called without locks held by the caller's socket.
     */
    protected abstract int startXmit(SkBuff skb);

    /** ndo_open: the device is coming up. */
    protected void open() {}

    /** ndo_stop: the device is going down. */
    protected void stop() {}

    /** ndo_get_stats64: the counters; the default is the core's {@link #stats}. */
    public LinkStats.Snapshot stats64() {
        return stats.snapshot();
    }

    /** Whether the device carries Ethernet headers (header_ops of eth_header_ops). */
    public boolean ethernetHeaders() {
        return hardHeaderLen == IfEther.ETH_HLEN;
    }

    // ---- state helpers (include/linux/netdevice.h)

    /** netif_running */
    public boolean isUp() {
        return (flags & If.IFF_UP) != 0;
    }

    /** netif_oper_up */
    public boolean operUp() {
        int s = operstate;
        return s == If.IF_OPER_UP || s == If.IF_OPER_UNKNOWN;
    }

    /**
     * dev_get_flags: the flags as SIOCGIFFLAGS and netlink show them, IFF_RUNNING and
     * IFF_LOWER_UP from the state.
     */
    public int getFlags() {
        int f = flags & ~(If.IFF_PROMISC | If.IFF_ALLMULTI | If.IFF_RUNNING | If.IFF_LOWER_UP | If.IFF_DORMANT);
        if (isUp()) {
            if (operUp()) f |= If.IFF_RUNNING;
            if (carrier) f |= If.IFF_LOWER_UP;
            if (operstate == If.IF_OPER_DORMANT) f |= If.IFF_DORMANT;
        }
        return f;
    }

    /**
     * The link-layer header for a packet to a neighbour (dev_hard_header with eth_header): an
     * Ethernet header with the destination hardware address (the device's own for a NOARP
     * device such as lo) and the ethertype. Devices without link headers leave the packet as it is.
     */
    public void hardHeader(SkBuff skb, int ethertype, byte[] daddr) {
        if (!ethernetHeaders()) return;
        int at = skb.push(IfEther.ETH_HLEN);
        byte[] d = daddr != null ? daddr : devAddr;
        byte[] s = devAddr;
        for (int i = 0; i < IfEther.ETH_ALEN; i++) {
            skb.buf[at + i] = i < d.length ? d[i] : 0;
            skb.buf[at + IfEther.ETH_ALEN + i] = i < s.length ? s[i] : 0;
        }
        skb.put16(at + 2 * IfEther.ETH_ALEN, ethertype);
        skb.macHeader = at;
    }

    /**
     * eth_type_trans: on receive, takes the Ethernet header off, sets the packet type from the
     * destination address and returns the ethertype.
     */
    public int ethTypeTrans(SkBuff skb) {
        skb.dev = this;
        skb.skbIif = ifindex;
        skb.resetMacHeader();
        if (!skb.pull(IfEther.ETH_HLEN)) return 0;
        int m = skb.macHeader;
        boolean multicast = (skb.buf[m] & 1) != 0;
        if (multicast) {
            boolean bcast = true;
            for (int i = 0; i < IfEther.ETH_ALEN; i++) if (skb.buf[m + i] != (byte) 0xff) bcast = false;
            skb.pktType = bcast ? IfEther.PACKET_BROADCAST : IfEther.PACKET_MULTICAST;
        } else {
            boolean ours = true;
            byte[] a = devAddr;
            for (int i = 0; i < IfEther.ETH_ALEN; i++) if (skb.buf[m + i] != (i < a.length ? a[i] : 0)) ours = false;
            skb.pktType = ours ? IfEther.PACKET_HOST : IfEther.PACKET_OTHERHOST;
        }
        int proto = skb.get16(m + 2 * IfEther.ETH_ALEN);
        return proto >= IfEther.ETH_P_802_3_MIN ? proto : IfEther.ETH_P_802_3;
    }

    @Override
    public String toString() {
        return name + "#" + ifindex;
    }
}
