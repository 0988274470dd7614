package dev.kava.net.core;

import dev.kava.abi.If;
import dev.kava.abi.IfArp;
import dev.kava.lib.Checksum;
import dev.kava.net.sched.PfifoFast;
import dev.kava.net.sched.Qdisc;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device core on its own: packet buffers, checksums, pfifo_fast, device registration and loopback. */
class NetCoreTest {
    @Test
    void skbPushPullAndHeaders() {
        SkBuff skb = SkBuff.alloc(64, 100);
        assertEquals(0, skb.len());
        int at = skb.put(10);
        assertEquals(64, at);
        skb.buf[at] = 7;
        skb.resetTransportHeader();
        int ip = skb.push(20);
        assertEquals(44, ip);
        skb.resetNetworkHeader();
        assertEquals(30, skb.len());
        assertEquals(20, skb.networkHeaderLen());
        assertTrue(skb.pull(20));
        assertEquals(skb.transportHeader, skb.data);
        assertFalse(skb.pull(11));
        skb.put16(skb.data, 0xBEEF);
        assertEquals(0xBEEF, skb.get16(skb.data));
        skb.put32(skb.data, 0x7f000001);
        assertEquals(0x7f000001, skb.get32(skb.data));
        assertThrows(IllegalStateException.class, () -> skb.push(1000));
    }

    @Test
    void cloneSharesBytesCopyDoesNot() {
        SkBuff skb = SkBuff.alloc(16, 8);
        skb.putData(new byte[]{1, 2, 3}, 0, 3);
        SkBuff c = skb.clone();
        assertSame(skb.buf, c.buf);
        assertTrue(c.isCloned() && skb.isCloned());
        SkBuff p = c.unshare();
        assertNotSame(c.buf, p.buf);
        assertArrayEquals(skb.toByteArray(), p.toByteArray());
    }

    @Test
    void orphanRunsTheDestructorOnce() {
        int[] runs = {0};
        SkBuff skb = SkBuff.alloc(0, 1);
        skb.setDestructor(null, () -> runs[0]++);
        skb.orphan();
        skb.free();
        assertEquals(1, runs[0]);
    }

    @Test
    void internetChecksum() {
        // RFC 1071's example words 0001 f203 f4f5 f6f7 sum to 0xddf2 (folded), checksum 0x220d.
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0x220d, Checksum.fold(Checksum.partial(b, 0, b.length, 0)));
        // An odd length pads with a zero byte.
        assertEquals(Checksum.fold(Checksum.partial(new byte[]{1, 2, 3, 0}, 0, 4, 0)),
                Checksum.fold(Checksum.partial(new byte[]{1, 2, 3}, 0, 3, 0)));
        // A header whose checksum field is right sums to zero.
        byte[] iph = {0x45, 0, 0, 0x54, 0, 0, 0x40, 0, 0x40, 1, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1};
        int c = Checksum.ipFastCsum(iph, 0, 5);
        iph[10] = (byte) (c >> 8);
        iph[11] = (byte) c;
        assertEquals(0, Checksum.ipFastCsum(iph, 0, 5));
    }

    /** A device that collects what it is given, and can say it is busy. */
    static final class Sink extends NetDevice {
        final List<SkBuff> sent = new ArrayList<>();
        boolean busy;

        Sink(Net net, String name) {
            super(net, name);
            type = IfArp.ARPHRD_ETHER;
            mtu = 1500;
            txQueueLen = 3;
        }

        @Override
        protected int startXmit(SkBuff skb) {
            if (busy) return NETDEV_TX_BUSY;
            sent.add(skb);
            return NETDEV_TX_OK;
        }
    }

    private static SkBuff pkt(int priority, int len) {
        SkBuff skb = SkBuff.alloc(0, len);
        skb.put(len);
        skb.priority = priority;
        return skb;
    }

    @Test
    void pfifoFastServesBandsInOrderAndDropsPastTheLimit() {
        Net net = Net.standalone();
        Sink dev = new Sink(net, "sink0");
        PfifoFast q = new PfifoFast(dev);
        // priority 6 (TC_PRIO_INTERACTIVE) is band 0, 0 is band 1, 2 (BULK) is band 2.
        assertEquals(Qdisc.NET_XMIT_SUCCESS, q.enqueue(pkt(2, 10)));
        assertEquals(Qdisc.NET_XMIT_SUCCESS, q.enqueue(pkt(0, 20)));
        assertEquals(Qdisc.NET_XMIT_SUCCESS, q.enqueue(pkt(6, 30)));
        assertEquals(Qdisc.NET_XMIT_DROP, q.enqueue(pkt(6, 40)));
        assertEquals(1, q.bandLength(0));
        assertEquals(30, q.dequeue().len());
        assertEquals(20, q.dequeue().len());
        assertEquals(10, q.dequeue().len());
        assertEquals(null, q.dequeue());
        Qdisc.Stats s = q.stats();
        assertEquals(1, s.drops());
        assertEquals(3, s.packets());
        assertEquals(60, s.bytes());
        assertEquals(0, s.qlen());
    }

    @Test
    void queueXmitRunsTheQdiscAndRequeuesWhenTheDriverIsBusy() {
        Net net = Net.standalone();
        Sink dev = new Sink(net, "sink0");
        net.rtnl.lock();
        try {
            Dev.register(dev);
            assertEquals(2, dev.ifindex);
            Dev.open(dev);
        } finally {
            net.rtnl.unlock();
        }
        assertEquals("pfifo_fast", dev.qdisc.id());
        SkBuff a = pkt(0, 10);
        a.dev = dev;
        assertEquals(Qdisc.NET_XMIT_SUCCESS, Dev.queueXmit(a));
        assertEquals(1, dev.sent.size());
        dev.busy = true;
        SkBuff b = pkt(0, 11);
        b.dev = dev;
        Dev.queueXmit(b);
        assertEquals(1, dev.sent.size());
        assertEquals(1, dev.qdisc.stats().requeues());
        dev.busy = false;
        Dev.wakeQueue(dev);
        assertEquals(2, dev.sent.size());
        assertEquals(11, dev.sent.get(1).len());
    }

    @Test
    void loopbackComesUpAsIndexOneWithItsFlags() {
        Net net = Net.standalone();
        NetDevice lo = net.loopback;
        assertEquals("lo", lo.name);
        assertEquals(1, lo.ifindex);
        assertEquals(65536, lo.mtu);
        assertEquals(IfArp.ARPHRD_LOOPBACK, lo.type);
        assertEquals(If.IFF_UP | If.IFF_LOOPBACK | If.IFF_RUNNING | If.IFF_LOWER_UP, lo.getFlags());
        assertEquals("noqueue", lo.qdisc.id());
        assertSame(lo, net.devByName("lo"));
        assertSame(lo, net.devByIndex(1));
    }

    @Test
    void deviceNamesAreValidatedAndUnique() {
        Net net = Net.standalone();
        net.rtnl.lock();
        try {
            assertThrows(dev.kava.kernel.ErrnoException.class, () -> Dev.register(new Sink(net, "lo")));
            assertThrows(dev.kava.kernel.ErrnoException.class, () -> Dev.register(new Sink(net, "a/b")));
            assertThrows(dev.kava.kernel.ErrnoException.class, () -> Dev.register(new Sink(net, "0123456789abcdef")));
        } finally {
            net.rtnl.unlock();
        }
    }

    @Test
    void procNetDevHasLinuxsFormat() {
        Net net = Net.standalone();
        String s = CoreProc.dev(net);
        String[] lines = s.split("\n");
        assertEquals("Inter-|   Receive                                                |  Transmit", lines[0]);
        assertEquals("    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0",
                lines[2]);
    }

    @Test
    void sysctlParserTakesBlankSeparatedInts() {
        assertArrayEquals(new long[]{1, 2}, Sysctl.parseInts("1\t2\n".getBytes(), 2));
        assertArrayEquals(new long[]{-5}, Sysctl.parseInts(" -5".getBytes(), 1));
        assertThrows(dev.kava.kernel.ErrnoException.class, () -> Sysctl.parseInts("1 2 3".getBytes(), 2));
        assertThrows(dev.kava.kernel.ErrnoException.class, () -> Sysctl.parseInts("x".getBytes(), 2));
        assertThrows(dev.kava.kernel.ErrnoException.class, () -> Sysctl.parseInts("\n".getBytes(), 2));
    }
}
