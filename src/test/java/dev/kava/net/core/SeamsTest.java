package dev.kava.net.core;

import dev.kava.abi.Rtnetlink;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.ipv4.Devinet;
import dev.kava.net.ipv4.FibAlias;
import dev.kava.net.ipv4.InDevice;
import dev.kava.net.ipv4.InIfaddr;
import dev.kava.net.ipv6.Inet6Dev;
import dev.kava.net.ipv6.Ip6Addr;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What NETLINK_ROUTE and TCP build on: every configuration change is reported to the
 * RtnlListeners in Linux's order (the address, then the routes it brings), changes need RTNL,
 * sysctls and /proc/net files come from their registries, fragments are reassembled in any order.
 */
class SeamsTest {
    /** Records the notifications as text. */
    static final class Recorder implements RtnlListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void link(NetDevice dev, boolean deleted, int change) {
            events.add((deleted ? "DELLINK " : "NEWLINK ") + dev.name);
        }

        @Override
        public void addr4(InIfaddr ifa, boolean deleted) {
            events.add((deleted ? "DELADDR " : "NEWADDR ") + ifa);
        }

        @Override
        public void route4(int tableId, FibAlias fa, boolean deleted) {
            events.add((deleted ? "DELROUTE " : "NEWROUTE ") + fa);
        }

        @Override
        public void addr6(Object ifa, boolean deleted) {
            events.add((deleted ? "DELADDR6 " : "NEWADDR6 ") + ifa);
        }

        @Override
        public void route6(Object rt, boolean deleted) {
            events.add((deleted ? "DELROUTE6 " : "NEWROUTE6 ") + rt);
        }
    }

    @Test
    void anAddressIsAnnouncedBeforeItsRoutes() {
        Net net = Net.standalone();
        Recorder r = new Recorder();
        net.addRtnlListener(r);
        net.rtnl.lock();
        try {
            InIfaddr a = new InIfaddr(InDevice.of(net.loopback), 0x0a000001, 24);
            Devinet.insert(net, a);
            assertEquals(List.of("NEWADDR 10.0.0.1/24 lo",
                    "NEWROUTE type 2 10.0.0.1/32 dev lo table 255",
                    "NEWROUTE type 2 10.0.0.0/24 dev lo table 255",
                    "NEWROUTE type 3 10.0.0.255/32 dev lo table 255"), r.events);
            r.events.clear();
            Devinet.delete(net, a);
            assertEquals("DELADDR 10.0.0.1/24 lo", r.events.get(0));
            assertEquals(4, r.events.size());
        } finally {
            net.rtnl.unlock();
        }
    }

    @Test
    void downAndUpAreReportedWithTheirRoutesAndAddresses() {
        Net net = Net.standalone();
        Recorder r = new Recorder();
        net.addRtnlListener(r);
        net.rtnl.lock();
        try {
            Dev.close(net.loopback);
            assertTrue(r.events.contains("DELADDR6 ::1/128"), r.events.toString());
            assertTrue(r.events.stream().anyMatch(e -> e.startsWith("DELROUTE type 2 127.0.0.1/32")));
            assertEquals("NEWLINK lo", r.events.get(r.events.size() - 1));
            r.events.clear();
            Dev.open(net.loopback);
            assertTrue(r.events.contains("NEWADDR6 ::1/128"), r.events.toString());
            assertTrue(Inet6Dev.of(net.loopback).addresses().stream().anyMatch(a -> Ip6Addr.isLoopback(a.addr)));
        } finally {
            net.rtnl.unlock();
        }
    }

    @Test
    void configurationNeedsRtnl() {
        Net net = Net.standalone();
        assertThrows(IllegalStateException.class, () -> Dev.setMtu(net.loopback, 1500));
    }

    @Test
    void userRoutesGoInAndOut() {
        Net net = Net.standalone();
        net.rtnl.lock();
        try {
            FibAlias unreach = new FibAlias(0x0a000000, 8, 0, Rtnetlink.RTN_UNREACHABLE, Rtnetlink.RT_SCOPE_UNIVERSE,
                    Rtnetlink.RTPROT_STATIC, 0, 0, 0, null, Rtnetlink.RT_TABLE_MAIN);
            net.ipv4.fib.insert(unreach);
            assertThrows(ErrnoException.class, () -> net.ipv4.fib.insert(unreach));
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> dev.kava.net.ipv4.Route.output(net, new dev.kava.net.ipv4.Flow4(0x0a010203, 0, 0, 0, 17)));
            assertEquals(dev.kava.abi.Errno.EHOSTUNREACH, e.errno);
            net.ipv4.fib.delete(unreach);
            assertThrows(ErrnoException.class, () -> net.ipv4.fib.delete(unreach));
        } finally {
            net.rtnl.unlock();
        }
    }

    @Test
    void registriesListWhatIsRegistered() {
        assertTrue(Sysctl.entries().stream().anyMatch(e -> e.path().equals("ipv4/ip_local_port_range")));
        assertTrue(ProcNet.files().containsKey("udp6"));
        Net net = Net.standalone();
        Sysctl.Entry range = Sysctl.entries().stream().filter(e -> e.path().equals("ipv4/ip_local_port_range")).findFirst().orElseThrow();
        assertEquals("32768\t60999\n", range.show().apply(net));
        range.store().accept(net, "1024 2048".getBytes());
        assertEquals(1024, net.ipv4.portRangeLo);
        assertThrows(ErrnoException.class, () -> range.store().accept(net, "3000 2000".getBytes()));
    }

    @Test
    void fragmentsReassembleInAnyOrderAndOverlapsDrop() {
        FragTable<String> t = new FragTable<>(1_000_000_000L, 1 << 20);
        FragTable.Queue[] out = new FragTable.Queue[1];
        int[] to = {0};
        SkBuff meta = SkBuff.alloc(0, 0);
        assertEquals(FragTable.Result.QUEUED, t.add("k", 16, new byte[]{3, 3}, true, null, 0, meta, 0, out, to));
        assertEquals(FragTable.Result.QUEUED, t.add("k", 8, new byte[8], false, null, 0, meta, 0, out, to));
        assertEquals(FragTable.Result.COMPLETE, t.add("k", 0, new byte[8], false, new byte[]{9}, 0, meta, 0, out, to));
        assertEquals(18, out[0].assemble().length);
        assertEquals(0, t.pending());
        t.add("x", 0, new byte[16], false, new byte[]{9}, 0, meta, 0, out, to);
        assertEquals(FragTable.Result.DROPPED, t.add("x", 8, new byte[16], true, null, 0, meta, 0, out, to));
        assertEquals(0, t.pending());
        // A queue older than the timeout goes when the table is next used.
        t.add("old", 0, new byte[8], false, new byte[]{9}, 0, meta, 0, out, to);
        t.add("new", 0, new byte[8], false, new byte[]{9}, 0, meta, 2_000_000_000L, out, to);
        assertEquals(1, to[0]);
        assertEquals(1, t.pending());
    }
}
