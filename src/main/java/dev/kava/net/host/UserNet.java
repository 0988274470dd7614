package dev.kava.net.host;

import dev.kava.abi.In;
import dev.kava.abi.Rtnetlink;
import dev.kava.net.core.Dev;
import dev.kava.net.core.Net;
import dev.kava.net.ipv4.Devinet;
import dev.kava.net.ipv4.FibAlias;
import dev.kava.net.ipv4.InDevice;
import dev.kava.net.ipv4.InIfaddr;

/**
 * {@code kava run --net host-loopback}: user-mode networking in the manner of slirp and passt,
 * reaching only the host's loopback. The guest gets {@code eth0} with 10.0.2.15/24 and a default
 * route via the gateway 10.0.2.2 (slirp's addresses); its own 127.0.0.1 stays its own lo.
 * TCP and UDP to 10.0.2.2:PORT reach host 127.0.0.1:PORT; nothing else of the host's network
 * is reachable (packets to other addresses are dropped).
 *
 * <h2>How a connection is terminated</h2>
 * The gateway is a second, private network namespace of kava's own stack (never visible to the
 * guest) whose eth0 owns 10.0.2.2, linked to the guest's eth0 like a veth pair. So TCP towards
 * the host is spoken by a real TCP — the same stack, as a kernel socket on the gateway's side —
 * not by a second, hand-written one; what is left to write is the splice ({@link TcpRelay}).
 * When the guest sends a SYN to 10.0.2.2:PORT, the NAT first connects to host 127.0.0.1:PORT
 * (the SYN waits meanwhile, as slirp's does): if the host accepts, the gateway listens on PORT
 * (one kernel listener per port, made on first use) and the SYN goes in; the connection it
 * accepts is spliced to the host connection. If the host refuses, the guest gets the reset the
 * host gave (an RST for its SYN: ECONNREFUSED). UDP needs no state machine: each guest
 * (address, port) to gateway port pair is one connected host datagram socket ({@link NatUdp}).
 * Ping to 10.0.2.2 is answered by the gateway's own ICMP.
 */
public final class UserNet {
    /** slirp's defaults: the network 10.0.2.0/24, the guest 10.0.2.15, the gateway (the host) 10.0.2.2. */
    public static final int GUEST_ADDR = 0x0a00020f;
    public static final int GATEWAY_ADDR = 0x0a000202;
    public static final int PREFIX_LEN = 24;
    /** slirp's MAC addresses: the guest's 52:54:00:12:34:56, the gateway's 52:55:0a:00:02:02. */
    static final byte[] GUEST_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    static final byte[] GATEWAY_MAC = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};

    final HostNetLoop loop;
    final Net guestNet, gatewayNet;
    final UserNetDevice guestDev, gatewayDev;
    private final NatTcp tcp;
    private final NatUdp udp;

    private UserNet(HostNetLoop loop, Net guestNet) {
        this.loop = loop;
        this.guestNet = guestNet;
        this.gatewayNet = Net.standalone();
        this.guestDev = new UserNetDevice(guestNet, "eth0", GUEST_MAC);
        this.gatewayDev = new UserNetDevice(gatewayNet, "eth0", GATEWAY_MAC);
        this.tcp = new NatTcp(this);
        this.udp = new NatUdp(this);
        guestDev.wire = this::fromGuest;
        gatewayDev.wire = guestDev::receive;
    }

    /** Gives the guest's namespace eth0, its address and default route, and starts the gateway. */
    public static UserNet attach(HostNetLoop loop, Net guestNet) {
        UserNet u = new UserNet(loop, guestNet);
        configure(guestNet, u.guestDev, GUEST_ADDR, GATEWAY_ADDR);
        configure(u.gatewayNet, u.gatewayDev, GATEWAY_ADDR, 0);
        loop.own(u::close);
        return u;
    }

    /** What a guest's init scripts would do: ip link set eth0 up; ip addr add; ip route add default via. */
    private static void configure(Net net, UserNetDevice dev, int addr, int gateway) {
        net.rtnl.lock();
        try {
            Dev.register(dev);
            Dev.open(dev);
            InIfaddr ifa = new InIfaddr(InDevice.of(dev), addr, PREFIX_LEN);
            ifa.broadcast = addr | ~ifa.mask;
            ifa.scope = Rtnetlink.RT_SCOPE_UNIVERSE;
            Devinet.insert(net, ifa);
            if (gateway != 0) {
                net.ipv4.fib.insert(new FibAlias(0, 0, 0, Rtnetlink.RTN_UNICAST, Rtnetlink.RT_SCOPE_UNIVERSE,
                        Rtnetlink.RTPROT_BOOT, 0, 0, gateway, dev, Rtnetlink.RT_TABLE_MAIN));
            }
        } finally {
            net.rtnl.unlock();
        }
    }

    /**
     * A frame the guest sent on eth0 (on the guest's thread): a SYN or a UDP datagram to the
     * gateway goes to the NAT; everything else to the gateway's stack, which drops what is not
     * addressed to it.
     */
    private void fromGuest(byte[] f) {
        int ip = NatFrames.ipv4(f);
        if (ip >= 0 && NatFrames.daddr(f, ip) == GATEWAY_ADDR) {
            int proto = NatFrames.protocol(f, ip);
            if (proto == In.IPPROTO_TCP) {
                int th = NatFrames.transport(f, ip);
                if (th + 20 <= f.length && (f[th + 13] & (NatFrames.TCP_SYN | NatFrames.TCP_ACK | NatFrames.TCP_RST)) == NatFrames.TCP_SYN) {
                    tcp.syn(f, ip);
                    return;
                }
            } else if (proto == In.IPPROTO_UDP) {
                udp.fromGuest(f, ip);
                return;
            }
        }
        gatewayDev.receive(f);
    }

    /** Hands a frame the NAT made (a reset, a datagram from the host) to the guest. */
    void toGuest(byte[] frame) {
        guestDev.receive(frame);
    }

    private void close() {
        tcp.close();
        udp.close();
    }
}
