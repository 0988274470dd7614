package dev.kava.net.ipv6;

import dev.kava.net.core.NetDevice;

import java.util.ArrayList;
import java.util.List;

/** A device's IPv6 state (struct inet6_dev): its addresses and per-device configuration. Kept in NetDevice.ip6Ptr. */
public final class Inet6Dev {
    public final NetDevice dev;
    private final List<Inet6Ifaddr> addrList = new ArrayList<>();
    /** net.ipv6.conf.DEV.hop_limit */
    public volatile int hopLimit = 64;
    /** net.ipv6.conf.DEV.disable_ipv6 */
    public volatile boolean disabled;

    Inet6Dev(NetDevice dev) {
        this.dev = dev;
    }

    public static Inet6Dev of(NetDevice dev) {
        return dev == null ? null : (Inet6Dev) dev.ip6Ptr;
    }

    public synchronized List<Inet6Ifaddr> addresses() {
        return new ArrayList<>(addrList);
    }

    synchronized void add(Inet6Ifaddr a) {
        addrList.add(0, a);
    }

    synchronized boolean remove(Inet6Ifaddr a) {
        return addrList.remove(a);
    }
}
