package dev.kava.net.host;

import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Net;
import dev.kava.net.ipv4.KernelTcpSocket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * {@code kava run -p HOSTPORT:GUESTPORT[/tcp|/udp]}: a host port that leads to a guest port (as
 * slirp's hostfwd or docker's -p). TCP: kava listens on host 127.0.0.1:HOSTPORT and, for each
 * connection it accepts, opens a kernel TCP socket (sock_create_kern) in the guest's namespace
 * to 127.0.0.1:GUESTPORT and splices the two ({@link TcpRelay}); the guest's server sees a
 * connection from 127.0.0.1. When nothing listens on the guest port the host connection is
 * reset. UDP: {@link UdpForward}.
 */
public final class PortForward {
    private PortForward() {}

    /** One -p: the host port, the guest port and the protocol. */
    public record Spec(int hostPort, int guestPort, boolean udp) {
        /** Parses HOSTPORT:GUESTPORT[/tcp|/udp]; IllegalArgumentException with the reason. */
        public static Spec parse(String s) {
            boolean udp = false;
            String ports = s;
            int slash = s.indexOf('/');
            if (slash >= 0) {
                String proto = s.substring(slash + 1);
                if (proto.equals("udp")) udp = true;
                else if (!proto.equals("tcp")) throw new IllegalArgumentException("expected /tcp or /udp, not /" + proto);
                ports = s.substring(0, slash);
            }
            String[] p = ports.split(":", -1);
            if (p.length != 2) throw new IllegalArgumentException("expected HOSTPORT:GUESTPORT[/tcp|/udp]");
            return new Spec(port(p[0]), port(p[1]), udp);
        }

        private static int port(String s) {
            try {
                int v = Integer.parseInt(s);
                if (v >= 1 && v <= 65535) return v;
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException("not a port number: " + s);
        }
    }

    /**
     * Starts forwarding spec on loop into net: binds the host socket now (IOException when the
     * host port is taken) and serves it until the loop closes.
     */
    public static void start(HostNetLoop loop, Net net, Spec spec) throws IOException {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), spec.hostPort());
        if (spec.udp()) {
            UdpForward.start(loop, net, at, spec.guestPort());
            return;
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(at);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        Set<TcpRelay> relays = Collections.newSetFromMap(new IdentityHashMap<>());
        loop.own(() -> {
            server.close();
            for (TcpRelay r : relays.toArray(new TcpRelay[0])) r.close();
        });
        loop.execute(() -> {
            try {
                loop.register(server, SelectionKey.OP_ACCEPT, k -> accept(loop, net, server, spec.guestPort(), relays));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static void accept(HostNetLoop loop, Net net, ServerSocketChannel server, int guestPort, Set<TcpRelay> relays) {
        SocketChannel ch;
        while (true) {
            try {
                ch = server.accept();
            } catch (IOException e) {
                return;
            }
            if (ch == null) return;
            KernelTcpSocket ks = KernelTcpSocket.create(net);
            ks.setNodelay(true);
            try {
                ks.connect(0x7f000001, guestPort);
            } catch (ErrnoException e) {
                // ECONNREFUSED: nothing listens there; the host peer sees a reset.
                ks.close();
                resetAndClose(ch);
                continue;
            }
            TcpRelay[] self = new TcpRelay[1];
            self[0] = new TcpRelay(loop, ch, ks, () -> relays.remove(self[0]));
            relays.add(self[0]);
            try {
                self[0].start();
            } catch (IOException e) {
                self[0].close();
            }
        }
    }

    static void resetAndClose(SocketChannel ch) {
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // closed
        }
    }
}
