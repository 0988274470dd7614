package dev.kava.guest;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kava run --net host-loopback}: the guest's eth0 (10.0.2.15/24, default route via
 * 10.0.2.2) reaches host 127.0.0.1:PORT as 10.0.2.2:PORT, TCP and UDP; the guest's 127.0.0.1 is
 * still its own loopback; without the option the guest has only lo and 10.0.2.2 is unreachable.
 */
class HostLoopbackNetTest {
    static final Duration TIMEOUT = Duration.ofSeconds(300);
    static final List<String> ENV = PortForwardTest.ENV;

    static ForwardedGuest run(Path root, String script, boolean hostLoopback) throws Exception {
        return new ForwardedGuest(root, List.of("/bin/sh", "-c", script), ENV, List.of(), hostLoopback);
    }

    /** A host TCP server on 127.0.0.1 that reads one connection to its end and answers with what it saw. */
    static CompletableFuture<String> hostServer(ServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket c = server.accept()) {
                c.setSoTimeout(120_000);
                byte[] got = c.getInputStream().readAllBytes();
                String seen = got.length + " bytes from " + ((InetSocketAddress) c.getRemoteSocketAddress()).getAddress().getHostAddress();
                c.getOutputStream().write(("host saw " + seen + "\n").getBytes(StandardCharsets.US_ASCII));
                return new String(got, StandardCharsets.US_ASCII);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void guestTcpReachesTheHostsLoopbackThroughTheGateway() throws Exception {
        Path root = PortForwardTest.busyboxRoot();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            CompletableFuture<String> host = hostServer(server);
            // 109 KB up, the host's answer down after the guest's half-close.
            try (ForwardedGuest g = run(root, "ifconfig eth0 | grep -o 'inet addr:[0-9.]*'; seq 1 20000 | nc 10.0.2.2 " + port
                    + "; echo \"nc $?\"", true)) {
                assertEquals(0, g.waitFor(TIMEOUT), g.diagnostics());
                StringBuilder seq = new StringBuilder();
                for (int i = 1; i <= 20000; i++) seq.append(i).append('\n');
                assertEquals(seq.toString(), host.get(60, TimeUnit.SECONDS));
                assertEquals("inet addr:10.0.2.15\nhost saw " + seq.length() + " bytes from 127.0.0.1\nnc 0\n", g.output(),
                        g.diagnostics());
            }
        }
    }

    @Test
    void aRefusedHostPortIsConnectionRefusedAndTheGuestsLoopbackIsItsOwn() throws Exception {
        Path root = PortForwardTest.busyboxRoot();
        int closed = ForwardedGuest.freePort();
        try (ServerSocket hostOnly = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String script = "nc 10.0.2.2 " + closed + " </dev/null; echo \"closed $?\"; "
                    + "nc 127.0.0.1 " + hostOnly.getLocalPort() + " </dev/null; echo \"guest lo $?\"; "
                    + "ping -c 1 10.0.2.2 >/dev/null; echo \"ping gateway $?\"";
            try (ForwardedGuest g = run(root, script, true)) {
                assertEquals(0, g.waitFor(TIMEOUT), g.diagnostics());
                assertEquals("closed 1\nguest lo 1\nping gateway 0\n", g.output(), g.diagnostics());
                assertTrue(g.diagnostics().contains("nc: can't connect to remote host (10.0.2.2): Connection refused"), g.diagnostics());
                assertTrue(g.diagnostics().contains("nc: can't connect to remote host (127.0.0.1): Connection refused"), g.diagnostics());
            }
        }
    }

    @Test
    void withoutTheOptionTheGuestHasOnlyLo() throws Exception {
        Path root = PortForwardTest.busyboxRoot();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String script = "ifconfig -a | grep -o '^[a-z0-9]*'; nc 10.0.2.2 " + server.getLocalPort() + " </dev/null; echo \"nc $?\"";
            try (ForwardedGuest g = run(root, script, false)) {
                assertEquals(0, g.waitFor(TIMEOUT), g.diagnostics());
                assertEquals("lo\nnc 1\n", g.output(), g.diagnostics());
                assertTrue(g.diagnostics().contains("Network is unreachable"), g.diagnostics());
            }
        }
    }

    @Test
    void guestUdpReachesTheHostsLoopbackAndTheAnswerComesFromTheGateway() throws Exception {
        String missing = GuestToolchain.missing();
        Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
        Path dir = Path.of("target/guest-hostnet");
        GuestToolchain.compile(Path.of("src/test/guest/hostnet/udp_ask.c"), dir);
        GuestRun.prepareRoot(dir);
        try (DatagramSocket host = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            host.setSoTimeout(120_000);
            CompletableFuture<String> echo = CompletableFuture.supplyAsync(() -> {
                try {
                    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                    host.receive(p);
                    String msg = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                    byte[] answer = ("echo " + msg).getBytes(StandardCharsets.US_ASCII);
                    host.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                    return msg + " from " + p.getAddress().getHostAddress();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            int port = host.getLocalPort();
            try (ForwardedGuest g = new ForwardedGuest(dir, List.of("/udp_ask", "10.0.2.2", String.valueOf(port), "hello-udp"),
                    List.of(), List.of(), true)) {
                assertEquals(0, g.waitFor(TIMEOUT), g.diagnostics());
                assertEquals("hello-udp from 127.0.0.1", echo.get(60, TimeUnit.SECONDS));
                assertEquals("echo hello-udp from 10.0.2.2:" + port + "\n", g.output(), g.diagnostics());
            }
        }
    }
}
