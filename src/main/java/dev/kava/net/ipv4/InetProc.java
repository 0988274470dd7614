package dev.kava.net.ipv4;

import dev.kava.abi.Socket;
import dev.kava.net.core.Net;
import dev.kava.net.core.ProcNet;
import dev.kava.net.ipv6.Addrconf;
import dev.kava.net.ipv6.Inet6Dev;
import dev.kava.net.ipv6.Inet6Ifaddr;

import java.util.List;

/**
 * The socket tables of /proc/net for the datagram protocols: udp and udp6 (udp4_format_sock,
 * __ip6_dgram_sock_seq_show), raw and raw6 (raw_sock_seq_show), icmp and icmp6 (the ping
 * sockets, ping_v4_format_sock), plus if_inet6, route and unix. Addresses print as the
 * kernel's big-endian words read in a little-endian CPU's order; the "pointer" column is a
 * hashed identity, as %pK prints for an unprivileged reader; hash buckets are kava's.
 */
public final class InetProc {
    private InetProc() {}

    static final String HEADER4 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops";
    static final String HEADER6 = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n";

    static void register() {
        ProcNet.register("udp", (net, t) -> udp4(net.ipv4.udp));
        ProcNet.register("udp6", (net, t) -> sock6(net, net.ipv4.udp.all(), true));
        ProcNet.register("udplite", (net, t) -> udp4(net.ipv4.udplite));
        ProcNet.register("udplite6", (net, t) -> sock6(net, net.ipv4.udplite.all(), true));
        ProcNet.register("raw", (net, t) -> raw4(net));
        ProcNet.register("raw6", (net, t) -> sock6(net, raw(net, Socket.AF_INET6), false));
        ProcNet.register("icmp", (net, t) -> ping4(net));
        ProcNet.register("icmp6", (net, t) -> sock6(net, ping(net, Socket.AF_INET6), true));
        ProcNet.register("if_inet6", (net, t) -> ifInet6(net));
        ProcNet.register("route", (net, t) -> route(net));
        ProcNet.register("unix", (net, t) -> net.kernel == null ? "" : dev.kava.net.unix.UnixProto.procNetUnix(net.kernel));
    }

    /** An IPv4 address as %08X of the __be32 on a little-endian machine. */
    static String hex4(int a) {
        return String.format("%08X", Integer.reverseBytes(a));
    }

    static String hex6(byte[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i += 4) sb.append(hex4(dev.kava.net.core.SkBuff.get32(a, i)));
        return sb.toString();
    }

    static String ptr(Object o) {
        return String.format("%016x", System.identityHashCode(o) & 0xffffffffL);
    }

    private static long rx(InetSock s) {
        return s instanceof UdpSock u ? u.rxQueue() : s instanceof InetDatagramSock d ? d.rxQueue() : 0;
    }

    private static int drops(InetSock s) {
        return s instanceof UdpSock u ? u.drops() : s instanceof InetDatagramSock d ? d.drops() : 0;
    }

    private static String row4(int bucket, InetSock s, int srcp, int destp) {
        return String.format("%5d: %s:%04X %s:%04X %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %s %d", bucket,
                hex4(s.rcvSaddr), srcp, hex4(s.daddr), destp, s.state, s.wmemAlloc(), rx(s), 0, 0, 0, s.uid, 0, s.ino, 2,
                ptr(s), drops(s));
    }

    /** udp4_seq_show for udp and udplite: IPv4 sockets (and dual-stack ones are udp6's), each line padded to 127 columns. */
    static String udp4(UdpTable table) {
        StringBuilder sb = new StringBuilder();
        int at = sb.length();
        sb.append("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops");
        ProcNet.padLine(sb, at, 128);
        for (UdpSock s : table.all()) {
            if (s.family != Socket.AF_INET) continue;
            at = sb.length();
            sb.append(row4(s.num & 0xff, s, s.sport, s.dport));
            ProcNet.padLine(sb, at, 128);
        }
        return sb.toString();
    }

    static List<RawSock> raw(Net net, int family) {
        return net.ipv4.raw.all().stream().filter(s -> s.family == family).toList();
    }

    static List<PingSock> ping(Net net, int family) {
        return net.ipv4.ping.all().stream().filter(s -> s.family == family).toList();
    }

    /** raw_seq_show: the port column is the protocol; lines are not padded. */
    static String raw4(Net net) {
        StringBuilder sb = new StringBuilder(HEADER4).append('\n');
        for (RawSock s : raw(net, Socket.AF_INET)) {
            sb.append(String.format("%4d: %s:%04X %s:%04X %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %s %d\n", s.num & 0xff,
                    hex4(s.rcvSaddr), s.num, hex4(s.daddr), 0, s.state, s.wmemAlloc(), rx(s), 0, 0, 0, s.uid, 0, s.ino, 2,
                    ptr(s), drops(s)));
        }
        return sb.toString();
    }

    /** ping_v4_seq_show: padded to 127 columns like udp. */
    static String ping4(Net net) {
        StringBuilder sb = new StringBuilder();
        int at = sb.length();
        sb.append(HEADER4);
        ProcNet.padLine(sb, at, 128);
        for (PingSock s : ping(net, Socket.AF_INET)) {
            at = sb.length();
            sb.append(row4(s.num & 63, s, s.sport, s.dport));
            ProcNet.padLine(sb, at, 128);
        }
        return sb.toString();
    }

    /** __ip6_dgram_sock_seq_show for udp6, raw6 and icmp6 (raw6's port column is the protocol). */
    static String sock6(Net net, List<? extends InetSock> socks, boolean ports) {
        StringBuilder sb = new StringBuilder(HEADER6);
        for (InetSock s : socks) {
            if (s.family != Socket.AF_INET6) continue;
            int srcp = ports ? s.sport : s.num, destp = ports ? s.dport : 0;
            int bucket = ports ? s.num & 0xff : s.num & 0xff;
            sb.append(String.format("%5d: %s:%04X %s:%04X %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %s %d\n", bucket,
                    hex6(s.v6.rcvSaddr), srcp, hex6(s.v6.daddr), destp, s.state, s.wmemAlloc(), rx(s), 0, 0, 0, s.uid, 0,
                    s.ino, 2, ptr(s), drops(s)));
        }
        return sb.toString();
    }

    /** if6_seq_show: address, ifindex, prefix length, scope, flags, device name. */
    static String ifInet6(Net net) {
        StringBuilder sb = new StringBuilder();
        for (dev.kava.net.core.NetDevice d : net.devices()) {
            Inet6Dev idev = Inet6Dev.of(d);
            if (idev == null) continue;
            for (Inet6Ifaddr a : idev.addresses()) {
                StringBuilder hex = new StringBuilder();
                for (byte b : a.addr) hex.append(String.format("%02x", b & 0xff));
                sb.append(String.format("%s %02x %02x %02x %02x %8s\n", hex, d.ifindex, a.prefixlen, Addrconf.scope(a.addr),
                        a.flags & 0xff, d.name));
            }
        }
        return sb.toString();
    }

    /** fib_route_seq_show: the main table's unicast routes, each line padded to 127 columns. */
    static String route(Net net) {
        StringBuilder sb = new StringBuilder();
        int at = sb.length();
        sb.append("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT");
        ProcNet.padLine(sb, at, 128);
        for (FibAlias fa : net.ipv4.fib.main.dump()) {
            if (fa.type() == dev.kava.abi.Rtnetlink.RTN_BROADCAST || fa.type() == dev.kava.abi.Rtnetlink.RTN_MULTICAST) continue;
            // fib_flag_trans: RTF_UP always, RTF_REJECT for unreachable and prohibit, RTF_GATEWAY, RTF_HOST for a /32.
            int flags = 0x0001;
            if (fa.type() == dev.kava.abi.Rtnetlink.RTN_UNREACHABLE || fa.type() == dev.kava.abi.Rtnetlink.RTN_PROHIBIT) flags |= 0x0200;
            if (fa.gateway() != 0) flags |= 0x0002;
            if (fa.dstLen() == 32) flags |= 0x0004;
            at = sb.length();
            sb.append(String.format("%s\t%s\t%s\t%04X\t%d\t%d\t%d\t%s\t%d\t%d\t%d", fa.dev() != null ? fa.dev().name : "*",
                    hex4(fa.dst()), hex4(fa.gateway()), flags, 0, 0, fa.priority(), hex4(Ip.mask(fa.dstLen())), 0, 0, 0));
            ProcNet.padLine(sb, at, 128);
        }
        return sb.toString();
    }
}
