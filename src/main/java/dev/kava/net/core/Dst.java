package dev.kava.net.core;

/**
 * A route a packet follows (struct dst_entry, include/net/dst.h): the device it leaves
 * by, the MTU on the way, and what to do with it (dst_output / dst_input). The IPv4 and IPv6
 * layers subclass it (struct rtable, struct rt6_info).
 */
public abstract class Dst {
    public final NetDevice dev;

    protected Dst(NetDevice dev) {
        this.dev = dev;
    }

    /** dst_mtu: the path MTU (the device's unless a smaller one was learned). */
    public abstract int mtu();

    /** dst_output: sends a packet whose network header is built. Returns 0 or a negative errno / NET_XMIT_* code. */
    public abstract int output(SkBuff skb);
}
