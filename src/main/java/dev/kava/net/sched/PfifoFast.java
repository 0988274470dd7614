package dev.kava.net.sched;

import dev.kava.net.core.NetDevice;
import dev.kava.net.core.SkBuff;

import java.util.ArrayDeque;

/**
 * pfifo_fast (net/sched/sch_generic.c), the default qdisc of a device with a queue: three
 * FIFO bands, band 0 served first. A packet's band comes from its priority (skb->priority,
 * which sk_priority or the IP TOS set) through prio2band. Together the bands hold at most the
 * device's txqueuelen packets (at least 1); beyond, a packet is dropped and counted.
 */
public final class PfifoFast extends Qdisc {
    /** PFIFO_FAST_BANDS */
    public static final int BANDS = 3;
    /** TC_PRIO_MAX */
    public static final int TC_PRIO_MAX = 15;
    /** sch_default_prio2band: priorities 0..15 to bands. */
    static final int[] PRIO2BAND = {1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};

    @SuppressWarnings("unchecked")
    private final ArrayDeque<SkBuff>[] bands = new ArrayDeque[BANDS];

    public PfifoFast(NetDevice dev) {
        super(dev);
        for (int i = 0; i < BANDS; i++) bands[i] = new ArrayDeque<>();
    }

    @Override
    public String id() {
        return "pfifo_fast";
    }

    /** qdisc_dev(qdisc)->tx_queue_len, at least 1 (pfifo_fast_init's limit). */
    public int limit() {
        return Math.max(1, dev.txQueueLen);
    }

    static int band(SkBuff skb) {
        return PRIO2BAND[skb.priority & TC_PRIO_MAX];
    }

    @Override
    public int enqueue(SkBuff skb) {
        if (qlen >= limit()) return drop(skb);
        bands[band(skb)].addLast(skb);
        enqueued(skb);
        return NET_XMIT_SUCCESS;
    }

    @Override
    public SkBuff dequeue() {
        for (ArrayDeque<SkBuff> b : bands) {
            SkBuff skb = b.pollFirst();
            if (skb != null) {
                dequeued(skb);
                return skb;
            }
        }
        return null;
    }

    @Override
    public SkBuff peek() {
        for (ArrayDeque<SkBuff> b : bands) {
            SkBuff skb = b.peekFirst();
            if (skb != null) return skb;
        }
        return null;
    }

    @Override
    public void requeue(SkBuff skb) {
        bands[band(skb)].addFirst(skb);
        enqueued(skb);
        bytes -= skb.len();
        packets--;
        requeues++;
    }

    @Override
    public void reset() {
        for (ArrayDeque<SkBuff> b : bands) {
            SkBuff skb;
            while ((skb = b.pollFirst()) != null) skb.free();
        }
        qlen = 0;
        backlog = 0;
    }

    /** The packets in each band (for tests and tc). */
    public int bandLength(int band) {
        return bands[band].size();
    }
}
