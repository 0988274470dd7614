package dev.kava.net.netlink;

import dev.kava.abi.Errno;
import dev.kava.abi.Netlink;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.net.NetProto;
import dev.kava.net.Sock;
import dev.kava.net.SocketFile;
import dev.kava.net.core.Net;

/**
 * The AF_NETLINK family (netlink_family_ops and netlink_create in net/netlink/af_netlink.c).
 * kava has one protocol, NETLINK_ROUTE; a socket of any other is EPROTONOSUPPORT, as on a
 * kernel where that protocol's module is absent.
 */
public final class NetlinkProto implements NetProto {
    private static final NetlinkProto INSTANCE = new NetlinkProto();
    private static boolean initialized;

    private NetlinkProto() {}

    /** netlink_proto_init and rtnetlink_init: the family and NETLINK_ROUTE's kernel side. */
    public static synchronized void init() {
        if (initialized) return;
        initialized = true;
        NetlinkTable.registerKernel(Netlink.NETLINK_ROUTE, RouteNetlink::new);
        NetProto.Registry.register(INSTANCE);
    }

    @Override
    public int family() {
        return Socket.AF_NETLINK;
    }

    /** netlink_create: ESOCKTNOSUPPORT unless raw or datagram, EPROTONOSUPPORT for a protocol nobody serves. */
    @Override
    public Sock create(Task t, SocketFile sock, int protocol, boolean kern) {
        sock.state = Socket.SS_UNCONNECTED;
        if (sock.type != Socket.SOCK_RAW && sock.type != Socket.SOCK_DGRAM) throw ErrnoException.of(Errno.ESOCKTNOSUPPORT);
        if (protocol < 0 || protocol >= Netlink.MAX_LINKS) throw ErrnoException.of(Errno.EPROTONOSUPPORT);
        NetlinkTable table = NetlinkTable.of(Net.of(t.kernel), protocol);
        if (table.kernel == null) throw ErrnoException.of(Errno.EPROTONOSUPPORT);
        return new NetlinkSock(table, sock.type);
    }
}
