package dev.kava.net.ipv4;

import dev.kava.net.core.Net;

/**
 * A namespace's IPv4 state (struct netns_ipv4, include/net/netns/ipv4.h): the FIB, the
 * sysctls, the SNMP counters and the socket tables of the datagram protocols. Made by the
 * namespace before its first device, so its device notifier sees lo register and come up.
 */
public final class NetnsIpv4 {
    public final Net net;
    public final Fib fib;
    public final IpMib mib = new IpMib();
    /** Datagrams being reassembled (ipv4.fqdir). */
    public final dev.kava.net.core.FragTable<Object> frags = new dev.kava.net.core.FragTable<>(IpFragment.TIMEOUT, IpFragment.HIGH_THRESH);
    public final IpOutput out = new IpOutput(this);
    /** The UDP sockets of the namespace, IPv4 and IPv6 (udp_table). */
    public final UdpTable udp = new UdpTable();
    /** The UDP-Lite sockets, IPv4 and IPv6 (udplite_table): ports of their own. */
    public final UdpTable udplite = new UdpTable();

    /** The port table of UDP or of UDP-Lite (udp_table or udplite_table, by the socket's pcflag). */
    public UdpTable udpTable(boolean lite) {
        return lite ? udplite : udp;
    }
    /** The ping sockets (ping_table) and raw sockets (raw_v4_hashinfo and raw_v6_hashinfo). */
    public final PingTable ping = new PingTable();
    public final RawTable raw = new RawTable();

    // ---- sysctls (net.ipv4.*), Linux's defaults
    /** ip_local_port_range */
    public volatile int portRangeLo = 32768, portRangeHi = 60999;
    /** ping_group_range: none may create ping sockets until the administrator allows a group ("1 0"). */
    public volatile int pingGroupLo = 1, pingGroupHi = 0;
    public volatile int ipDefaultTtl = Ip.IPDEFTTL;
    public volatile int ipForward = 0;
    public volatile int ipNoPmtuDisc = 0;
    public volatile int ipNonlocalBind = 0;
    public volatile int ipUnprivilegedPortStart = 1024;
    public volatile int icmpEchoIgnoreAll = 0;
    public volatile int icmpEchoIgnoreBroadcasts = 1;
    public volatile int icmpIgnoreBogusErrorResponses = 1;
    /** icmp_ratelimit (ms) and icmp_ratemask (destination unreachable, source quench, time exceeded, parameter problem). */
    public volatile int icmpRatelimit = 1000, icmpRatemask = 0x1818;
    public volatile int icmpMsgsPerSec = 1000, icmpMsgsBurst = 50;
    public volatile int icmpErrorsUseInboundIfaddr = 0;
    public volatile int ipAutobindReuse = 0;

    public NetnsIpv4(Net net) {
        this.net = net;
        this.fib = new Fib(net);
        AfInet.init();
        // devinet's and the FIB's device notifiers (inetdev_notifier, fib_netdev_notifier).
        net.addNetdevListener((ev, dev) -> {
            Devinet.netdevEvent(net, ev, dev);
            fib.netdevEvent(ev, dev);
        });
    }

    /** inet_get_local_port_range */
    public int[] localPortRange() {
        return new int[]{portRangeLo, portRangeHi};
    }
}
