package dev.kava.net.netlink;

import dev.kava.abi.Errno;
import dev.kava.abi.IfAddr;
import dev.kava.abi.Netlink;
import dev.kava.abi.Rtnetlink;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Uaccess;
import dev.kava.net.core.NetDevice;
import dev.kava.net.ipv4.Devinet;
import dev.kava.net.ipv4.InDevice;
import dev.kava.net.ipv4.InIfaddr;

import java.util.ArrayList;
import java.util.List;

/**
 * IPv4 address messages (net/ipv4/devinet.c): inet_fill_ifaddr, inet_dump_ifaddr,
 * inet_rtm_newaddr and inet_rtm_deladdr on the stack's own address lists
 * ({@link Devinet#insert}, {@link Devinet#delete}), so an address added here is one bind()
 * accepts and one removed is gone from the routing tables too.
 */
final class RtnlAddr4 {
    private RtnlAddr4() {}

    /** struct ifaddrmsg offsets. */
    static final int IFA_FAMILY = 0, IFA_PREFIXLEN = 1, IFA_FLAGS_OFF = 2, IFA_SCOPE = 3, IFA_INDEX = 4;

    /** ifa_ipv4_policy */
    private static final int[] MIN = new int[IfAddr.IFA_MAX + 1];
    private static final boolean[] EXACT = new boolean[IfAddr.IFA_MAX + 1];

    static {
        for (int a : new int[]{IfAddr.IFA_LOCAL, IfAddr.IFA_ADDRESS, IfAddr.IFA_BROADCAST, IfAddr.IFA_FLAGS,
                IfAddr.IFA_RT_PRIORITY, IfAddr.IFA_TARGET_NETNSID}) {
            MIN[a] = 4;
            EXACT[a] = true;
        }
        MIN[IfAddr.IFA_CACHEINFO] = IfAddr.IFA_CACHEINFO_SIZE;
        MIN[IfAddr.IFA_PROTO] = 1;
        EXACT[IfAddr.IFA_PROTO] = true;
    }

    /** inet_fill_ifaddr */
    static byte[] fill(InIfaddr ifa, int type, int portid, int seq, int flags) {
        NlMsg m = new NlMsg(type, flags, seq, portid);
        int h = m.reserve(IfAddr.IFADDRMSG_SIZE);
        m.put8(h + IFA_FAMILY, Socket.AF_INET);
        m.put8(h + IFA_PREFIXLEN, ifa.prefixlen);
        m.put8(h + IFA_FLAGS_OFF, ifa.flags & 0xff);
        m.put8(h + IFA_SCOPE, ifa.scope);
        m.put32(h + IFA_INDEX, ifa.dev.dev.ifindex);
        if (ifa.address != 0) m.in4(IfAddr.IFA_ADDRESS, ifa.address);
        if (ifa.local != 0) m.in4(IfAddr.IFA_LOCAL, ifa.local);
        if (ifa.broadcast != 0) m.in4(IfAddr.IFA_BROADCAST, ifa.broadcast);
        if (ifa.label != null && !ifa.label.isEmpty()) m.string(IfAddr.IFA_LABEL, ifa.label);
        if (ifa.proto != 0) m.u8(IfAddr.IFA_PROTO, ifa.proto);
        m.u32(IfAddr.IFA_FLAGS, ifa.flags);
        if (ifa.rtPriority != 0) m.u32(IfAddr.IFA_RT_PRIORITY, ifa.rtPriority);
        // put_cacheinfo: lifetimes (infinite for a permanent address), then the stamps in centiseconds.
        byte[] ci = new byte[IfAddr.IFA_CACHEINFO_SIZE];
        boolean perm = (ifa.flags & IfAddr.IFA_F_PERMANENT) != 0;
        Uaccess.putInt(ci, 0, (int) (perm ? IfAddr.INFINITY_LIFE_TIME : ifa.preferredLft));
        Uaccess.putInt(ci, 4, (int) (perm ? IfAddr.INFINITY_LIFE_TIME : ifa.validLft));
        Uaccess.putInt(ci, 8, (int) ifa.cstamp);
        Uaccess.putInt(ci, 12, (int) ifa.tstamp);
        m.attr(IfAddr.IFA_CACHEINFO, ci);
        return m.bytes();
    }

    /** The dump's filter: one device's addresses (ifa_index in a strict request). */
    static final class Filter {
        int ifindex;
        boolean filtered;
    }

    /**
     * inet_valid_dump_ifaddr_req: in strict mode a whole ifaddrmsg with no prefix length,
     * flags or scope (EINVAL), an optional device, and no attributes but IFA_TARGET_NETNSID.
     */
    static Filter validateDump(RouteNetlink rn, RouteNetlink.Request r) {
        Filter f = new Filter();
        if (!r.strict()) return f;
        if (r.payloadLen() < IfAddr.IFADDRMSG_SIZE) throw r.fail(Errno.EINVAL, "ipv4: Invalid header for address dump request");
        if (r.u8(IFA_PREFIXLEN) != 0 || r.u8(IFA_FLAGS_OFF) != 0 || r.u8(IFA_SCOPE) != 0) {
            throw r.fail(Errno.EINVAL, "ipv4: Invalid values in header for address dump request");
        }
        f.ifindex = r.u32(IFA_INDEX);
        if (f.ifindex != 0) f.filtered = true;
        NlAttrs a = r.attrs(IfAddr.IFADDRMSG_SIZE, IfAddr.IFA_MAX, MIN, EXACT, true);
        for (int t = 1; t <= IfAddr.IFA_MAX; t++) {
            if (!a.has(t)) continue;
            if (t == IfAddr.IFA_TARGET_NETNSID) throw ErrnoException.of(Errno.EINVAL);
            throw r.fail(Errno.EINVAL, "ipv4: Unsupported attribute in dump request");
        }
        return f;
    }

    /** inet_dump_ifaddr: every device's addresses in list order (or one device's). */
    static List<byte[]> dump(RouteNetlink rn, RouteNetlink.Request r, Filter f) {
        List<byte[]> out = new ArrayList<>();
        rn.net.rtnl.lock();
        try {
            for (NetDevice dev : rn.net.devices()) {
                if (f.ifindex != 0 && dev.ifindex != f.ifindex) continue;
                InDevice in = InDevice.of(dev);
                if (in == null) continue;
                for (InIfaddr ifa : in.addresses()) {
                    out.add(fill(ifa, Rtnetlink.RTM_NEWADDR, r.src.portid, r.seq, Netlink.NLM_F_MULTI));
                }
            }
        } finally {
            rn.net.rtnl.unlock();
        }
        return out;
    }

    /** rtm_to_ifaddr and inet_rtm_newaddr */
    static void newAddr(RouteNetlink rn, RouteNetlink.Request r) {
        if (r.payloadLen() < IfAddr.IFADDRMSG_SIZE) throw ErrnoException.of(Errno.EINVAL);
        NlAttrs a = r.attrs(IfAddr.IFADDRMSG_SIZE, IfAddr.IFA_MAX, MIN, EXACT, false);
        if (a.has(IfAddr.IFA_LABEL) && a.stringLength(IfAddr.IFA_LABEL) > dev.kava.abi.If.IFNAMSIZ - 1) {
            throw ErrnoException.of(Errno.ERANGE);
        }
        int prefixlen = r.u8(IFA_PREFIXLEN);
        if (prefixlen > 32) throw r.fail(Errno.EINVAL, "ipv4: Invalid prefix length");
        if (!a.has(IfAddr.IFA_LOCAL)) throw r.fail(Errno.EINVAL, "ipv4: Local address is not supplied");
        long validLft = IfAddr.INFINITY_LIFE_TIME, preferredLft = IfAddr.INFINITY_LIFE_TIME;
        rn.net.rtnl.lock();
        try {
            NetDevice dev = rn.net.devByIndex(r.u32(IFA_INDEX));
            if (dev == null) throw r.fail(Errno.ENODEV, "ipv4: Device not found");
            InDevice in = InDevice.of(dev);
            if (in == null) throw ErrnoException.of(Errno.ENOBUFS);
            InIfaddr ifa = new InIfaddr(in, a.in4(IfAddr.IFA_LOCAL), prefixlen);
            ifa.address = a.has(IfAddr.IFA_ADDRESS) ? a.in4(IfAddr.IFA_ADDRESS) : ifa.local;
            ifa.flags = a.has(IfAddr.IFA_FLAGS) ? a.u32(IfAddr.IFA_FLAGS) : r.u8(IFA_FLAGS_OFF);
            ifa.scope = r.u8(IFA_SCOPE);
            if (a.has(IfAddr.IFA_BROADCAST)) ifa.broadcast = a.in4(IfAddr.IFA_BROADCAST);
            ifa.label = a.has(IfAddr.IFA_LABEL) ? a.string(IfAddr.IFA_LABEL) : dev.name;
            if (a.has(IfAddr.IFA_RT_PRIORITY)) ifa.rtPriority = a.u32(IfAddr.IFA_RT_PRIORITY);
            if (a.has(IfAddr.IFA_PROTO)) ifa.proto = a.u8(IfAddr.IFA_PROTO);
            if (a.has(IfAddr.IFA_CACHEINFO)) {
                byte[] ci = a.bytes(IfAddr.IFA_CACHEINFO);
                preferredLft = Integer.toUnsignedLong(Uaccess.getInt(ci, 0));
                validLft = Integer.toUnsignedLong(Uaccess.getInt(ci, 4));
                if (validLft == 0 || preferredLft > validLft) throw r.fail(Errno.EINVAL, "ipv4: address lifetime invalid");
            }
            // Addresses that expire need devinet's lifetime timer (check_lifetime), which kava does not run.
            if (validLft != IfAddr.INFINITY_LIFE_TIME || preferredLft != IfAddr.INFINITY_LIFE_TIME) {
                throw r.fail(Errno.EOPNOTSUPP, "kava: finite address lifetimes are not supported");
            }
            InIfaddr existing = null;
            for (InIfaddr o : in.addresses()) {
                if (o.mask == ifa.mask && ((o.address ^ ifa.address) & ifa.mask) == 0 && o.local == ifa.local) {
                    existing = o;
                    break;
                }
            }
            if (existing == null) {
                // set_ifa_lifetime with infinite lifetimes.
                ifa.flags = (ifa.flags & ~(IfAddr.IFA_F_PERMANENT | IfAddr.IFA_F_DEPRECATED)) | IfAddr.IFA_F_PERMANENT;
                Devinet.insert(rn.net, ifa);
                return;
            }
            if ((r.flags & Netlink.NLM_F_EXCL) != 0 || (r.flags & Netlink.NLM_F_REPLACE) == 0) {
                throw r.fail(Errno.EEXIST, "ipv4: Address already assigned");
            }
            if (existing.rtPriority != ifa.rtPriority) {
                // fib_modify_prefix_metric: the prefix route moves to the new metric.
                Devinet.delete(rn.net, existing);
                existing.rtPriority = ifa.rtPriority;
                existing.proto = ifa.proto;
                Devinet.insert(rn.net, existing);
                return;
            }
            existing.proto = ifa.proto;
            rn.net.notifyAddr4(existing, false);
        } finally {
            rn.net.rtnl.unlock();
        }
    }

    /** inet_rtm_deladdr: the first address matching the local address, label and prefix given. */
    static void delAddr(RouteNetlink rn, RouteNetlink.Request r) {
        if (r.payloadLen() < IfAddr.IFADDRMSG_SIZE) throw ErrnoException.of(Errno.EINVAL);
        NlAttrs a = r.attrs(IfAddr.IFADDRMSG_SIZE, IfAddr.IFA_MAX, MIN, EXACT, false);
        int prefixlen = r.u8(IFA_PREFIXLEN);
        rn.net.rtnl.lock();
        try {
            NetDevice dev = rn.net.devByIndex(r.u32(IFA_INDEX));
            InDevice in = InDevice.of(dev);
            if (in == null) throw r.fail(Errno.ENODEV, "ipv4: Device not found");
            for (InIfaddr ifa : in.addresses()) {
                if (a.has(IfAddr.IFA_LOCAL) && ifa.local != a.in4(IfAddr.IFA_LOCAL)) continue;
                if (a.has(IfAddr.IFA_LABEL) && !a.string(IfAddr.IFA_LABEL).equals(ifa.label)) continue;
                if (a.has(IfAddr.IFA_ADDRESS) && (prefixlen != ifa.prefixlen || !ifa.matches(a.in4(IfAddr.IFA_ADDRESS)))) continue;
                Devinet.delete(rn.net, ifa);
                return;
            }
            throw r.fail(Errno.EADDRNOTAVAIL, "ipv4: Address not found");
        } finally {
            rn.net.rtnl.unlock();
        }
    }
}
