package dev.kava.net.host;

import dev.kava.kernel.ErrnoException;
import dev.kava.net.ipv4.KernelTcpSocket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TCP half of the user-mode NAT (see {@link UserNet}): a guest's SYN to the gateway starts a
 * host connection; once the host accepted it, the SYN reaches the gateway's listener for that
 * port and the connection it accepts is spliced to the host's. State other than
 * {@link #connecting} belongs to the loop thread.
 */
final class NatTcp {
    /** A guest connection as the gateway sees it: the guest's address and port, the gateway port. */
    record Flow(int addr, int port, int gatewayPort) {}

    private final UserNet net;
    /** Flows whose host connection is under way: a retransmitted SYN meanwhile is dropped. */
    private final Set<Flow> connecting = ConcurrentHashMap.newKeySet();
    /** Host connections made, waiting for the gateway to accept their guest side. */
    private final Map<Flow, SocketChannel> accepted = new HashMap<>();
    private final Map<Integer, KernelTcpSocket> listeners = new HashMap<>();
    private final Set<TcpRelay> relays = Collections.newSetFromMap(new IdentityHashMap<>());

    NatTcp(UserNet net) {
        this.net = net;
    }

    /** A SYN from the guest to the gateway (guest thread). */
    void syn(byte[] f, int ip) {
        int th = NatFrames.transport(f, ip);
        Flow flow = new Flow(NatFrames.saddr(f, ip), NatFrames.get16(f, th), NatFrames.get16(f, th + 2));
        if (!connecting.add(flow)) return;
        net.loop.execute(() -> connectHost(flow, f, ip));
    }

    private void connectHost(Flow flow, byte[] syn, int ip) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            if (ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), flow.gatewayPort()))) {
                hostConnected(flow, ch, syn);
                return;
            }
            SocketChannel c = ch;
            net.loop.register(ch, SelectionKey.OP_CONNECT, k -> {
                try {
                    if (!c.finishConnect()) return;
                    k.interestOps(0);
                    hostConnected(flow, c, syn);
                } catch (IOException e) {
                    k.cancel();
                    hostRefused(flow, c, syn, ip);
                }
            });
        } catch (IOException e) {
            hostRefused(flow, ch, syn, ip);
        }
    }

    private void hostConnected(Flow flow, SocketChannel ch, byte[] syn) {
        connecting.remove(flow);
        try {
            listener(flow.gatewayPort());
        } catch (ErrnoException e) {
            PortForward.resetAndClose(ch);
            return;
        }
        SocketChannel old = accepted.put(flow, ch);
        if (old != null) PortForward.resetAndClose(old);
        net.gatewayDev.receive(syn);
    }

    /** The host refused (or the connection failed): the guest's SYN is answered with a reset. */
    private void hostRefused(Flow flow, SocketChannel ch, byte[] syn, int ip) {
        connecting.remove(flow);
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closed
            }
        }
        net.toGuest(NatFrames.resetFor(syn, ip));
    }

    /** The gateway's listener on port, made on first use. */
    private KernelTcpSocket listener(int port) {
        KernelTcpSocket l = listeners.get(port);
        if (l != null) return l;
        KernelTcpSocket s = KernelTcpSocket.create(net.gatewayNet);
        s.bind(UserNet.GATEWAY_ADDR, port);
        s.listen(4096);
        s.onWake(k -> net.loop.execute(() -> acceptAll(s)));
        listeners.put(port, s);
        return s;
    }

    private void acceptAll(KernelTcpSocket listener) {
        KernelTcpSocket c;
        while ((c = listener.accept()) != null) {
            SocketChannel ch = accepted.remove(new Flow(c.peerAddr(), c.peerPort(), c.localPort()));
            if (ch == null) {
                c.abort(); // a handshake the NAT did not start (cannot happen but by a guest replaying one)
                continue;
            }
            c.setNodelay(true);
            TcpRelay[] self = new TcpRelay[1];
            self[0] = new TcpRelay(net.loop, ch, c, () -> relays.remove(self[0]));
            relays.add(self[0]);
            try {
                self[0].start();
            } catch (IOException e) {
                self[0].close();
            }
        }
    }

    void close() {
        for (TcpRelay r : relays.toArray(new TcpRelay[0])) r.close();
        for (SocketChannel ch : accepted.values()) PortForward.resetAndClose(ch);
        for (KernelTcpSocket l : listeners.values()) l.close();
    }
}
