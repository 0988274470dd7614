package dev.kava.net.ipv4;

import dev.kava.net.core.Net;

/** The ICMP rate limit shared by ICMP and ICMPv6 (icmp_global_allow, net/ipv4/icmp.c). */
public final class IcmpRate {
    private IcmpRate() {}

    /** Whether one more error may go now (a token bucket of net.ipv4.icmp_msgs_burst at icmp_msgs_per_sec). */
    public static boolean globalAllow(Net net) {
        return IcmpProto.globalAllow(net);
    }
}
