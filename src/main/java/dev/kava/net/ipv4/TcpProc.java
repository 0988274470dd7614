package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.Tcp;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Net;
import dev.kava.net.core.ProcNet;
import dev.kava.net.core.Sysctl;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * TCP's /proc/net/tcp (tcp4_seq_show, net/ipv4/tcp_ipv4.c) and its net.ipv4.tcp_* sysctls
 * (net/ipv4/sysctl_net_ipv4.c).
 */
public final class TcpProc {
    private TcpProc() {}

    /** TMPSZ: the width each line is padded to. */
    static final int TMPSZ = 150;
    /** USER_HZ: clock_t ticks per second. */
    static final int USER_HZ = 100;

    public static void register() {
        ProcNet.register("tcp", (net, t) -> show(net, false));
        ProcNet.register("tcp6", (net, t) -> show(net, true));
        ivec("tcp_ecn", n -> n.ecn, (n, v) -> n.ecn = v, 0, 5);
        ivec("tcp_sack", n -> n.sack, (n, v) -> n.sack = v, 0, 1);
        ivec("tcp_timestamps", n -> n.timestamps, (n, v) -> n.timestamps = v, 0, 2);
        ivec("tcp_window_scaling", n -> n.windowScaling, (n, v) -> n.windowScaling = v, 0, 1);
        ivec("tcp_fin_timeout", n -> n.finTimeout, (n, v) -> n.finTimeout = v, 0, Integer.MAX_VALUE / 1000);
        ivec("tcp_keepalive_time", n -> n.keepaliveTime, (n, v) -> n.keepaliveTime = v, 1, Integer.MAX_VALUE / 1000);
        ivec("tcp_keepalive_intvl", n -> n.keepaliveIntvl, (n, v) -> n.keepaliveIntvl = v, 1, Integer.MAX_VALUE / 1000);
        ivec("tcp_keepalive_probes", n -> n.keepaliveProbes, (n, v) -> n.keepaliveProbes = v, 1, 127);
        ivec("tcp_syn_retries", n -> n.synRetries, (n, v) -> n.synRetries = v, 1, 127);
        ivec("tcp_synack_retries", n -> n.synackRetries, (n, v) -> n.synackRetries = v, 0, 255);
        ivec("tcp_retries1", n -> n.retries1, (n, v) -> n.retries1 = v, 0, 255);
        ivec("tcp_retries2", n -> n.retries2, (n, v) -> n.retries2 = v, 0, 255);
        ivec("tcp_orphan_retries", n -> n.orphanRetries, (n, v) -> n.orphanRetries = v, 0, 255);
        ivec("tcp_moderate_rcvbuf", n -> n.moderateRcvbuf, (n, v) -> n.moderateRcvbuf = v, 0, 1);
        ivec("tcp_reordering", n -> n.reordering, (n, v) -> n.reordering = v, 1, 300);
        ivec("tcp_max_syn_backlog", n -> n.maxSynBacklog, (n, v) -> n.maxSynBacklog = v, 0, Integer.MAX_VALUE);
        ivec("tcp_tw_reuse", n -> n.twReuse, (n, v) -> n.twReuse = v, 0, 2);
        ivec("tcp_rfc1337", n -> n.rfc1337, (n, v) -> n.rfc1337 = v, 0, 1);
        ivec("tcp_abort_on_overflow", n -> n.abortOnOverflow, (n, v) -> n.abortOnOverflow = v, 0, 1);
        triple("tcp_rmem", n -> n.rmem, (n, v) -> n.rmem = v);
        triple("tcp_wmem", n -> n.wmem, (n, v) -> n.wmem = v);
        Sysctl.register(new Sysctl.Entry("ipv4/tcp_congestion_control", 0644,
                n -> TcpNet.of(n).congestionControl + "\n", (n, data) -> {
                    String name = new String(data, StandardCharsets.ISO_8859_1).trim();
                    int z = name.indexOf('\0');
                    if (z >= 0) name = name.substring(0, z);
                    if (TcpCong.create(name) == null) throw ErrnoException.of(Errno.ENOENT);
                    TcpNet.of(n).congestionControl = name;
                }));
        Sysctl.value("ipv4/tcp_available_congestion_control", n -> String.join(" ", TcpCong.AVAILABLE));
        Sysctl.value("ipv4/tcp_allowed_congestion_control", n -> String.join(" ", TcpCong.AVAILABLE));
    }

    private static void ivec(String name, java.util.function.Function<TcpNet, Integer> get,
                             java.util.function.BiConsumer<TcpNet, Integer> set, long min, long max) {
        Sysctl.intValue("ipv4/" + name, n -> get.apply(TcpNet.of(n)), (n, v) -> set.accept(TcpNet.of(n), v), min, max);
    }

    /** tcp_rmem, tcp_wmem: three ints, each at least 1. */
    private static void triple(String name, java.util.function.Function<TcpNet, int[]> get,
                               java.util.function.BiConsumer<TcpNet, int[]> set) {
        Sysctl.intVec("ipv4/" + name, new Sysctl.IntVec() {
            @Override
            public int[] get(Net net) {
                return get.apply(TcpNet.of(net)).clone();
            }

            @Override
            public void set(Net net, int[] v) {
                set.accept(TcpNet.of(net), v);
            }
        }, 1, Integer.MAX_VALUE, null);
    }

    private static String header() {
        StringBuilder sb = new StringBuilder();
        int start = sb.length();
        sb.append("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode");
        ProcNet.padLine(sb, start, TMPSZ);
        return sb.toString();
    }

    /** An address as the raw big-endian word printed on a little-endian host (%08X of a __be32). */
    private static int le(int addr) {
        return Integer.reverseBytes(addr);
    }

    private static long clockT(long nanos) {
        return Math.max(0, nanos) / (1_000_000_000L / USER_HZ);
    }

    /** The header of /proc/net/tcp6 (tcp6_seq_show), a line of its own width. */
    private static final String HEADER6 = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    /** An IPv6 address as tcp6_seq_show prints it: its four 32-bit words, each %08X of the raw word on a little-endian host. */
    private static String hex6(byte[] a) {
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < 16; i += 4) sb.append(String.format("%08X", le(dev.kava.net.core.SkBuff.get32(a, i))));
        return sb.toString();
    }

    /**
     * tcp4_seq_show (v6 false: AF_INET sockets) or tcp6_seq_show (v6: AF_INET6 sockets, their
     * v4-mapped connections included, with 128-bit addresses and unpadded lines): listeners,
     * then connections and TIME_WAIT entries.
     */
    static String show(Net net, boolean v6) {
        TcpNet tn = TcpNet.of(net);
        int fam = v6 ? dev.kava.abi.Socket.AF_INET6 : dev.kava.abi.Socket.AF_INET;
        StringBuilder sb = new StringBuilder(v6 ? HEADER6 : header());
        List<Object> all = tn.all();
        int i = 0;
        for (Object o : all) {
            int start = sb.length();
            if (o instanceof TcpSock s) {
                if (s.family != fam) continue;
                synchronized (s) {
                    int st = s.state;
                    long now = s.nowNs();
                    int timerActive = 0;
                    long expires = now;
                    if (s.rtxTimer.pending()) {
                        timerActive = s.pendingTimer == TcpSock.ICSK_TIME_PROBE0 ? 4 : 1;
                        expires = s.rtxTimer.expires();
                    } else if (s.keepaliveTimer.pending()) {
                        timerActive = 2;
                        expires = s.keepaliveTimer.expires();
                    }
                    int rxq = st == Tcp.TCP_LISTEN ? s.acceptq.size() : (int) Math.max(0, s.rcvNxt - s.copiedSeq - (s.finConsumed ? 1 : 0));
                    long txq = st == Tcp.TCP_LISTEN ? 0 : s.writeSeq - s.sndUna;
                    long ssthresh = st == Tcp.TCP_LISTEN ? 0
                            : (s.sndSsthresh >= TcpSock.TCP_INFINITE_SSTHRESH ? -1 : s.sndSsthresh);
                    String local = v6 ? hex6(s.v6.rcvSaddr) : String.format("%08X", le(s.rcvSaddr));
                    String remote = v6 ? hex6(s.v6.daddr) : String.format("%08X", le(s.daddr));
                    sb.append(String.format("%4d: %s:%04X %s:%04X %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %016x %d %d %d %d %d",
                            i, local, s.num, remote, s.dport, st, (int) txq, rxq, timerActive,
                            clockT(expires - now), s.retransmits, s.uid, s.probesOut, s.ino, 1,
                            System.identityHashCode(s) * 0x9E3779B97F4A7C15L, (s.rtoUs * USER_HZ + 999_999) / 1_000_000,
                            s.everConnected ? s.atoUs * USER_HZ / 1_000_000 : 0,
                            (Math.min(s.quickAcks, 127) << 1) | (s.pingpong ? 1 : 0), s.sndCwnd, ssthresh));
                }
            } else {
                TimeWaitSock tw = (TimeWaitSock) o;
                if (tw.family != fam) continue;
                long delta = tw.expiresNanos() - tw.timer.now();
                String local = v6 ? hex6(tw.procLaddr6) : String.format("%08X", le(tw.laddr));
                String remote = v6 ? hex6(tw.procRaddr6) : String.format("%08X", le(tw.raddr));
                sb.append(String.format("%4d: %s:%04X %s:%04X %02X %08X:%08X %02X:%08X %08X %5d %8d %d %d %016x",
                        i, local, tw.lport, remote, tw.rport, tw.substate == Tcp.TCP_FIN_WAIT2
                                ? Tcp.TCP_FIN_WAIT2 : Tcp.TCP_TIME_WAIT, 0, 0, 3, clockT(delta), 0, 0, 0, 0, 1,
                        System.identityHashCode(tw) * 0x9E3779B97F4A7C15L));
            }
            if (v6) sb.append('\n');
            else ProcNet.padLine(sb, start, TMPSZ);
            i++;
        }
        return sb.toString();
    }
}
