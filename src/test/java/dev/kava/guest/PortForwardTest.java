package dev.kava.guest;

import dev.kava.net.host.PortForward;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code kava run -p HOSTPORT:GUESTPORT}: a host client reaches a server inside kava through
 * the forwarded port. The guest server is Debian's busybox {@code nc -l -p PORT -e cat}: it
 * echoes one connection, so what comes back must be what was sent, however the relay split it;
 * the client's half-close must reach cat as EOF and come back as the end of the echo.
 */
class PortForwardTest {
    static final List<String> ENV = List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    static final Duration TIMEOUT = Duration.ofSeconds(300);

    static Path busyboxRoot() throws Exception {
        return DebianRoot.get("netbusybox", "busybox-static", "usr/bin/busybox");
    }

    /**
     * Sends data on a new connection to port, half-closes, and reads until EOF (a writer thread,
     * so that neither side's buffers can fill while the other waits). Null when the connection
     * was reset before anything came back (the guest server is not listening yet).
     */
    static byte[] roundTrip(int port, byte[] data) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(120_000);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (IOException ignored) {
                    // the reader sees the reset
                }
            });
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            try {
                for (int n; (n = in.read(buf)) > 0; ) got.write(buf, 0, n);
            } catch (java.net.SocketException reset) {
                if (got.size() == 0) return null;
                throw reset;
            }
            writer.join();
            return got.size() == 0 && data.length > 0 ? null : got.toByteArray();
        }
    }

    /** roundTrip, again every 200 ms while the guest server is not up yet. */
    static byte[] roundTripWhenUp(int port, byte[] data, ForwardedGuest g) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            byte[] r = roundTrip(port, data);
            if (r != null) return r;
            if (g.exit.isDone() || System.nanoTime() > deadline) throw new AssertionError("no echo\n" + g.diagnostics());
            Thread.sleep(200);
        }
    }

    @Test
    void hostClientEchoesAMebibyteThroughAGuestNcServer() throws Exception {
        Path root = busyboxRoot();
        int hostPort = ForwardedGuest.freePort();
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        try (ForwardedGuest g = new ForwardedGuest(root, List.of("/bin/busybox", "nc", "-l", "-p", "8000", "-e", "/bin/cat"),
                ENV, List.of(PortForward.Spec.parse(hostPort + ":8000")))) {
            byte[] echo = roundTripWhenUp(hostPort, data, g);
            assertEquals(data.length, echo.length, g.diagnostics());
            assertArrayEquals(data, echo);
            assertEquals(0, g.waitFor(TIMEOUT), g.diagnostics());
        }
    }

    @Test
    void manyConnectionsOneAfterAnotherAndAClosedGuestPortIsAReset() throws Exception {
        Path root = busyboxRoot();
        int hostPort = ForwardedGuest.freePort(), closedPort = ForwardedGuest.freePort();
        // A shell loop serving ten connections, one at a time; port 9 has no server at all.
        String script = "i=0; while [ $i -lt 10 ]; do nc -l -p 8000 -e /bin/cat || exit 1; i=$((i+1)); done; echo served $i";
        try (ForwardedGuest g = new ForwardedGuest(root, List.of("/bin/sh", "-c", script), ENV,
                List.of(PortForward.Spec.parse(hostPort + ":8000"), PortForward.Spec.parse(closedPort + ":9")))) {
            for (int i = 0; i < 10; i++) {
                byte[] msg = ("connection " + i + "\n").getBytes();
                assertArrayEquals(msg, roundTripWhenUp(hostPort, msg, g), g.diagnostics());
            }
            assertEquals(0, g.waitFor(TIMEOUT), g.diagnostics());
            assertEquals("served 10\n", g.output());
            assertEquals(null, roundTrip(closedPort, "x".getBytes()));
        }
    }

    /** -p HOSTPORT:GUESTPORT/udp: two host peers' datagrams reach a guest UDP server as from 127.0.0.1 and each peer gets its own answers. */
    @Test
    void udpDatagramsFromTwoHostPeersAreAnswered() throws Exception {
        String missing = GuestToolchain.missing();
        org.junit.jupiter.api.Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
        Path dir = Path.of("target/guest-hostnet");
        GuestToolchain.compile(Path.of("src/test/guest/hostnet/udp_echo.c"), dir);
        GuestRun.prepareRoot(dir);
        int hostPort = ForwardedGuest.freePort();
        try (ForwardedGuest g = new ForwardedGuest(dir, List.of("/udp_echo", "5353"), List.of(),
                List.of(PortForward.Spec.parse(hostPort + ":5353/udp")));
             java.net.DatagramSocket a = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress());
             java.net.DatagramSocket b = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            askUntilAnswered(a, hostPort, "from a", g);
            askUntilAnswered(b, hostPort, "from b", g);
            askUntilAnswered(a, hostPort, "stop", g);
            assertEquals(0, g.waitFor(TIMEOUT), g.diagnostics());
            // A datagram sent again before its answer came is answered twice: the lines, not their number.
            assertEquals(java.util.Set.of("from a from 127.0.0.1", "from b from 127.0.0.1", "stop from 127.0.0.1"),
                    java.util.Set.copyOf(g.output().lines().toList()), g.diagnostics());
        }
    }

    /** Sends msg to port every 200 ms until its answer comes (the guest server may not be bound yet). */
    static String askUntilAnswered(java.net.DatagramSocket s, int port, String msg, ForwardedGuest g) throws Exception {
        s.setSoTimeout(200);
        byte[] m = msg.getBytes();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && !g.exit.isDone()) {
            s.send(new java.net.DatagramPacket(m, m.length, InetAddress.getLoopbackAddress(), port));
            java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[2048], 2048);
            try {
                while (true) {
                    s.receive(p);
                    String answer = new String(p.getData(), 0, p.getLength());
                    if (answer.equals("echo " + msg)) return answer;
                    // a late answer to an earlier datagram sent twice: skipped
                }
            } catch (java.net.SocketTimeoutException notYet) {
                // again
            }
        }
        throw new AssertionError("no answer to " + msg + "\n" + g.diagnostics());
    }

    @Test
    void specs() {
        assertEquals(new PortForward.Spec(8080, 80, false), PortForward.Spec.parse("8080:80"));
        assertEquals(new PortForward.Spec(8080, 80, false), PortForward.Spec.parse("8080:80/tcp"));
        assertEquals(new PortForward.Spec(5353, 53, true), PortForward.Spec.parse("5353:53/udp"));
        for (String bad : List.of("80", "0:80", "80:65536", "a:80", "80:80/sctp", "1:2:3")) {
            assertThrows(IllegalArgumentException.class, () -> PortForward.Spec.parse(bad), bad);
        }
    }
}
