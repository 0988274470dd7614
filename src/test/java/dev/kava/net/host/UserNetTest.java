package dev.kava.net.host;

import dev.kava.abi.Errno;
import dev.kava.abi.Poll;
import dev.kava.net.core.Net;
import dev.kava.net.ipv4.AfInet;
import dev.kava.net.ipv4.KernelTcpSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user-mode NAT without a guest program: a kernel TCP socket in a namespace with
 * {@link UserNet} attached connects to 10.0.2.2:PORT and talks to a host server on
 * 127.0.0.1:PORT; a port nothing listens on is refused.
 */
class UserNetTest {
    @BeforeAll
    static void inet() {
        AfInet.init();
    }

    /** Waits (generously: the host connect runs on the loop thread) until the socket's poll mask has one of bits. */
    static int await(KernelTcpSocket s, int bits) throws InterruptedException {
        LinkedBlockingQueue<Integer> q = new LinkedBlockingQueue<>();
        s.onWake(k -> q.add(k));
        for (int i = 0; i < 600; i++) {
            int m = s.poll();
            if ((m & bits) != 0 && !s.connecting()) return m;
            q.poll(100, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("poll mask " + Integer.toHexString(s.poll()));
    }

    @Test
    void tcpToTheGatewayReachesTheHostsLoopback() throws Exception {
        Net guest = Net.standalone();
        try (HostNetLoop loop = new HostNetLoop("usernet-test", e -> e.printStackTrace());
             ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            UserNet.attach(loop, guest);
            CompletableFuture<String> host = CompletableFuture.supplyAsync(() -> {
                try (Socket c = server.accept()) {
                    String got = new String(c.getInputStream().readNBytes(5));
                    c.getOutputStream().write(("host:" + got + " from " + c.getInetAddress().getHostAddress()).getBytes());
                    return got;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            KernelTcpSocket s = KernelTcpSocket.create(guest);
            s.connect(UserNet.GATEWAY_ADDR, server.getLocalPort());
            await(s, Poll.POLLOUT);
            assertEquals(UserNet.GUEST_ADDR, s.localAddr());
            assertEquals(5, s.send("hello".getBytes(), 0, 5));
            assertEquals("hello", host.get(60, TimeUnit.SECONDS));
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[100];
            while (true) {
                await(s, Poll.POLLIN);
                int n = s.recv(buf, 0, buf.length);
                if (n <= 0) break;
                got.append(new String(buf, 0, n));
            }
            assertEquals("host:hello from 127.0.0.1", got.toString());
            s.close();
        }
    }

    @Test
    void aHostPortNobodyListensOnIsRefused() throws Exception {
        Net guest = Net.standalone();
        int port;
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (HostNetLoop loop = new HostNetLoop("usernet-test", e -> e.printStackTrace())) {
            UserNet.attach(loop, guest);
            KernelTcpSocket s = KernelTcpSocket.create(guest);
            s.connect(UserNet.GATEWAY_ADDR, port);
            int m = await(s, Poll.POLLERR | Poll.POLLHUP);
            assertTrue((m & Poll.POLLERR) != 0);
            assertEquals(Errno.ECONNREFUSED, s.error());
        }
    }
}
