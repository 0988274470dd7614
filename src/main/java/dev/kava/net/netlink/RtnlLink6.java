package dev.kava.net.netlink;

import dev.kava.abi.Errno;
import dev.kava.abi.If;
import dev.kava.abi.IfLink;
import dev.kava.abi.Netlink;
import dev.kava.abi.Rtnetlink;
import dev.kava.abi.Socket;
import dev.kava.net.core.NetDevice;
import dev.kava.net.ipv6.Inet6Dev;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * IPv6's own link dump (net/ipv6/addrconf.c inet6_dump_ifinfo / inet6_fill_ifinfo), what an
 * RTM_GETLINK dump with family AF_INET6 gets (`ip -6 addr` asks for it): each device with
 * IPv6 state, with its name, address, MTU, operstate and IFLA_PROTINFO. Of IFLA_PROTINFO only
 * IFLA_INET6_FLAGS is given: the per-device configuration table (IFLA_INET6_CONF), counters
 * (IFLA_INET6_STATS, _ICMP6STATS) and neighbour discovery timings (IFLA_INET6_CACHEINFO) are
 * not modelled per device.
 */
final class RtnlLink6 {
    private RtnlLink6() {}

    static byte[] fill(Inet6Dev idev, int type, int portid, int seq, int flags) {
        NetDevice dev = idev.dev;
        NlMsg m = new NlMsg(type, flags, seq, portid);
        int h = m.reserve(IfLink.IFINFOMSG_SIZE);
        m.put8(h + RtnlLink.IFI_FAMILY, Socket.AF_INET6);
        m.put16(h + RtnlLink.IFI_TYPE, dev.type);
        m.put32(h + RtnlLink.IFI_INDEX, dev.ifindex);
        m.put32(h + RtnlLink.IFI_FLAGS, dev.getFlags());
        m.string(IfLink.IFLA_IFNAME, dev.name);
        if (dev.addrLen > 0) m.attr(IfLink.IFLA_ADDRESS, Arrays.copyOf(dev.devAddr, dev.addrLen));
        m.u32(IfLink.IFLA_MTU, dev.mtu);
        m.u8(IfLink.IFLA_OPERSTATE, dev.isUp() ? dev.operstate : If.IF_OPER_DOWN);
        int protinfo = m.nestStart(IfLink.IFLA_PROTINFO);
        // addrconf_notify sets IF_READY when the device comes up and clears it when it goes down.
        m.u32(IfLink.IFLA_INET6_FLAGS, dev.isUp() && !idev.disabled ? IfLink.IF_READY : 0);
        m.nestEnd(protinfo);
        return m.bytes();
    }

    /** inet6_dump_ifinfo with inet6_valid_dump_ifinfo's strict checks: a zeroed ifinfomsg and nothing after it. */
    static List<byte[]> dump(RouteNetlink rn, RouteNetlink.Request r) {
        if (r.strict()) {
            if (r.payloadLen() < IfLink.IFINFOMSG_SIZE) throw r.fail(Errno.EINVAL, "Invalid header for link dump request");
            if (r.payloadLen() > Netlink.align(IfLink.IFINFOMSG_SIZE)) throw r.fail(Errno.EINVAL, "Invalid data after header");
            if (r.u8(1) != 0 || r.u16(RtnlLink.IFI_TYPE) != 0 || r.u32(RtnlLink.IFI_FLAGS) != 0
                    || r.u32(RtnlLink.IFI_CHANGE) != 0 || r.u32(RtnlLink.IFI_INDEX) != 0) {
                throw r.fail(Errno.EINVAL, "Invalid values in header for dump request");
            }
        }
        List<byte[]> out = new ArrayList<>();
        rn.net.rtnl.lock();
        try {
            for (NetDevice dev : rn.net.devices()) {
                Inet6Dev idev = Inet6Dev.of(dev);
                if (idev == null) continue;
                out.add(fill(idev, Rtnetlink.RTM_NEWLINK, r.src.portid, r.seq, Netlink.NLM_F_MULTI));
            }
        } finally {
            rn.net.rtnl.unlock();
        }
        return out;
    }
}
