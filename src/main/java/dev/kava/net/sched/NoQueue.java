package dev.kava.net.sched;

import dev.kava.net.core.NetDevice;
import dev.kava.net.core.SkBuff;

/**
 * noqueue (noqueue_qdisc_ops, net/sched/sch_generic.c): devices with IFF_NO_QUEUE, lo among
 * them, get no queue at all; dev_queue_xmit hands packets straight to the driver.
 */
public final class NoQueue extends Qdisc {
    public NoQueue(NetDevice dev) {
        super(dev);
    }

    @Override
    public String id() {
        return "noqueue";
    }

    @Override
    public boolean noQueue() {
        return true;
    }

    @Override
    public int enqueue(SkBuff skb) {
        return drop(skb);
    }

    @Override
    public SkBuff dequeue() {
        return null;
    }

    @Override
    public SkBuff peek() {
        return null;
    }

    @Override
    public void reset() {}

    @Override
    public void requeue(SkBuff skb) {
        drop(skb);
    }
}
