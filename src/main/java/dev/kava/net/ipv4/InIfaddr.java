package dev.kava.net.ipv4;

import dev.kava.abi.IfAddr;

/**
 * An IPv4 address of a device (struct in_ifaddr, include/linux/inetdevice.h): the local
 * address, the peer or prefix address, the mask and its length, the broadcast address, the
 * scope, the IFA_F_* flags, the label ("eth0:1" style), the lifetimes and the metric of its
 * prefix route. Fields are set before {@link Devinet#insert} and not changed after (a change is
 * a delete and an insert, under RTNL).
 */
public final class InIfaddr {
    public final InDevice dev;
    /** ifa_local: this host's address. */
    public int local;
    /** ifa_address: the peer on a point-to-point link, else the same as local. */
    public int address;
    public int mask;
    public int prefixlen;
    public int broadcast;
    public int scope;
    public int flags;
    public String label;
    /** Seconds, IfAddr.INFINITY_LIFE_TIME for forever. */
    public long validLft = IfAddr.INFINITY_LIFE_TIME, preferredLft = IfAddr.INFINITY_LIFE_TIME;
    /** Creation and last-change times (jiffies-like, monotonic centiseconds as netlink's ifa_cacheinfo shows). */
    public long cstamp, tstamp;
    /** ifa_rt_priority: the metric of the prefix route. */
    public int rtPriority;
    /** ifa_proto (IFAPROT_*) */
    public int proto;

    public InIfaddr(InDevice dev, int local, int prefixlen) {
        this.dev = dev;
        this.local = local;
        this.address = local;
        this.prefixlen = prefixlen;
        this.mask = Ip.mask(prefixlen);
        this.label = dev.dev.name;
    }

    /** inet_ifa_match: whether addr is in this address's prefix. */
    public boolean matches(int addr) {
        return ((addr ^ address) & mask) == 0;
    }

    public boolean secondary() {
        return (flags & IfAddr.IFA_F_SECONDARY) != 0;
    }

    @Override
    public String toString() {
        return Ip.toString(local) + "/" + prefixlen + " " + label;
    }
}
