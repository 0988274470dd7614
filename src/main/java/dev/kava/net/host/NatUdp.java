package dev.kava.net.host;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The UDP half of the user-mode NAT (see {@link UserNet}): each guest (address, port) talking to
 * a gateway port is one host datagram socket connected to 127.0.0.1:PORT. A datagram from the
 * guest is sent on it; what the host answers comes back to the guest as a datagram from
 * 10.0.2.2:PORT. At most {@link #MAX_FLOWS} flows are kept; the least recently used one goes
 * (slirp expires idle ones by time). A host that refuses (ICMP port unreachable on the host's
 * loopback) is not reported to the guest: its datagrams are lost, as UDP allows.
 */
final class NatUdp {
    static final int MAX_FLOWS = 256;

    record Flow(int addr, int port, int gatewayPort) {}

    private final UserNet net;
    /** Loop thread only; access order for the LRU. */
    private final Map<Flow, DatagramChannel> flows = new LinkedHashMap<>(16, 0.75f, true);
    private final ByteBuffer rx = ByteBuffer.allocate(65535);

    NatUdp(UserNet net) {
        this.net = net;
    }

    /** A datagram from the guest to the gateway (guest thread): its payload goes to the host. */
    void fromGuest(byte[] f, int ip) {
        int uh = NatFrames.transport(f, ip);
        int end = NatFrames.ipEnd(f, ip);
        if (uh + 8 > end) return;
        int ulen = NatFrames.get16(f, uh + 4);
        if (ulen < 8 || uh + ulen > end) return;
        Flow flow = new Flow(NatFrames.saddr(f, ip), NatFrames.get16(f, uh), NatFrames.get16(f, uh + 2));
        ByteBuffer payload = ByteBuffer.wrap(f, uh + 8, ulen - 8).slice();
        net.loop.execute(() -> send(flow, payload));
    }

    private void send(Flow flow, ByteBuffer payload) {
        try {
            DatagramChannel ch = flows.get(flow);
            if (ch == null) ch = open(flow);
            ch.write(payload);
        } catch (IOException e) {
            // PortUnreachableException from an earlier datagram, and the like: this one is lost.
        }
    }

    private DatagramChannel open(Flow flow) throws IOException {
        if (flows.size() >= MAX_FLOWS) {
            var eldest = flows.entrySet().iterator().next();
            flows.remove(eldest.getKey());
            eldest.getValue().close();
        }
        DatagramChannel ch = DatagramChannel.open();
        ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), flow.gatewayPort()));
        net.loop.register(ch, SelectionKey.OP_READ, k -> receive(flow, ch));
        flows.put(flow, ch);
        return ch;
    }

    /** Datagrams from the host for flow go to the guest. */
    private void receive(Flow flow, DatagramChannel ch) {
        while (true) {
            rx.clear();
            try {
                if (ch.receive(rx) == null) return;
            } catch (IOException e) {
                return; // a refusal reported on the connected socket: nothing to pass on
            }
            net.toGuest(NatFrames.udpFrame(UserNet.GATEWAY_ADDR, flow.gatewayPort(), flow.addr(), flow.port(),
                    rx.array(), rx.position()));
        }
    }

    void close() {
        for (DatagramChannel ch : flows.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        flows.clear();
    }
}
