package dev.kava.net.ipv4;

import dev.kava.net.core.NetDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * A device's IPv4 state (struct in_device): its addresses, primaries first (each primary's
 * secondaries after), and its per-device configuration (ipv4_devconf). Made when the device is
 * registered, kept in {@link NetDevice#ip4Ptr}.
 */
public final class InDevice {
    public final NetDevice dev;
    private final List<InIfaddr> ifaList = new ArrayList<>();
    /** net.ipv4.conf.DEV.forwarding */
    public volatile boolean forwarding;
    /** net.ipv4.conf.DEV.route_localnet */
    public volatile boolean routeLocalnet;

    InDevice(NetDevice dev) {
        this.dev = dev;
    }

    /** __in_dev_get_rtnl: the device's IPv4 state, or null. */
    public static InDevice of(NetDevice dev) {
        return dev == null ? null : (InDevice) dev.ip4Ptr;
    }

    /** The addresses in list order (a snapshot). */
    public synchronized List<InIfaddr> addresses() {
        return new ArrayList<>(ifaList);
    }

    synchronized void add(int index, InIfaddr ifa) {
        ifaList.add(index, ifa);
    }

    synchronized boolean remove(InIfaddr ifa) {
        return ifaList.remove(ifa);
    }

    synchronized int size() {
        return ifaList.size();
    }

    /** inet_ifa_byprefix: the primary address with this prefix and mask. */
    public synchronized InIfaddr byPrefix(int prefix, int mask) {
        for (InIfaddr ifa : ifaList) {
            if (!ifa.secondary() && ifa.mask == mask && (ifa.address & mask) == prefix) return ifa;
        }
        return null;
    }
}
