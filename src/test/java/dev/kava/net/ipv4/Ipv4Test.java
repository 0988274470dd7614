package dev.kava.net.ipv4;

import dev.kava.abi.Icmp;
import dev.kava.abi.In;
import dev.kava.abi.Rtnetlink;
import dev.kava.kernel.ErrnoException;
import dev.kava.lib.Checksum;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPv4 on a namespace of its own: lo's address and routes, route lookups, and packets through the stack and back. */
class Ipv4Test {
    static final int LOOPBACK = In.INADDR_LOOPBACK;

    @Test
    void loComesUpWith127001AndItsKernelRoutes() {
        Net net = Net.standalone();
        List<InIfaddr> addrs = InDevice.of(net.loopback).addresses();
        assertEquals(1, addrs.size());
        InIfaddr a = addrs.get(0);
        assertEquals(LOOPBACK, a.local);
        assertEquals(8, a.prefixlen);
        assertEquals(Rtnetlink.RT_SCOPE_HOST, a.scope);
        assertEquals("lo", a.label);
        // `ip route show table local`: local 127.0.0.0/8, local 127.0.0.1, broadcast 127.255.255.255; main is empty.
        List<FibAlias> local = net.ipv4.fib.local.dump();
        assertEquals(3, local.size());
        assertEquals(0x7f000000, local.get(0).dst());
        assertEquals(8, local.get(0).dstLen());
        assertEquals(Rtnetlink.RTN_LOCAL, local.get(0).type());
        assertEquals(LOOPBACK, local.get(1).dst());
        assertEquals(32, local.get(1).dstLen());
        assertEquals(0x7fffffff, local.get(2).dst());
        assertEquals(Rtnetlink.RTN_BROADCAST, local.get(2).type());
        assertEquals(Rtnetlink.RT_SCOPE_LINK, local.get(2).scope());
        for (FibAlias r : local) {
            assertEquals(Rtnetlink.RTPROT_KERNEL, r.protocol());
            assertEquals(LOOPBACK, r.prefsrc());
        }
        assertTrue(net.ipv4.fib.main.dump().isEmpty());
    }

    @Test
    void outputRoutesToThisHostGoOverLoWithASource() {
        Net net = Net.standalone();
        Flow4 fl = new Flow4(0x7f000005, 0, 0, 0, In.IPPROTO_UDP);
        Rtable rt = Route.output(net, fl);
        assertEquals(Rtnetlink.RTN_LOCAL, rt.type);
        assertEquals(net.loopback, rt.dev);
        assertEquals(LOOPBACK, fl.saddr);
        Flow4 any = new Flow4(0, 0, 0, 0, In.IPPROTO_UDP);
        Route.output(net, any);
        assertEquals(LOOPBACK, any.daddr);
        ErrnoException e = assertThrows(ErrnoException.class, () -> Route.output(net, new Flow4(0x08080808, 0, 0, 0, 17)));
        assertEquals(dev.kava.abi.Errno.ENETUNREACH, e.errno);
        e = assertThrows(ErrnoException.class, () -> Route.output(net, new Flow4(LOOPBACK, 0x0a000001, 0, 0, 17)));
        assertEquals(dev.kava.abi.Errno.EINVAL, e.errno);
        assertEquals(Rtnetlink.RTN_BROADCAST, Route.output(net, new Flow4(0x7fffffff, 0, 0, 0, 17)).type);
    }

    /** A transport for an unassigned protocol number that keeps what it receives. */
    static final class Catcher implements NetProtocol {
        final List<SkBuff> got = new ArrayList<>();

        @Override
        public int rcv(SkBuff skb) {
            got.add(skb);
            return 0;
        }
    }

    private static SkBuff payload(byte[] data) {
        SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER, data.length);
        skb.putData(data, 0, data.length);
        return skb;
    }

    @Test
    void aPacketToLoopbackArrivesWithItsHeaderIntactEcnIncluded() {
        Net net = Net.standalone();
        Catcher c = new Catcher();
        assertTrue(InetProtos.add(253, c));
        try {
            Flow4 fl = new Flow4(LOOPBACK, 0, 0, 0, 253);
            Rtable rt = Route.output(net, fl);
            IpOutput.Params p = new IpOutput.Params(fl.saddr, fl.daddr, 253, 0x10 | Ip.INET_ECN_ECT_0, 7);
            assertEquals(0, net.ipv4.out.buildAndSend(payload(new byte[]{1, 2, 3}), rt, p));
            assertEquals(1, c.got.size());
            SkBuff skb = c.got.get(0);
            assertEquals(3, skb.len());
            assertEquals(1, skb.get8(skb.data));
            int nh = skb.networkHeader;
            assertEquals(0x12, skb.get8(nh + Ip.TOS));
            assertEquals(7, skb.get8(nh + Ip.TTL));
            assertEquals(23, skb.get16(nh + Ip.TOT_LEN));
            assertEquals(1, ((IpCb) skb.cb).iif);
            // lo counted it once each way; the Ethernet header is not counted.
            assertEquals(1, net.loopback.stats64().rxPackets());
            assertEquals(23, net.loopback.stats64().txBytes());
        } finally {
            InetProtos.del(253, c);
        }
    }

    @Test
    void malformedHeadersAreDroppedAndCounted() {
        Net net = Net.standalone();
        Catcher c = new Catcher();
        InetProtos.add(253, c);
        try {
            // A header with a wrong checksum, handed to ip_rcv directly.
            SkBuff skb = payload(new byte[]{0x45, 0, 0, 20, 0, 0, 0, 0, 64, (byte) 253, 0x12, 0x34, 127, 0, 0, 1, 127, 0, 0, 1});
            skb.dev = net.loopback;
            IpInput.INSTANCE.rcv(skb, net.loopback);
            // Too short a total length.
            byte[] h = {0x45, 0, 0, 10, 0, 0, 0, 0, 64, (byte) 253, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1};
            int csum = Checksum.ipFastCsum(h, 0, 5);
            h[10] = (byte) (csum >> 8);
            h[11] = (byte) csum;
            SkBuff s2 = payload(h);
            IpInput.INSTANCE.rcv(s2, net.loopback);
            // Version 6 in an IPv4 packet.
            SkBuff s3 = payload(new byte[]{0x65, 0, 0, 20, 0, 0, 0, 0, 64, (byte) 253, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1});
            IpInput.INSTANCE.rcv(s3, net.loopback);
            assertEquals(0, c.got.size());
            assertEquals(3, net.ipv4.mib.ip.get(IpMib.IN_HDR_ERRORS));
        } finally {
            InetProtos.del(253, c);
        }
    }

    @Test
    void theStackAnswersEchoRequestsAndUnknownProtocols() {
        Net net = Net.standalone();
        byte[] echo = new byte[12];
        echo[0] = (byte) Icmp.ICMP_ECHO;
        SkBuff.put16(echo, 4, 0x1234);
        SkBuff.put16(echo, 6, 1);
        assertTrue(IcmpProto.sendIcmp(net, echo, LOOPBACK, 0, 0, 0));
        IpMib m = net.ipv4.mib;
        assertEquals(1, m.icmpMsg.get(Icmp.ICMP_ECHO));
        assertEquals(1, m.icmpMsg.get(Icmp.ICMP_ECHOREPLY));
        assertEquals(1, m.icmpMsg.get(256 + Icmp.ICMP_ECHOREPLY));
        // Protocol 254 has no handler: ICMP protocol unreachable comes back.
        Flow4 fl = new Flow4(LOOPBACK, 0, 0, 0, 254);
        Rtable rt = Route.output(net, fl);
        net.ipv4.out.buildAndSend(payload(new byte[8]), rt, new IpOutput.Params(fl.saddr, fl.daddr, 254, 0, 64));
        assertEquals(1, m.ip.get(IpMib.IN_UNKNOWN_PROTOS));
        assertEquals(1, m.icmpMsg.get(Icmp.ICMP_DEST_UNREACH));
    }

    @Test
    void addressesAddAndRemoveTheirRoutes() {
        Net net = Net.standalone();
        InDevice lo = InDevice.of(net.loopback);
        net.rtnl.lock();
        try {
            InIfaddr a = new InIfaddr(lo, 0x0a000001, 24);
            a.scope = Rtnetlink.RT_SCOPE_UNIVERSE;
            Devinet.insert(net, a);
            assertEquals(Rtnetlink.RTN_LOCAL, net.ipv4.fib.addrType(0x0a000001));
            // On a loopback device the whole prefix is local.
            assertEquals(Rtnetlink.RTN_LOCAL, net.ipv4.fib.addrType(0x0a000009));
            assertThrows(ErrnoException.class, () -> Devinet.insert(net, new InIfaddr(lo, 0x0a000001, 24)));
            Devinet.delete(net, a);
            assertEquals(Rtnetlink.RTN_UNICAST, net.ipv4.fib.addrType(0x0a000001));
            assertEquals(3, net.ipv4.fib.local.dump().size());
        } finally {
            net.rtnl.unlock();
        }
    }

    @Test
    void aDeviceGoingDownLosesItsRoutesAndGetsThemBack() {
        Net net = Net.standalone();
        net.rtnl.lock();
        try {
            dev.kava.net.core.Dev.close(net.loopback);
            assertTrue(net.ipv4.fib.local.dump().isEmpty());
            assertThrows(ErrnoException.class, () -> Route.output(net, new Flow4(LOOPBACK, 0, 0, 0, 17)));
            dev.kava.net.core.Dev.open(net.loopback);
            assertEquals(3, net.ipv4.fib.local.dump().size());
            assertEquals(1, InDevice.of(net.loopback).addresses().size());
        } finally {
            net.rtnl.unlock();
        }
    }
}
