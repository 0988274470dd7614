package dev.kava.net.ipv6;

import dev.kava.net.core.Net;

/** The IPv6 half of an AF_INET6 socket (struct ipv6_pinfo, include/linux/ipv6.h). */
public final class Ipv6Pinfo {
    public Ipv6Pinfo(Net net) {}
}
