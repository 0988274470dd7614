package dev.kava.net.ipv6;

import dev.kava.net.core.Net;

/**
 * A namespace's IPv6 state (struct netns_ipv6, include/net/netns/ipv6.h). IPv6 itself is not
 * there yet: AF_INET6 sockets still fail with EAFNOSUPPORT.
 */
public final class NetnsIpv6 {
    public final Net net;

    public NetnsIpv6(Net net) {
        this.net = net;
    }
}
