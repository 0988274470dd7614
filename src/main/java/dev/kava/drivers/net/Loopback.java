package dev.kava.drivers.net;

import dev.kava.abi.If;
import dev.kava.abi.IfArp;
import dev.kava.abi.IfEther;
import dev.kava.net.core.Dev;
import dev.kava.net.core.LinkStats;
import dev.kava.net.core.Net;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.PacketHandler;
import dev.kava.net.core.SkBuff;

import java.util.concurrent.atomic.LongAdder;

/**
 * The loopback device (drivers/net/loopback.c): every packet it is given comes back in as
 * received. One per namespace, always ifindex 1, MTU 64 KiB, Ethernet headers with zero
 * addresses, no queue (IFF_NO_QUEUE: the noqueue qdisc). It counts packets and bytes once and
 * reports them as both received and sent (loopback_get_stats64); the bytes are those after the
 * Ethernet header is taken off, as loopback_xmit counts them.
 */
public final class Loopback extends NetDevice {
    /** LOOPBACK_IFINDEX */
    public static final int LOOPBACK_IFINDEX = 1;
    /** The loopback MTU (64 * 1024, loopback_setup). */
    public static final int LOOPBACK_MTU = 64 * 1024;

    private final LongAdder packets = new LongAdder(), bytes = new LongAdder();

    private Loopback(Net net) {
        super(net, "lo");
        // gen_lo_setup
        mtu = LOOPBACK_MTU;
        // gen_lo_setup sets no bounds: alloc_netdev leaves min_mtu and max_mtu 0 (no limit).
        minMtu = 0;
        maxMtu = 0;
        hardHeaderLen = IfEther.ETH_HLEN;
        addrLen = IfEther.ETH_ALEN;
        type = IfArp.ARPHRD_LOOPBACK;
        flags = If.IFF_LOOPBACK;
        privFlags |= IFF_LIVE_ADDR_CHANGE | IFF_NO_QUEUE;
        devAddr = new byte[IfEther.ETH_ALEN];
        broadcast = new byte[IfEther.ETH_ALEN];
        ifindex = LOOPBACK_IFINDEX;
    }

    /** loopback_net_init: the namespace's lo, registered (call with RTNL held). */
    public static Loopback create(Net net) {
        Loopback lo = new Loopback(net);
        Dev.register(lo);
        return lo;
    }

    /**
     * loopback_xmit: the sender's charge ends (skb_orphan), the Ethernet header is taken off
     * (eth_type_trans), and the packet is received; it counts only if the backlog took it.
     */
    @Override
    protected int startXmit(SkBuff skb) {
        skb.tstamp = 0;
        skb.orphan();
        skb.protocol = ethTypeTrans(skb);
        int len = skb.len();
        if (Dev.netifRx(skb) == PacketHandler.NET_RX_SUCCESS) {
            packets.increment();
            bytes.add(len);
        }
        return NETDEV_TX_OK;
    }

    /** loopback_get_stats64: what passed, as both directions; the core's drop counters on top (dev_get_stats). */
    @Override
    public LinkStats.Snapshot stats64() {
        LinkStats.Snapshot s = stats.snapshot();
        long p = packets.sum(), b = bytes.sum();
        return new LinkStats.Snapshot(p, p, b, b, s.rxErrors(), s.txErrors(), s.rxDropped(), s.txDropped(),
                s.multicast(), s.collisions(), s.rxLengthErrors(), s.rxOverErrors(), s.rxCrcErrors(),
                s.rxFrameErrors(), s.rxFifoErrors(), s.rxMissedErrors(), s.txAbortedErrors(), s.txCarrierErrors(),
                s.txFifoErrors(), s.txHeartbeatErrors(), s.txWindowErrors(), s.rxCompressed(), s.txCompressed(),
                s.rxNohandler(), s.rxOtherhostDropped());
    }
}
