package dev.kava.net.netlink;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * One netlink protocol's sockets in one namespace (struct netlink_table, nl_table[protocol] of
 * net/netlink/af_netlink.c, whose hash is keyed by namespace and port id): the bound sockets by
 * port id, the sockets subscribed to multicast groups (mc_list), and the kernel socket.
 * Guarded by its monitor (nl_table_lock); a socket's own monitor may be taken inside it.
 */
final class NetlinkTable {
    private static final Map<Net, NetlinkTable[]> TABLES = new WeakHashMap<>();
    /** The kernel sides of the protocols kava has, by protocol number. */
    private static final Map<Integer, Function<Net, NetlinkKernel>> KERNELS = new HashMap<>();

    final Net net;
    final int protocol;
    /** The kernel socket; null when the protocol is not there (socket() fails with EPROTONOSUPPORT). */
    final NetlinkKernel kernel;
    private final Map<Integer, NetlinkSock> ports = new HashMap<>();
    private final List<NetlinkSock> mcList = new ArrayList<>();
    /** netlink_autobind's rover: negative port ids once the tgid is taken. */
    private int rover = -4097;

    private NetlinkTable(Net net, int protocol, NetlinkKernel kernel) {
        this.net = net;
        this.protocol = protocol;
        this.kernel = kernel;
    }

    /** netlink_kernel_create for every namespace: the protocol's kernel side, made per namespace. */
    static synchronized void registerKernel(int protocol, Function<Net, NetlinkKernel> factory) {
        KERNELS.put(protocol, factory);
    }

    /** The table of a protocol in a namespace (its kernel socket made on first use). */
    static NetlinkTable of(Net net, int protocol) {
        Function<Net, NetlinkKernel> f;
        synchronized (NetlinkTable.class) {
            f = KERNELS.get(protocol);
        }
        synchronized (TABLES) {
            NetlinkTable[] t = TABLES.computeIfAbsent(net, n -> new NetlinkTable[dev.kava.abi.Netlink.MAX_LINKS]);
            if (t[protocol] == null) t[protocol] = new NetlinkTable(net, protocol, f == null ? null : f.apply(net));
            return t[protocol];
        }
    }

    /** The number of groups (nl_table[].groups), 0 without a kernel side. */
    int groups() {
        return kernel == null ? 0 : Math.max(32, kernel.groups());
    }

    /** netlink_insert: EBUSY if sk is bound already, EADDRINUSE if the port id is taken. */
    synchronized void insert(NetlinkSock sk, int portid) {
        if (sk.portid != 0) throw ErrnoException.of(Errno.EBUSY);
        if (portid == 0 || ports.containsKey(portid)) throw ErrnoException.of(Errno.EADDRINUSE);
        ports.put(portid, sk);
        sk.portid = portid;
    }

    /** netlink_autobind: the caller's tgid, or the next free negative id below -4096. */
    synchronized void autobind(NetlinkSock sk, int tgid) {
        if (sk.portid != 0) return;
        int portid = tgid;
        while (portid == 0 || ports.containsKey(portid)) {
            portid = rover--;
            if (rover > -4097) rover = -4097;
        }
        insert(sk, portid);
    }

    /** netlink_lookup */
    synchronized NetlinkSock lookup(int portid) {
        return ports.get(portid);
    }

    /** netlink_remove */
    synchronized void remove(NetlinkSock sk) {
        if (sk.portid != 0) ports.remove(sk.portid, sk);
        mcList.remove(sk);
    }

    /** netlink_update_subscriptions: sk is on mc_list while it has groups. */
    synchronized void updateSubscriptions(NetlinkSock sk) {
        boolean want = sk.groupMask() != 0;
        if (want && !mcList.contains(sk)) mcList.add(sk);
        else if (!want) mcList.remove(sk);
    }

    /** The sockets subscribed to group (1-based). */
    synchronized List<NetlinkSock> members(int group) {
        List<NetlinkSock> out = new ArrayList<>();
        for (NetlinkSock s : mcList) if (s.inGroup(group)) out.add(s);
        return out;
    }

    /**
     * netlink_broadcast: a copy to each member of group except the port excluded; a member
     * whose receive buffer is full loses it and learns of it as ENOBUFS (netlink_overrun).
     * srcPortid is the sender's port id (0 for the kernel); the sending socket itself
     * (exclude, null for the kernel) gets no copy.
     */
    void broadcast(byte[] data, int srcPortid, int excludePortid, int group, NetlinkSock.Creds creds, NetlinkSock exclude) {
        for (NetlinkSock s : members(group)) {
            if (s == exclude || s.portid == excludePortid) continue;
            s.deliver(data, srcPortid, group, creds, true);
        }
    }
}
