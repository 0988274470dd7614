package dev.kava.net.ipv6;

import dev.kava.net.core.Net;
import dev.kava.net.ipv4.IpMib;

/**
 * A namespace's IPv6 state (struct netns_ipv6, include/net/netns/ipv6.h): the routing
 * tables, address configuration, output, counters and sysctls. Made before the first device,
 * so lo gets ::1 when it comes up.
 */
public final class NetnsIpv6 {
    public final Net net;
    public final Ip6Fib fib;
    public final Addrconf addrconf;
    public final Ip6Output out;
    /** The IPv6, ICMPv6 and UDP-over-IPv6 counters (/proc/net/snmp6). */
    public final IpMib mib = new IpMib();
    /** Datagrams being reassembled (ip6_frags). */
    public final dev.kava.net.core.FragTable<Object> frags = new dev.kava.net.core.FragTable<>(Ip6Fragment.TIMEOUT, Ip6Fragment.HIGH_THRESH);

    /** net.ipv6.conf.all.hop_limit */
    public volatile int hopLimit = 64;
    /** net.ipv6.bindv6only */
    public volatile int bindv6only = 0;
    /** net.ipv6.icmp.echo_ignore_all */
    public volatile int icmpEchoIgnoreAll = 0;

    public NetnsIpv6(Net net) {
        this.net = net;
        this.fib = new Ip6Fib(net);
        this.addrconf = new Addrconf(net);
        this.out = new Ip6Output(this);
        AfInet6.init();
        net.addNetdevListener(addrconf::netdevEvent);
    }
}
