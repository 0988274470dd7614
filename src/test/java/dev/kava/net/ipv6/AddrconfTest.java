package dev.kava.net.ipv6;

import dev.kava.abi.IfAddr;
import dev.kava.abi.Rtnetlink;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Net;
import dev.kava.net.core.RtnlListener;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A configured IPv6 address (what RTM_NEWADDR makes) goes through inet6_addr_add's steps in
 * Linux's order, as `ip -6 monitor` shows them on lo: the prefix route, the address tentative,
 * the address after DAD, its local route; removal announces the address, then its routes.
 * Dumps walk the table as fib6_walk does and list a device's addresses global scope first.
 */
class AddrconfTest {
    private static byte[] a(String s) throws Exception {
        return InetAddress.getByName(s).getAddress();
    }

    private static final class Recorder implements RtnlListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void addr6(Object ifa, boolean deleted) {
            Inet6Ifaddr i = (Inet6Ifaddr) ifa;
            events.add((deleted ? "DELADDR " : "NEWADDR ") + i + ((i.flags & IfAddr.IFA_F_TENTATIVE) != 0 ? " tentative" : ""));
        }

        @Override
        public void route6(Object rt, boolean deleted) {
            events.add((deleted ? "DELROUTE " : "NEWROUTE ") + rt);
        }
    }

    @Test
    void aConfiguredAddressIsAnnouncedAsLinuxDoesAndBecomesLocal() throws Exception {
        Net net = Net.standalone();
        Recorder r = new Recorder();
        net.addRtnlListener(r);
        net.rtnl.lock();
        try {
            Inet6Dev lo = Inet6Dev.of(net.loopback);
            byte[] addr = a("2001:db8::1");
            assertFalse(net.ipv6.addrconf.chkAddr(addr, null));
            Inet6Ifaddr ifa = new Inet6Ifaddr(lo, addr, 64, Addrconf.scope(addr), IfAddr.IFA_F_PERMANENT);
            net.ipv6.addrconf.addConfigured(ifa);
            assertEquals(List.of("NEWROUTE 2001:db8::/64 type 1 dev lo table 254",
                    "NEWADDR 2001:db8::1/64 tentative",
                    "NEWADDR 2001:db8::1/64",
                    "NEWROUTE 2001:db8::1/128 type 2 dev lo table 255"), r.events);
            assertTrue(net.ipv6.addrconf.chkAddr(addr, null));
            assertEquals(List.of("2001:db8::1/64", "::1/128"), lo.addresses().stream().map(Object::toString).toList());
            assertThrows(ErrnoException.class, () -> net.ipv6.addrconf.addConfigured(
                    new Inet6Ifaddr(lo, addr, 64, Addrconf.scope(addr), IfAddr.IFA_F_PERMANENT)));
            r.events.clear();
            net.ipv6.addrconf.delete(ifa);
            assertEquals(List.of("DELADDR 2001:db8::1/64",
                    "DELROUTE 2001:db8::1/128 type 2 dev lo table 255",
                    "DELROUTE 2001:db8::/64 type 1 dev lo table 254"), r.events);
            assertFalse(net.ipv6.addrconf.chkAddr(addr, null));
        } finally {
            net.rtnl.unlock();
        }
    }

    @Test
    void dumpsWalkTheTreeMoreSpecificPrefixesFirst() throws Exception {
        Net net = Net.standalone();
        net.rtnl.lock();
        try {
            for (String[] p : new String[][]{{"::", "0"}, {"2001:db8::", "32"}, {"2001:db8:1::", "48"}, {"::1", "128"},
                    {"fe80::", "64"}, {"2001:db8::", "64"}}) {
                net.ipv6.fib.insert(new Rt6Info(net.loopback, a(p[0]), Integer.parseInt(p[1]), Rtnetlink.RTN_UNICAST, null,
                        Rtnetlink.RTPROT_BOOT, 1024, 100, null, net.ipv6.out));
            }
            List<String> got = net.ipv6.fib.dump(100).stream().map(rt -> Ip6Addr.toString(rt.dst) + "/" + rt.dstLen).toList();
            assertEquals(List.of("::1/128", "2001:db8::/64", "2001:db8:1::/48", "2001:db8::/32", "fe80::/64", "::/0"), got);
        } finally {
            net.rtnl.unlock();
        }
    }
}
