package dev.kava.net.netlink;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.IfLink;
import dev.kava.abi.Netlink;
import dev.kava.abi.Rtnetlink;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Dev;
import dev.kava.net.core.LinkStats;
import dev.kava.net.core.NetDevice;
import dev.kava.net.sched.Qdisc;

import java.util.ArrayList;
import java.util.List;

/**
 * Link messages (net/core/rtnetlink.c): rtnl_fill_ifinfo's RTM_NEWLINK for a device,
 * RTM_GETLINK as a dump and by index or name, and RTM_NEWLINK/SETLINK's do_setlink for the
 * settings kava's devices have (MTU, flags, name, transmit queue length, group, alias,
 * broadcast address). kava has no link types to create (RTM_NEWLINK with NLM_F_CREATE for a
 * new device: EOPNOTSUPP "Unknown device type"), and its devices cannot be deleted.
 */
final class RtnlLink {
    private RtnlLink() {}

    /** struct ifinfomsg offsets. */
    static final int IFI_FAMILY = 0, IFI_TYPE = 2, IFI_INDEX = 4, IFI_FLAGS = 8, IFI_CHANGE = 12;

    /** GSO_MAX_SEGS, GSO_LEGACY_MAX_SIZE, GRO_LEGACY_MAX_SIZE, TSO_LEGACY_MAX_SIZE (include/linux/netdevice.h). */
    private static final int GSO_MAX_SEGS = 65535, GSO_LEGACY_MAX_SIZE = 65536, GRO_LEGACY_MAX_SIZE = 65536;
    private static final int TSO_LEGACY_MAX_SIZE = 65536;
    /** GSO_MAX_SIZE (8 * GSO_LEGACY_MAX_SIZE - 8... as 524280): what loopback_setup gives lo as tso_max_size. */
    private static final int GSO_MAX_SIZE = 524280;
    /** IFALIASZ */
    private static final int IFALIASZ = 256;
    /** if_nlmsg_size's worth for one device: rtnl_calcit's min_dump_alloc. */
    static final int MIN_DUMP_ALLOC = 1024;

    /** ifla_policy's minimum payloads for the attributes kava reads (and exact sizes for strict checking). */
    private static final int[] MIN = new int[IfLink.IFLA_MAX + 1];
    private static final boolean[] EXACT = new boolean[IfLink.IFLA_MAX + 1];

    static {
        for (int a : new int[]{IfLink.IFLA_MTU, IfLink.IFLA_TXQLEN, IfLink.IFLA_GROUP, IfLink.IFLA_EXT_MASK,
                IfLink.IFLA_MASTER, IfLink.IFLA_LINK, IfLink.IFLA_NET_NS_PID, IfLink.IFLA_NET_NS_FD,
                IfLink.IFLA_TARGET_NETNSID, IfLink.IFLA_PROMISCUITY, IfLink.IFLA_NUM_TX_QUEUES,
                IfLink.IFLA_NUM_RX_QUEUES, IfLink.IFLA_GSO_MAX_SEGS, IfLink.IFLA_GSO_MAX_SIZE, IfLink.IFLA_NEW_IFINDEX}) {
            MIN[a] = 4;
            EXACT[a] = true;
        }
        for (int a : new int[]{IfLink.IFLA_OPERSTATE, IfLink.IFLA_LINKMODE, IfLink.IFLA_CARRIER, IfLink.IFLA_PROTO_DOWN}) {
            MIN[a] = 1;
            EXACT[a] = true;
        }
    }

    record Answer(List<byte[]> msgs, boolean filtered, int minAlloc) {}

    /** rtnl_dev_combine_flags: ifi_change 0 means every flag. */
    private static int combineFlags(NetDevice dev, int flags, int change) {
        if (change != 0) flags = (flags & change) | (dev.flags & ~change);
        return flags;
    }

    /**
     * rtnl_fill_ifinfo: the device's RTM_NEWLINK (or RTM_DELLINK) message, in the order Linux
     * puts its attributes. extMask is IFLA_EXT_MASK's RTEXT_FILTER_* bits.
     */
    static byte[] fill(NetDevice dev, int type, int portid, int seq, int change, int flags, int extMask) {
        NlMsg m = new NlMsg(type, flags, seq, portid);
        int h = m.reserve(IfLink.IFINFOMSG_SIZE);
        m.put8(h + IFI_FAMILY, Socket.AF_UNSPEC);
        m.put16(h + IFI_TYPE, dev.type);
        m.put32(h + IFI_INDEX, dev.ifindex);
        m.put32(h + IFI_FLAGS, dev.getFlags());
        m.put32(h + IFI_CHANGE, change);
        Qdisc q = dev.qdisc;
        m.string(IfLink.IFLA_IFNAME, dev.name);
        m.u32(IfLink.IFLA_TXQLEN, dev.txQueueLen);
        m.u8(IfLink.IFLA_OPERSTATE, dev.isUp() ? dev.operstate : If.IF_OPER_DOWN);
        m.u8(IfLink.IFLA_LINKMODE, dev.linkMode);
        m.u32(IfLink.IFLA_MTU, dev.mtu);
        m.u32(IfLink.IFLA_MIN_MTU, dev.minMtu);
        m.u32(IfLink.IFLA_MAX_MTU, dev.maxMtu);
        m.u32(IfLink.IFLA_GROUP, dev.group);
        // No promiscuous or allmulti users exist in kava (no packet sockets yet): the counts are 0.
        m.u32(IfLink.IFLA_PROMISCUITY, 0);
        m.u32(IfLink.IFLA_ALLMULTI, 0);
        // kava's devices have one transmit and one receive queue.
        m.u32(IfLink.IFLA_NUM_TX_QUEUES, 1);
        m.u32(IfLink.IFLA_GSO_MAX_SEGS, GSO_MAX_SEGS);
        m.u32(IfLink.IFLA_GSO_MAX_SIZE, GSO_LEGACY_MAX_SIZE);
        m.u32(IfLink.IFLA_GRO_MAX_SIZE, GRO_LEGACY_MAX_SIZE);
        m.u32(IfLink.IFLA_TSO_MAX_SIZE, (dev.flags & If.IFF_LOOPBACK) != 0 ? GSO_MAX_SIZE : TSO_LEGACY_MAX_SIZE);
        m.u32(IfLink.IFLA_TSO_MAX_SEGS, GSO_MAX_SEGS);
        m.u32(IfLink.IFLA_NUM_RX_QUEUES, 1);
        m.u8(IfLink.IFLA_CARRIER, dev.carrier ? 1 : 0);
        m.string(IfLink.IFLA_QDISC, q == null ? "noop" : q.id());
        String alias = dev.ifalias;
        if (alias != null && !alias.isEmpty()) m.string(IfLink.IFLA_IFALIAS, alias);
        // The carrier never changes on kava's devices: no ups or downs to count.
        m.u32(IfLink.IFLA_CARRIER_CHANGES, 0);
        m.u32(IfLink.IFLA_CARRIER_UP_COUNT, 0);
        m.u32(IfLink.IFLA_CARRIER_DOWN_COUNT, 0);
        m.u8(IfLink.IFLA_PROTO_DOWN, 0);
        // rtnl_fill_link_ifmap: struct rtnl_link_ifmap (mem_start, mem_end, base_addr, irq, dma, port), all 0.
        m.attr(IfLink.IFLA_MAP, new byte[32]);
        if (dev.addrLen > 0) {
            m.attr(IfLink.IFLA_ADDRESS, java.util.Arrays.copyOf(dev.devAddr, dev.addrLen));
            m.attr(IfLink.IFLA_BROADCAST, java.util.Arrays.copyOf(dev.broadcast, dev.addrLen));
        }
        if ((extMask & Rtnetlink.RTEXT_FILTER_SKIP_STATS) == 0) fillStats(m, dev.stats64());
        int xdp = m.nestStart(IfLink.IFLA_XDP);
        m.u8(IfLink.IFLA_XDP_ATTACHED, IfLink.XDP_ATTACHED_NONE);
        m.nestEnd(xdp);
        return m.bytes();
    }

    /** rtnl_fill_stats: IFLA_STATS64, then the same counters truncated to 32 bits as IFLA_STATS. */
    private static void fillStats(NlMsg m, LinkStats.Snapshot s) {
        long[] v = {s.rxPackets(), s.txPackets(), s.rxBytes(), s.txBytes(), s.rxErrors(), s.txErrors(), s.rxDropped(),
                s.txDropped(), s.multicast(), s.collisions(), s.rxLengthErrors(), s.rxOverErrors(), s.rxCrcErrors(),
                s.rxFrameErrors(), s.rxFifoErrors(), s.rxMissedErrors(), s.txAbortedErrors(), s.txCarrierErrors(),
                s.txFifoErrors(), s.txHeartbeatErrors(), s.txWindowErrors(), s.rxCompressed(), s.txCompressed(),
                s.rxNohandler(), s.rxOtherhostDropped()};
        byte[] b64 = new byte[IfLink.RTNL_LINK_STATS64_SIZE];
        for (int i = 0; i < 25; i++) dev.kava.kernel.Uaccess.putLong(b64, 8 * i, v[i]);
        m.attr(IfLink.IFLA_STATS64, b64);
        byte[] b32 = new byte[IfLink.RTNL_LINK_STATS_SIZE];
        for (int i = 0; i < 24; i++) dev.kava.kernel.Uaccess.putInt(b32, 4 * i, (int) v[i]);
        m.attr(IfLink.IFLA_STATS, b32);
    }

    /**
     * rtnl_dump_ifinfo with rtnl_valid_dump_ifinfo_req: in strict mode the header must be a
     * zeroed ifinfomsg (EINVAL) and only known attributes may follow; IFLA_EXT_MASK selects
     * what is shown and IFLA_MASTER filters (no kava device has a master).
     */
    static Answer dump(RouteNetlink rn, RouteNetlink.Request r) {
        NlAttrs a = null;
        try {
            if (r.strict()) {
                if (r.payloadLen() < IfLink.IFINFOMSG_SIZE) throw r.fail(Errno.EINVAL, "Invalid header for link dump");
                if (r.u8(1) != 0 || r.u16(IFI_TYPE) != 0 || r.u32(IFI_FLAGS) != 0 || r.u32(IFI_CHANGE) != 0) {
                    throw r.fail(Errno.EINVAL, "Invalid values in header for link dump request");
                }
                if (r.u32(IFI_INDEX) != 0) throw r.fail(Errno.EINVAL, "Filter by device index not supported for link dumps");
            }
            int hdrlen = r.payloadLen() < IfLink.IFINFOMSG_SIZE ? Rtnetlink.RTGENMSG_SIZE : IfLink.IFINFOMSG_SIZE;
            a = r.attrs(hdrlen, IfLink.IFLA_MAX, MIN, EXACT, r.strict());
        } catch (ErrnoException e) {
            if (r.strict()) throw e;
        }
        int extMask = 0, master = 0;
        if (a != null) {
            if (a.has(IfLink.IFLA_TARGET_NETNSID)) throw ErrnoException.of(Errno.EINVAL);
            if (a.has(IfLink.IFLA_EXT_MASK)) extMask = a.u32(IfLink.IFLA_EXT_MASK);
            if (a.has(IfLink.IFLA_MASTER)) master = a.u32(IfLink.IFLA_MASTER);
        }
        List<byte[]> out = new ArrayList<>();
        rn.net.rtnl.lock();
        try {
            for (NetDevice dev : rn.net.devices()) {
                if (master != 0) continue; // link_dump_filtered: no device has this master
                out.add(fill(dev, Rtnetlink.RTM_NEWLINK, r.src.portid, r.seq, 0, Netlink.NLM_F_MULTI, extMask));
            }
        } finally {
            rn.net.rtnl.unlock();
        }
        return new Answer(out, master != 0, MIN_DUMP_ALLOC);
    }

    /** rtnl_dev_get: by IFLA_IFNAME (IFLA_ALT_IFNAME: kava devices have no alternative names). */
    /**
     * The device a link request names, as rtnl_getlink/setlink/dellink find it: by ifi_index when
     * positive, else by IFLA_IFNAME or IFLA_ALT_IFNAME; EINVAL when it names none, ENODEV when
     * there is no such device. Holds RTNL.
     */
    private static NetDevice namedDev(RouteNetlink rn, RouteNetlink.Request r, NlAttrs a, int index) {
        NetDevice dev;
        if (index > 0) dev = rn.net.devByIndex(index);
        else if (hasName(a)) dev = byName(rn, r, a);
        else throw ErrnoException.of(Errno.EINVAL);
        if (dev == null) throw ErrnoException.of(Errno.ENODEV);
        return dev;
    }

    private static boolean hasName(NlAttrs a) {
        return a.has(IfLink.IFLA_IFNAME) || a.has(IfLink.IFLA_ALT_IFNAME);
    }

    private static NetDevice byName(RouteNetlink rn, RouteNetlink.Request r, NlAttrs a) {
        if (a.has(IfLink.IFLA_IFNAME)) {
            checkName(r, a, IfLink.IFLA_IFNAME);
            return rn.net.devByName(a.string(IfLink.IFLA_IFNAME));
        }
        checkName(r, a, IfLink.IFLA_ALT_IFNAME);
        return null;
    }

    /** ifla_policy: IFLA_IFNAME is an NLA_STRING of at most IFNAMSIZ-1 bytes (ERANGE). */
    private static void checkName(RouteNetlink.Request r, NlAttrs a, int type) {
        if (a.has(type) && a.stringLength(type) > If.IFNAMSIZ - 1) throw ErrnoException.of(Errno.ERANGE);
    }

    /** rtnl_getlink with rtnl_valid_getlink_req: the device by index, else by name; EINVAL for neither, ENODEV for none. */
    static void get(RouteNetlink rn, RouteNetlink.Request r) {
        if (r.payloadLen() < IfLink.IFINFOMSG_SIZE) throw r.fail(Errno.EINVAL, "Invalid header for get link");
        if (r.strict() && (r.u8(1) != 0 || r.u16(IFI_TYPE) != 0 || r.u32(IFI_FLAGS) != 0 || r.u32(IFI_CHANGE) != 0)) {
            throw r.fail(Errno.EINVAL, "Invalid values in header for get link request");
        }
        NlAttrs a = r.attrs(IfLink.IFINFOMSG_SIZE, IfLink.IFLA_MAX, MIN, EXACT, r.strict());
        if (r.strict()) {
            for (int t = 1; t <= IfLink.IFLA_MAX; t++) {
                if (!a.has(t)) continue;
                switch (t) {
                    case IfLink.IFLA_IFNAME, IfLink.IFLA_ALT_IFNAME, IfLink.IFLA_EXT_MASK, IfLink.IFLA_TARGET_NETNSID -> { }
                    default -> throw r.fail(Errno.EINVAL, "Unsupported attribute in get link request");
                }
            }
        }
        if (a.has(IfLink.IFLA_TARGET_NETNSID)) throw ErrnoException.of(Errno.EINVAL);
        int extMask = a.has(IfLink.IFLA_EXT_MASK) ? a.u32(IfLink.IFLA_EXT_MASK) : 0;
        int index = r.u32(IFI_INDEX);
        byte[] msg;
        rn.net.rtnl.lock();
        try {
            NetDevice dev = namedDev(rn, r, a, index);
            msg = fill(dev, Rtnetlink.RTM_NEWLINK, r.src.portid, r.seq, 0, 0, extMask);
        } finally {
            rn.net.rtnl.unlock();
        }
        rn.unicast(r, msg);
    }

    /** rtnl_newlink: an existing device is changed (do_setlink); kava has no device kinds to create. */
    static void newLink(RouteNetlink rn, RouteNetlink.Request r) {
        if (r.payloadLen() < IfLink.IFINFOMSG_SIZE) throw ErrnoException.of(Errno.EINVAL);
        NlAttrs a = r.attrs(IfLink.IFINFOMSG_SIZE, IfLink.IFLA_MAX, MIN, EXACT, false);
        int index = r.u32(IFI_INDEX);
        rn.net.rtnl.lock();
        try {
            NetDevice dev = null;
            boolean specified = false;
            if (index > 0) {
                specified = true;
                dev = rn.net.devByIndex(index);
            } else if (index < 0) {
                throw r.fail(Errno.EINVAL, "ifindex can't be negative");
            } else if (hasName(a)) {
                specified = true;
                dev = byName(rn, r, a);
            }
            if (dev != null) {
                if ((r.flags & Netlink.NLM_F_EXCL) != 0) throw ErrnoException.of(Errno.EEXIST);
                if ((r.flags & Netlink.NLM_F_REPLACE) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
                doSetlink(r, dev, a);
                return;
            }
            if ((r.flags & Netlink.NLM_F_CREATE) == 0) {
                if (specified || !a.has(IfLink.IFLA_GROUP)) throw ErrnoException.of(Errno.ENODEV);
                // A change to every device of a group.
                int group = a.u32(IfLink.IFLA_GROUP);
                for (NetDevice d : rn.net.devices()) if (d.group == group) doSetlink(r, d, a);
                return;
            }
            if (a.has(IfLink.IFLA_MAP) || a.has(IfLink.IFLA_PROTINFO)) throw ErrnoException.of(Errno.EOPNOTSUPP);
            throw r.fail(Errno.EOPNOTSUPP, "Unknown device type");
        } finally {
            rn.net.rtnl.unlock();
        }
    }

    /** rtnl_setlink */
    static void setLink(RouteNetlink rn, RouteNetlink.Request r) {
        if (r.payloadLen() < IfLink.IFINFOMSG_SIZE) throw ErrnoException.of(Errno.EINVAL);
        NlAttrs a = r.attrs(IfLink.IFINFOMSG_SIZE, IfLink.IFLA_MAX, MIN, EXACT, false);
        int index = r.u32(IFI_INDEX);
        rn.net.rtnl.lock();
        try {
            NetDevice dev = namedDev(rn, r, a, index);
            doSetlink(r, dev, a);
        } finally {
            rn.net.rtnl.unlock();
        }
    }

    /** rtnl_dellink: the device must have link ops with dellink; kava's (lo) have none. */
    static void delLink(RouteNetlink rn, RouteNetlink.Request r) {
        if (r.payloadLen() < IfLink.IFINFOMSG_SIZE) throw ErrnoException.of(Errno.EINVAL);
        NlAttrs a = r.attrs(IfLink.IFINFOMSG_SIZE, IfLink.IFLA_MAX, MIN, EXACT, false);
        int index = r.u32(IFI_INDEX);
        rn.net.rtnl.lock();
        try {
            // rtnl_group_dellink: a group names no single device; kava's devices have no dellink.
            if (index <= 0 && !hasName(a) && a.has(IfLink.IFLA_GROUP)) throw ErrnoException.of(Errno.EOPNOTSUPP);
            namedDev(rn, r, a, index);
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        } finally {
            rn.net.rtnl.unlock();
        }
    }

    /**
     * validate_linkmsg and do_setlink, in Linux's order: what a kava device cannot do (change
     * namespace, hardware map, MAC address, master, carrier, link kind, per-family settings,
     * XDP, operstate and link mode) is EOPNOTSUPP; then MTU, group, name, alias, broadcast
     * address, flags and transmit queue length. Each change is notified by the device core.
     */
    private static void doSetlink(RouteNetlink.Request r, NetDevice dev, NlAttrs a) {
        if (a.has(IfLink.IFLA_ADDRESS) && a.length(IfLink.IFLA_ADDRESS) < dev.addrLen) throw ErrnoException.of(Errno.EINVAL);
        if (a.has(IfLink.IFLA_BROADCAST) && a.length(IfLink.IFLA_BROADCAST) < dev.addrLen) throw ErrnoException.of(Errno.EINVAL);
        checkName(r, a, IfLink.IFLA_IFNAME);
        if (a.has(IfLink.IFLA_IFALIAS) && a.length(IfLink.IFLA_IFALIAS) > IFALIASZ - 1) throw ErrnoException.of(Errno.ERANGE);
        for (int t : new int[]{IfLink.IFLA_NET_NS_PID, IfLink.IFLA_NET_NS_FD, IfLink.IFLA_TARGET_NETNSID, IfLink.IFLA_MAP,
                IfLink.IFLA_ADDRESS, IfLink.IFLA_MASTER, IfLink.IFLA_CARRIER, IfLink.IFLA_LINKINFO, IfLink.IFLA_AF_SPEC,
                IfLink.IFLA_VFINFO_LIST, IfLink.IFLA_VF_PORTS, IfLink.IFLA_PORT_SELF, IfLink.IFLA_XDP,
                IfLink.IFLA_PROTO_DOWN, IfLink.IFLA_OPERSTATE, IfLink.IFLA_LINKMODE, IfLink.IFLA_GSO_MAX_SIZE,
                IfLink.IFLA_GSO_MAX_SEGS, IfLink.IFLA_GRO_MAX_SIZE}) {
            if (a.has(t)) throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        if (a.has(IfLink.IFLA_MTU)) {
            int mtu = a.u32(IfLink.IFLA_MTU);
            if (mtu < 0 || mtu < dev.minMtu) throw r.fail(Errno.EINVAL, "mtu less than device minimum");
            if (dev.maxMtu > 0 && mtu > dev.maxMtu) throw r.fail(Errno.EINVAL, "mtu greater than device maximum");
            Dev.setMtu(dev, mtu);
        }
        if (a.has(IfLink.IFLA_GROUP) && dev.group != a.u32(IfLink.IFLA_GROUP)) {
            dev.group = a.u32(IfLink.IFLA_GROUP);
            dev.net.notifyLink(dev, false, 0);
        }
        if (r.u32(IFI_INDEX) > 0 && a.has(IfLink.IFLA_IFNAME) && a.stringLength(IfLink.IFLA_IFNAME) > 0) {
            Dev.changeName(dev, a.string(IfLink.IFLA_IFNAME));
        }
        if (a.has(IfLink.IFLA_IFALIAS)) {
            String alias = a.string(IfLink.IFLA_IFALIAS);
            dev.ifalias = alias.isEmpty() ? null : alias;
            dev.net.notifyLink(dev, false, 0);
        }
        if (a.has(IfLink.IFLA_BROADCAST)) {
            dev.broadcast = java.util.Arrays.copyOf(a.bytes(IfLink.IFLA_BROADCAST), dev.addrLen);
            dev.net.notifyLink(dev, false, 0);
        }
        int flags = r.u32(IFI_FLAGS), change = r.u32(IFI_CHANGE);
        if (flags != 0 || change != 0) Dev.changeFlags(dev, combineFlags(dev, flags, change));
        if (a.has(IfLink.IFLA_TXQLEN)) {
            int len = a.u32(IfLink.IFLA_TXQLEN);
            if (len != dev.txQueueLen) Dev.setTxQueueLen(dev, len);
        }
    }
}
