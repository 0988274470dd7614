package dev.kava.net.ipv4;

import dev.kava.net.core.ProcNet;
import dev.kava.net.core.Sysctl;

/**
 * The net.ipv4 sysctls (net/ipv4/sysctl_net_ipv4.c) and IPv4's /proc/net files (snmp from
 * net/ipv4/proc.c).
 */
public final class Ipv4Proc {
    private Ipv4Proc() {}

    public static void register() {
        Sysctl.intVec("ipv4/ip_local_port_range", new Sysctl.IntVec() {
            @Override
            public int[] get(dev.kava.net.core.Net n) {
                return new int[]{n.ipv4.portRangeLo, n.ipv4.portRangeHi};
            }

            @Override
            public void set(dev.kava.net.core.Net n, int[] v) {
                n.ipv4.portRangeLo = v[0];
                n.ipv4.portRangeHi = v[1];
            }
        }, 1, 65535, v -> v.length == 2 && v[0] <= v[1]);
        Sysctl.intVec("ipv4/ping_group_range", new Sysctl.IntVec() {
            @Override
            public int[] get(dev.kava.net.core.Net n) {
                return new int[]{n.ipv4.pingGroupLo, n.ipv4.pingGroupHi};
            }

            @Override
            public void set(dev.kava.net.core.Net n, int[] v) {
                n.ipv4.pingGroupLo = v[0];
                n.ipv4.pingGroupHi = v[1];
            }
        }, 0, Integer.MAX_VALUE, null);
        Sysctl.intValue("ipv4/ip_default_ttl", n -> n.ipv4.ipDefaultTtl, (n, v) -> n.ipv4.ipDefaultTtl = v, 1, 255);
        Sysctl.value("ipv4/ip_forward", n -> Integer.toString(n.ipv4.ipForward));
        Sysctl.intValue("ipv4/ip_no_pmtu_disc", n -> n.ipv4.ipNoPmtuDisc, (n, v) -> n.ipv4.ipNoPmtuDisc = v, 0, 3);
        Sysctl.intValue("ipv4/ip_nonlocal_bind", n -> n.ipv4.ipNonlocalBind, (n, v) -> n.ipv4.ipNonlocalBind = v, 0, 1);
        Sysctl.intValue("ipv4/ip_unprivileged_port_start", n -> n.ipv4.ipUnprivilegedPortStart,
                (n, v) -> n.ipv4.ipUnprivilegedPortStart = v, 0, 65535);
        Sysctl.intValue("ipv4/icmp_echo_ignore_all", n -> n.ipv4.icmpEchoIgnoreAll, (n, v) -> n.ipv4.icmpEchoIgnoreAll = v, 0, 1);
        Sysctl.intValue("ipv4/icmp_echo_ignore_broadcasts", n -> n.ipv4.icmpEchoIgnoreBroadcasts,
                (n, v) -> n.ipv4.icmpEchoIgnoreBroadcasts = v, 0, 1);
        Sysctl.intValue("ipv4/icmp_ratelimit", n -> n.ipv4.icmpRatelimit, (n, v) -> n.ipv4.icmpRatelimit = v, 0, Integer.MAX_VALUE);
        Sysctl.intValue("ipv4/icmp_ratemask", n -> n.ipv4.icmpRatemask, (n, v) -> n.ipv4.icmpRatemask = v, 0, Integer.MAX_VALUE);
        Sysctl.intValue("ipv4/icmp_msgs_per_sec", n -> n.ipv4.icmpMsgsPerSec, (n, v) -> n.ipv4.icmpMsgsPerSec = v, 0, Integer.MAX_VALUE);
        Sysctl.intValue("ipv4/icmp_msgs_burst", n -> n.ipv4.icmpMsgsBurst, (n, v) -> n.ipv4.icmpMsgsBurst = v, 0, Integer.MAX_VALUE);
        ProcNet.register("snmp", (net, t) -> snmp(net));
        InetProc.register();
    }

    /**
     * Groups other protocols add to /proc/net/snmp after IcmpMsg, before Udp (TCP puts its "Tcp:"
     * header and value lines here): each returns its two lines, newline-terminated.
     */
    private static final java.util.List<java.util.function.Function<dev.kava.net.core.Net, String>> EXTRA_GROUPS =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public static void addSnmpGroup(java.util.function.Function<dev.kava.net.core.Net, String> group) {
        EXTRA_GROUPS.add(group);
    }

    /** snmp_seq_show_ipstats, icmp_put and the Udp/UdpLite groups: a header line and a value line per group. */
    static String snmp(dev.kava.net.core.Net net) {
        IpMib m = net.ipv4.mib;
        StringBuilder sb = new StringBuilder();
        sb.append("Ip: Forwarding DefaultTTL");
        for (String n : IpMib.IP_NAMES) sb.append(' ').append(n);
        sb.append("\nIp: ").append(net.ipv4.ipForward != 0 ? 1 : 2).append(' ').append(net.ipv4.ipDefaultTtl);
        for (int i = 0; i < IpMib.IP_NAMES.length; i++) sb.append(' ').append(m.ip.get(i));
        // icmp_put: the counters, then In and Out per message type.
        String[] types = {"DestUnreachs", "TimeExcds", "ParmProbs", "SrcQuenchs", "Redirects", "Echos", "EchoReps",
            "Timestamps", "TimestampReps", "AddrMasks", "AddrMaskReps"};
        int[] typeNums = {3, 11, 12, 4, 5, 8, 0, 13, 14, 17, 18};
        sb.append("\nIcmp: InMsgs InErrors InCsumErrors");
        for (String t : types) sb.append(" In").append(t);
        sb.append(" OutMsgs OutErrors OutRateLimitGlobal OutRateLimitHost");
        for (String t : types) sb.append(" Out").append(t);
        sb.append("\nIcmp: ").append(m.icmp.get(IpMib.ICMP_IN_MSGS)).append(' ').append(m.icmp.get(IpMib.ICMP_IN_ERRORS))
                .append(' ').append(m.icmp.get(IpMib.ICMP_IN_CSUM_ERRORS));
        for (int tn : typeNums) sb.append(' ').append(m.icmpMsg.get(tn));
        sb.append(' ').append(m.icmp.get(IpMib.ICMP_OUT_MSGS)).append(' ').append(m.icmp.get(IpMib.ICMP_OUT_ERRORS))
                .append(' ').append(m.icmp.get(IpMib.ICMP_OUT_RATELIMIT_GLOBAL)).append(' ')
                .append(m.icmp.get(IpMib.ICMP_OUT_RATELIMIT_HOST));
        for (int tn : typeNums) sb.append(' ').append(m.icmpMsg.get(256 + tn));
        // icmpmsg_put: only the types seen, "InTypeN"/"OutTypeN".
        StringBuilder names = new StringBuilder(), vals = new StringBuilder();
        for (int i = 0; i < 512; i++) {
            long v = m.icmpMsg.get(i);
            if (v == 0) continue;
            names.append(i < 256 ? " InType" + i : " OutType" + (i - 256));
            vals.append(' ').append(v);
        }
        if (names.length() > 0) sb.append("\nIcmpMsg:").append(names).append("\nIcmpMsg:").append(vals);
        sb.append('\n');
        for (var g : EXTRA_GROUPS) sb.append(g.apply(net));
        sb.append("Udp:");
        for (String n : IpMib.UDP_NAMES) sb.append(' ').append(n);
        sb.append("\nUdp:");
        for (int i = 0; i < IpMib.UDP_NAMES.length; i++) sb.append(' ').append(m.udp.get(i));
        sb.append("\nUdpLite:");
        for (String n : IpMib.UDP_NAMES) sb.append(' ').append(n);
        sb.append("\nUdpLite:");
        for (int i = 0; i < IpMib.UDP_NAMES.length; i++) sb.append(' ').append(m.udpLite.get(i));
        sb.append('\n');
        return sb.toString();
    }
}
