package dev.kava.net.ipv6;

import dev.kava.abi.IfAddr;

/** An IPv6 address of a device (struct inet6_ifaddr, include/net/if_inet6.h). */
public final class Inet6Ifaddr {
    public final Inet6Dev idev;
    public final byte[] addr;
    public final int prefixlen;
    /** IFA_HOST, IFA_LINK, ... as /proc/net/if_inet6 and netlink show it (ipv6_addr_scope). */
    public final int scope;
    public volatile int flags;
    public volatile long validLft = IfAddr.INFINITY_LIFE_TIME, preferredLft = IfAddr.INFINITY_LIFE_TIME;
    public volatile long cstamp, tstamp;
    public volatile int rtPriority;
    /** IFA_PROTO: who configured the address (0: unspecified). */
    public volatile int proto;
    /** The local route the address brought. */
    volatile Rt6Info localRoute, prefixRoute;

    public Inet6Ifaddr(Inet6Dev idev, byte[] addr, int prefixlen, int scope, int flags) {
        this.idev = idev;
        this.addr = addr;
        this.prefixlen = prefixlen;
        this.scope = scope;
        this.flags = flags;
    }

    @Override
    public String toString() {
        return Ip6Addr.toString(addr) + "/" + prefixlen;
    }
}
