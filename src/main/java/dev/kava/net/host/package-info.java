/**
 * The guest network's doors to the host, all opened only by the user ({@code kava run -p},
 * {@code --net host-loopback}) and all leading to the host's loopback alone.
 *
 * <ul>
 * <li>{@link dev.kava.net.host.HostNetLoop} — the one host thread with a java.nio selector that
 *   runs every forwarder; guest-side events reach it through wait-queue callbacks of kernel
 *   sockets ({@link dev.kava.net.ipv4.KernelTcpSocket}, {@link dev.kava.net.ipv4.KernelUdpSocket},
 *   Linux's sock_create_kern and kernel_* calls).</li>
 * <li>{@link dev.kava.net.host.TcpRelay} — one TCP connection spliced between a host socket and a
 *   kernel TCP socket, with backpressure, half-close and resets passed on.</li>
 * <li>{@link dev.kava.net.host.PortForward} ({@code -p}) — host 127.0.0.1:HOSTPORT to the guest's
 *   127.0.0.1:GUESTPORT, TCP or UDP ({@link dev.kava.net.host.UdpForward}).</li>
 * <li>{@link dev.kava.net.host.UserNet} ({@code --net host-loopback}) — slirp-style user-mode
 *   networking: the guest's eth0 linked to a private gateway namespace of kava's own stack
 *   ({@link dev.kava.net.host.NatTcp}, {@link dev.kava.net.host.NatUdp}).</li>
 * </ul>
 */
package dev.kava.net.host;
