/**
 * The packet-level core of kava's network stack, in Linux's shape (net/core, include/linux/
 * netdevice.h, include/linux/skbuff.h). This page is the map for whoever builds on it.
 *
 * <h2>Objects</h2>
 * <ul>
 * <li>{@link dev.kava.net.core.SkBuff} — a packet: one byte array with headroom; layers
 *   {@code push} their header on the way out and {@code pull} it on the way in; network and
 *   transport header offsets are absolute. {@code clone()} shares bytes, {@code copy()} does not.
 *   {@code cb} is the current layer's control block ({@link dev.kava.net.ipv4.IpCb} for IPv4).</li>
 * <li>{@link dev.kava.net.core.NetDevice} — a device; a driver subclasses it and implements
 *   {@code startXmit}. {@link dev.kava.drivers.net.Loopback} is the model driver.</li>
 * <li>{@link dev.kava.net.sched.Qdisc} — a device's queue; {@link dev.kava.net.sched.PfifoFast}
 *   is the default, {@link dev.kava.net.sched.NoQueue} lo's. A new qdisc (CAKE) subclasses
 *   Qdisc: enqueue/dequeue/peek/requeue/reset under the qdisc's monitor; a shaper returns null
 *   from dequeue while it holds packets back and calls {@link dev.kava.net.core.Dev#schedule}
 *   when it wants to run again. It is attached by setting {@code dev.qdisc} under RTNL (tc's
 *   job later).</li>
 * <li>{@link dev.kava.net.core.Net} — the network namespace ({@code Net.of(kernel)}): devices
 *   by name and index, {@code loopback}, {@code ipv4} ({@link dev.kava.net.ipv4.NetnsIpv4}:
 *   FIB, sysctls, SNMP counters, socket tables) and {@code ipv6}, the RTNL lock and the
 *   notifier chains.</li>
 * </ul>
 *
 * <h2>Sending</h2>
 * A transport builds its segment in an {@code SkBuff.alloc(SkBuff.MAX_HEADER, len)}, asks for a
 * route with {@link dev.kava.net.ipv4.Route#output} (a {@link dev.kava.net.ipv4.Flow4}: it fills
 * in the source address), and hands the segment to
 * {@link dev.kava.net.ipv4.IpOutput#buildAndSend} ({@code net.ipv4.out}) with
 * {@link dev.kava.net.ipv4.IpOutput.Params} (addresses, protocol, TOS with its ECN bits, TTL,
 * DF, the IP ID of a connected socket, priority). IP adds its header, the device its link
 * header, and {@link dev.kava.net.core.Dev#queueXmit} runs the qdisc and the driver. The
 * transport computes its own checksum ({@link dev.kava.lib.Checksum#tcpudpMagic}).
 *
 * <h2>Receiving</h2>
 * A driver calls {@link dev.kava.net.core.Dev#netifRx}; the per-thread backlog is drained by
 * the receive softirq (see {@link dev.kava.net.core.Dev} for when it runs: a packet sent while
 * another is being received is queued behind it, never processed recursively). IPv4 validates
 * and routes, gives raw sockets their copies, then calls the transport registered for the
 * protocol number: {@link dev.kava.net.ipv4.InetProtos#add}(IPPROTO_TCP, handler) with a
 * {@link dev.kava.net.ipv4.NetProtocol} ({@code rcv} for packets, {@code err} for ICMP errors
 * quoting a packet this host sent). On loopback, a send delivers to the receiver on the
 * sender's thread before {@code queueXmit} returns: a transport must not hold, across its
 * output, a lock its receive path takes (Linux's TCP uses the socket owner flag and a backlog).
 *
 * <h2>Sockets</h2>
 * A transport's socket extends {@link dev.kava.net.ipv4.InetSock} (bind with its checks,
 * getname, SOL_IP options, control messages, ioctls) and is registered with
 * {@link dev.kava.net.ipv4.AfInet#register}(new {@link dev.kava.net.ipv4.InetProtosw}(type,
 * protocol, factory, flags)); its init function goes in
 * {@link dev.kava.net.ipv4.AfInet#addTransport}. Ephemeral ports come from
 * {@link dev.kava.net.ipv4.InetSock#localPortRange}. {@code /proc/net/NAME} files are added
 * with {@link dev.kava.net.core.ProcNet#register}, sysctls under /proc/sys/net with
 * {@link dev.kava.net.core.Sysctl#register} (and friends), from {@code NetSysctls.init}.
 *
 * <h2>Configuration (for netlink)</h2>
 * Everything below runs under {@code net.rtnl} (lock it; the methods check):
 * devices: {@link dev.kava.net.core.Dev#register}, {@code unregister}, {@code open},
 * {@code close}, {@code changeFlags}, {@code setMtu}, {@code setTxQueueLen}, {@code changeName};
 * IPv4 addresses: {@link dev.kava.net.ipv4.Devinet#insert} / {@code delete} of an
 * {@link dev.kava.net.ipv4.InIfaddr} on a device's {@link dev.kava.net.ipv4.InDevice}
 * ({@code InDevice.of(dev)}); IPv4 routes: {@code net.ipv4.fib.insert} / {@code delete} of a
 * {@link dev.kava.net.ipv4.FibAlias}, and {@code fib.table(id, create).dump()} for RTM_GETROUTE
 * (in the order the trie would list them). Each change is reported, after it is made, to the
 * {@link dev.kava.net.core.RtnlListener}s ({@code net.addRtnlListener}): that is where
 * rtnetlink's multicast notifications come from. Kernel-made changes (lo's 127.0.0.1/8, the
 * routes an address brings) are reported the same way.
 *
 * <h2>Lock order</h2>
 * socket monitor → protocol table monitor → FIB table / in_device monitors. RTNL is taken
 * only by configuration paths and is never acquired while holding a socket's monitor on the
 * packet path; the packet path never takes RTNL.
 */
package dev.kava.net.core;
