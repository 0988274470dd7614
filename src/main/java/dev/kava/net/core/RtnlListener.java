package dev.kava.net.core;

import dev.kava.net.ipv4.FibAlias;
import dev.kava.net.ipv4.InIfaddr;

/**
 * What rtnetlink multicasts (rtmsg_ifinfo, rtmsg_ifa, rtmsg_fib, inet6_ifa_notify,
 * inet6_rt_notify): every change of a link, an address or a route in a namespace, told to
 * listeners under RTNL after the change is made. NETLINK_ROUTE implements this to send
 * RTM_NEWLINK/DELLINK (RTNLGRP_LINK), RTM_NEWADDR/DELADDR (RTNLGRP_IPV4_IFADDR, _IPV6_IFADDR)
 * and RTM_NEWROUTE/DELROUTE (RTNLGRP_IPV4_ROUTE, _IPV6_ROUTE) to its subscribers.
 * Register with {@link Net#addRtnlListener}.
 */
public interface RtnlListener {
    /** A device appeared or changed (deleted false: RTM_NEWLINK with the changed flags in change) or went away (RTM_DELLINK). */
    default void link(NetDevice dev, boolean deleted, int change) {}

    /** An IPv4 address was added (RTM_NEWADDR) or removed (RTM_DELADDR). */
    default void addr4(InIfaddr ifa, boolean deleted) {}

    /** An IPv4 route was added (RTM_NEWROUTE) or removed (RTM_DELROUTE) in table tableId. */
    default void route4(int tableId, FibAlias fa, boolean deleted) {}

    /** An IPv6 address was added or removed (the object is a dev.kava.net.ipv6.Inet6Ifaddr). */
    default void addr6(Object ifa, boolean deleted) {}

    /** An IPv6 route was added or removed (the object is a dev.kava.net.ipv6.Rt6Info). */
    default void route6(Object rt, boolean deleted) {}
}
