package dev.kava.net.sched;

import dev.kava.net.core.NetDevice;
import dev.kava.net.core.SkBuff;

/**
 * A queueing discipline (struct Qdisc with its Qdisc_ops, include/net/sch_generic.h): what
 * holds a device's outgoing packets and decides which goes next. {@code dev_queue_xmit}
 * enqueues under the qdisc's monitor and then runs it ({@code qdisc_run}): dequeues one
 * packet at a time and gives it to the driver until the qdisc is empty or the driver's queue
 * stops. A qdisc that wants to hold packets back (a shaper) returns null from dequeue and
 * later calls {@link dev.kava.net.core.Dev#schedule} to be run again (its watchdog).
 *
 * <p>Every method but {@link #stats()} is called with the qdisc's monitor held.
 */
public abstract class Qdisc {
    /** enqueue results (NET_XMIT_*, include/linux/netdevice.h). */
    public static final int NET_XMIT_SUCCESS = 0x00;
    public static final int NET_XMIT_DROP = 0x01;
    public static final int NET_XMIT_CN = 0x02;

    /** TC_H_ROOT and the default root handle (include/uapi/linux/pkt_sched.h). */
    public static final int TC_H_ROOT = 0xFFFFFFFF;

    public final NetDevice dev;
    /** handle (major:minor) and parent. */
    public int handle, parent = TC_H_ROOT;

    /** struct gnet_stats_basic_sync + gnet_stats_queue. */
    protected long bytes, packets, drops, overlimits, requeues, qlen, backlog;

    /** __QDISC_STATE_RUNNING: a thread is in qdisc_run for this qdisc. */
    public boolean running;

    protected Qdisc(NetDevice dev) {
        this.dev = dev;
    }

    /** The kind as tc shows it ("pfifo_fast", "noqueue", ...). */
    public abstract String id();

    /** enqueue: takes the packet or drops it (counting the drop); returns NET_XMIT_*. */
    public abstract int enqueue(SkBuff skb);

    /** dequeue: the next packet to send, or null. */
    public abstract SkBuff dequeue();

    /** peek: the next packet without taking it. */
    public abstract SkBuff peek();

    /** reset: drops everything queued (the device went down). */
    public abstract void reset();

    /** Whether this is noqueue: no enqueue at all, packets go straight to the driver. */
    public boolean noQueue() {
        return false;
    }

    /** dev_requeue_skb: the driver was busy; the packet goes back in front. */
    public abstract void requeue(SkBuff skb);

    /** The statistics as tc -s shows them. */
    public record Stats(long bytes, long packets, long drops, long overlimits, long requeues, long qlen, long backlog) {}

    public synchronized Stats stats() {
        return new Stats(bytes, packets, drops, overlimits, requeues, qlen, backlog);
    }

    /** qdisc_drop: counts and frees a packet the qdisc does not take. */
    protected int drop(SkBuff skb) {
        drops++;
        skb.free();
        return NET_XMIT_DROP;
    }

    /** Called by subclasses when a packet leaves for the driver (qdisc_bstats_update, qdisc_qstats_backlog_dec). */
    protected void dequeued(SkBuff skb) {
        qlen--;
        backlog -= skb.len();
        bytes += skb.len();
        packets++;
    }

    protected void enqueued(SkBuff skb) {
        qlen++;
        backlog += skb.len();
    }
}
