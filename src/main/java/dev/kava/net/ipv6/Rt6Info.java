package dev.kava.net.ipv6;

import dev.kava.abi.In6;
import dev.kava.abi.Rtnetlink;
import dev.kava.net.core.Dst;
import dev.kava.net.core.NetDevice;
import dev.kava.net.core.SkBuff;

/**
 * An IPv6 route (struct fib6_info for table entries, struct rt6_info for what a packet
 * follows): the prefix, its type (RTN_LOCAL, RTN_UNICAST...), the device and gateway, the
 * protocol and metric, the table, the preferred source; a route returned by a lookup also
 * carries the source address chosen ({@link #src}).
 */
public final class Rt6Info extends Dst {
    public final byte[] dst;
    public final int dstLen;
    public final int type;
    public final byte[] gateway;
    public final int protocol;
    public final int metric;
    public final int table;
    public final byte[] prefsrc;
    /** The source address of an output route; null for a table entry. */
    public final byte[] src;
    /** The route table entry an output route came from. */
    public final Rt6Info from;
    private final Ip6Output out;

    public Rt6Info(NetDevice dev, byte[] dst, int dstLen, int type, byte[] gateway, int protocol, int metric, int table,
                   byte[] prefsrc, Ip6Output out) {
        this(dev, dst, dstLen, type, gateway, protocol, metric, table, prefsrc, null, null, out);
    }

    private Rt6Info(NetDevice dev, byte[] dst, int dstLen, int type, byte[] gateway, int protocol, int metric, int table,
                    byte[] prefsrc, byte[] src, Rt6Info from, Ip6Output out) {
        super(dev);
        this.dst = dst;
        this.dstLen = dstLen;
        this.type = type;
        this.gateway = gateway;
        this.protocol = protocol;
        this.metric = metric;
        this.table = table;
        this.prefsrc = prefsrc;
        this.src = src;
        this.from = from;
        this.out = out;
    }

    /** An output route over dev from this entry, with the source chosen. */
    Rt6Info withSource(NetDevice via, byte[] source) {
        return new Rt6Info(via, dst, dstLen, type, gateway, protocol, metric, table, prefsrc, source, this, out);
    }

    public boolean matches(byte[] addr) {
        return Ip6Addr.prefixEqual(addr, dst, dstLen);
    }

    public boolean isLocal() {
        return type == Rtnetlink.RTN_LOCAL;
    }

    @Override
    public int mtu() {
        return Math.min(dev.mtu, 0xFFFF + In6.IPV6_HDR_LEN);
    }

    @Override
    public int output(SkBuff skb) {
        return out.output(skb, this);
    }

    @Override
    public String toString() {
        return Ip6Addr.toString(dst) + "/" + dstLen + " type " + type + " dev " + (dev == null ? "-" : dev.name) + " table " + table;
    }
}
