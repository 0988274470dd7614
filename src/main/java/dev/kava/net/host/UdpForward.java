package dev.kava.net.host;

import dev.kava.abi.Errno;
import dev.kava.net.core.Net;
import dev.kava.net.ipv4.KernelUdpSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code kava run -p HOSTPORT:GUESTPORT/udp}: datagrams to host 127.0.0.1:HOSTPORT go to the
 * guest's 127.0.0.1:GUESTPORT, each host peer through a kernel UDP socket of its own (connected
 * to the guest port, from an ephemeral port of the guest's 127.0.0.1), so the guest's answers
 * find their way back to the peer they answer. At most {@link #MAX_PEERS} peers are kept; the
 * least recently heard from goes first. Runs on the {@link HostNetLoop} thread.
 */
final class UdpForward {
    static final int MAX_PEERS = 256;

    private final HostNetLoop loop;
    private final Net net;
    private final DatagramChannel host;
    private final int guestPort;
    private final Map<SocketAddress, Peer> peers = new LinkedHashMap<>(16, 0.75f, true);
    private final ByteBuffer buf = ByteBuffer.allocate(65536);

    /** One host peer's kernel socket in the guest. */
    private final class Peer {
        final SocketAddress addr;
        final KernelUdpSocket sock;
        final AtomicBoolean scheduled = new AtomicBoolean();
        boolean closed;

        Peer(SocketAddress addr) {
            this.addr = addr;
            this.sock = KernelUdpSocket.create(net);
            sock.connect(0x7f000001, guestPort);
            sock.onWake(k -> {
                if (scheduled.compareAndSet(false, true)) loop.execute(this::drain);
            });
        }

        /** The guest's datagrams for this peer go back to it from HOSTPORT. */
        void drain() {
            scheduled.set(false);
            byte[] b = new byte[65536];
            while (!closed) {
                int n = sock.recv(b, 0, b.length);
                if (n == -Errno.EAGAIN) return;
                if (n < 0) continue; // ECONNREFUSED from an ICMP error: consumed, as a client sees it
                try {
                    host.send(ByteBuffer.wrap(b, 0, n), addr);
                } catch (IOException e) {
                    // the host dropped it: UDP
                }
            }
        }
    }

    private UdpForward(HostNetLoop loop, Net net, DatagramChannel host, int guestPort) {
        this.loop = loop;
        this.net = net;
        this.host = host;
        this.guestPort = guestPort;
    }

    static void start(HostNetLoop loop, Net net, InetSocketAddress at, int guestPort) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.bind(at);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        UdpForward f = new UdpForward(loop, net, ch, guestPort);
        loop.own(f::close);
        loop.execute(() -> {
            try {
                loop.register(ch, SelectionKey.OP_READ, k -> f.fromHost());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Datagrams from host peers go into the guest, each peer through its own socket. */
    private void fromHost() {
        while (true) {
            buf.clear();
            SocketAddress from;
            try {
                from = host.receive(buf);
            } catch (IOException e) {
                return;
            }
            if (from == null) return;
            Peer p = peers.get(from);
            if (p == null) {
                if (peers.size() >= MAX_PEERS) {
                    var eldest = peers.entrySet().iterator().next();
                    peers.remove(eldest.getKey());
                    eldest.getValue().closed = true;
                    eldest.getValue().sock.close();
                }
                p = new Peer(from);
                peers.put(from, p);
            }
            p.sock.send(buf.array(), 0, buf.position());
        }
    }

    private void close() {
        for (Peer p : peers.values()) {
            p.closed = true;
            p.sock.close();
        }
        peers.clear();
        try {
            host.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
