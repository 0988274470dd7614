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

    /** ipv6_link_dev_addr: the list is kept by scope (global first), a new address before older ones of its scope. */
    synchronized void add(Inet6Ifaddr a) {
        int i = 0;
        while (i < addrList.size() && addrList.get(i).scope < a.scope) i++;
        addrList.add(i, a);
    }

    synchronized boolean remove(Inet6Ifaddr a) {
        return addrList.remove(a);
    }
}
