package dev.kava.net.ipv4;

import dev.kava.net.core.Dst;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.SkBuff;

/**
 * An IPv4 route as a packet uses it (struct rtable, include/net/route.h): its type (local,
 * broadcast, unicast), the device, the gateway, and for input routes where to deliver.
 */
public final class Rtable extends Dst {
    /** rt_flags (RTCF_*, include/uapi/linux/in_route.h) */
    public static final int RTCF_NOTIFY = 0x00010000, RTCF_DIRECTDST = 0x00020000, RTCF_REDIRECTED = 0x00040000,
            RTCF_DOREDIRECT = 0x01000000, RTCF_BROADCAST = 0x10000000, RTCF_MULTICAST = 0x20000000,
            RTCF_LOCAL = 0x80000000;

    /** rt_type: RTN_* */
    public final int type;
    public final int flags;
    /** rt_gw4: the next hop if not directly connected. */
    public final int gateway;
    /** The source address chosen for output routes (fl4->saddr); the spec_dst for input routes. */
    public final int src;
    /** rt_iif: for input routes, the device the packet came in on. */
    public final int iif;
    private final IpOutput out;

    Rtable(NetDevice dev, int type, int flags, int gateway, int src, int iif, IpOutput out) {
        super(dev);
        this.type = type;
        this.flags = flags;
        this.gateway = gateway;
        this.src = src;
        this.iif = iif;
        this.out = out;
    }

    @Override
    public int mtu() {
        return Math.min(dev.mtu, Ip.IP_MAX_MTU);
    }

    /** dst_output: ip_output (ip_mc_output for broadcast routes). */
    @Override
    public int output(SkBuff skb) {
        return out.output(skb, this);
    }

    public boolean isLocal() {
        return (flags & RTCF_LOCAL) != 0;
    }

    public boolean isBroadcast() {
        return (flags & RTCF_BROADCAST) != 0;
    }
}
