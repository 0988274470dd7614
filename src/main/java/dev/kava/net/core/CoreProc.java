package dev.kava.net.core;

import dev.kava.abi.Socket;
import dev.kava.net.Sock;

/**
 * The core's sysctls (net/core/sysctl_net_core.c) and /proc/net/dev (net/core/net-procfs.c).
 */
final class CoreProc {
    private CoreProc() {}

    static void register() {
        Sysctl.intValue("core/somaxconn", n -> n.somaxconn, (n, v) -> n.somaxconn = v, 0, Integer.MAX_VALUE);
        Sysctl.value("core/netdev_max_backlog", n -> Integer.toString(Dev.NETDEV_MAX_BACKLOG));
        Sysctl.value("core/rmem_default", n -> Integer.toString(Sock.RMEM_DEFAULT));
        Sysctl.value("core/rmem_max", n -> Integer.toString(Sock.RMEM_MAX));
        Sysctl.value("core/wmem_default", n -> Integer.toString(Sock.WMEM_DEFAULT));
        Sysctl.value("core/wmem_max", n -> Integer.toString(Sock.WMEM_MAX));
        Sysctl.value("core/optmem_max", n -> Integer.toString(Sock.OPTMEM_MAX));
        ProcNet.register("dev", (net, t) -> dev(net));
        ProcNet.register("softnet_stat", (net, t) -> softnet());
        assert Socket.SOMAXCONN == 4096;
    }

    /** dev_seq_show: the header, then dev_seq_printf_stats for each device in ifindex order. */
    static String dev(Net net) {
        StringBuilder sb = new StringBuilder();
        sb.append("Inter-|   Receive                                                |  Transmit\n");
        sb.append(" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n");
        for (NetDevice d : net.devices()) {
            LinkStats.Snapshot s = d.stats64();
            sb.append(String.format("%6s: %7d %7d %4d %4d %4d %5d %10d %9d %8d %7d %4d %4d %4d %5d %7d %10d\n",
                    d.name, s.rxBytes(), s.rxPackets(), s.rxErrors(), s.rxDropped() + s.rxMissedErrors(),
                    s.rxFifoErrors(), s.rxLengthErrors() + s.rxOverErrors() + s.rxCrcErrors() + s.rxFrameErrors(),
                    s.rxCompressed(), s.multicast(), s.txBytes(), s.txPackets(), s.txErrors(), s.txDropped(),
                    s.txFifoErrors(), s.collisions(),
                    s.txCarrierErrors() + s.txAbortedErrors() + s.txWindowErrors() + s.txHeartbeatErrors(),
                    s.txCompressed()));
        }
        return sb.toString();
    }

    /** softnet_seq_show for the reading thread's backlog (kava's per-thread softnet data). */
    static String softnet() {
        long[] s = Dev.softnetStat();
        return String.format("%08x %08x %08x %08x %08x %08x %08x %08x %08x %08x %08x %08x %08x %08x %08x\n",
                s[0], s[1], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
