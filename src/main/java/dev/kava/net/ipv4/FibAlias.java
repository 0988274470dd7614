package dev.kava.net.ipv4;

import dev.kava.abi.Rtnetlink;
import dev.kava.net.core.NetDevice;

/**
 * One IPv4 route (struct fib_alias with its struct fib_info and single nexthop,
 * include/net/ip_fib.h): the destination prefix, type, scope, protocol, metric, preferred
 * source, and the nexthop (a gateway and/or a device). Immutable: a change is a delete and an
 * insert. Multipath nexthops are not modelled.
 */
public record FibAlias(int dst, int dstLen, int tos, int type, int scope, int protocol, int priority, int prefsrc,
                       int gateway, NetDevice dev, int table) {

    /** Whether this route covers addr. */
    public boolean matches(int addr) {
        return (addr & Ip.mask(dstLen)) == dst;
    }

    /** The scope of the nexthop: a route via a gateway is universe-wide, one on a link is link-scoped (fib_check_nh). */
    public int nhScope() {
        return gateway != 0 ? Rtnetlink.RT_SCOPE_LINK : Rtnetlink.RT_SCOPE_HOST;
    }

    /** The same route except for the fields fib_table_insert compares (destination, tos, priority, type, scope, nexthop, prefsrc, protocol). */
    public boolean sameAs(FibAlias o) {
        return dst == o.dst && dstLen == o.dstLen && tos == o.tos && priority == o.priority && type == o.type
                && scope == o.scope && gateway == o.gateway && dev == o.dev && prefsrc == o.prefsrc && protocol == o.protocol;
    }

    @Override
    public String toString() {
        return "type " + type + " " + Ip.toString(dst) + "/" + dstLen + (dev != null ? " dev " + dev.name : "")
                + (gateway != 0 ? " via " + Ip.toString(gateway) : "") + " table " + table;
    }
}
