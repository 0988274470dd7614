package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.core.Net;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kernel-owned TCP sockets over a namespace's loopback: no task, no file, nothing blocks. */
class KernelTcpSocketTest {
    static final int LO = 0x7f000001;

    @BeforeAll
    static void inet() {
        AfInet.init();
    }

    /** A listener on port and a connected client and server pair (loopback handshakes finish inside connect). */
    static KernelTcpSocket[] pair(Net net, int port) {
        KernelTcpSocket l = KernelTcpSocket.create(net);
        l.bind(LO, port);
        l.listen(8);
        assertNull(l.accept());
        KernelTcpSocket c = KernelTcpSocket.create(net);
        c.connect(LO, port);
        KernelTcpSocket s = l.accept();
        assertNotNull(s);
        return new KernelTcpSocket[]{l, c, s};
    }

    @Test
    void bytesBothWaysHalfCloseAndAddresses() {
        Net net = Net.standalone();
        KernelTcpSocket[] p = pair(net, 80); // below 1024: a kernel socket needs no privilege
        KernelTcpSocket c = p[1], s = p[2];
        assertEquals(LO, c.peerAddr());
        assertEquals(80, c.peerPort());
        assertEquals(c.localPort(), s.peerPort());
        assertEquals(80, s.localPort());
        byte[] buf = new byte[100];
        assertEquals(-Errno.EAGAIN, s.recv(buf, 0, buf.length));
        assertEquals(5, c.send("hello".getBytes(), 0, 5));
        assertEquals(5, s.recv(buf, 0, buf.length));
        assertArrayEquals("hello".getBytes(), java.util.Arrays.copyOf(buf, 5));
        assertEquals(3, s.send("hi!".getBytes(), 0, 3));
        c.shutdownOutput();
        assertEquals(0, s.recv(buf, 0, buf.length)); // the FIN: end of stream
        assertEquals(3, c.recv(buf, 0, buf.length)); // the other way still open
        s.close();
        assertEquals(0, c.recv(buf, 0, buf.length));
        c.close();
        p[0].close();
    }

    @Test
    void sendsStopAtAFullBufferAndGoOnWhenTheReaderReads() {
        Net net = Net.standalone();
        KernelTcpSocket[] p = pair(net, 8080);
        KernelTcpSocket c = p[1], s = p[2];
        byte[] chunk = new byte[65536];
        long sent = 0;
        int r;
        while ((r = c.send(chunk, 0, chunk.length)) > 0) sent += r;
        assertEquals(-Errno.EAGAIN, r);
        int[] wakes = {0};
        c.onWake(k -> wakes[0]++);
        long got = 0;
        byte[] buf = new byte[65536];
        while ((r = s.recv(buf, 0, buf.length)) > 0) got += r;
        assertTrue(got > 0 && got <= sent);
        assertTrue(wakes[0] > 0, "the writer was told of the space");
        assertTrue(c.send(chunk, 0, chunk.length) > 0);
    }

    @Test
    void refusedAndReset() {
        Net net = Net.standalone();
        KernelTcpSocket c = KernelTcpSocket.create(net);
        // As Linux's non-blocking connect: EINPROGRESS (the RST waits in the socket's backlog
        // until the connect is over), then the refusal shows in poll and SO_ERROR.
        c.connect(LO, 9);
        assertTrue((c.poll() & dev.kava.abi.Poll.POLLERR) != 0);
        assertEquals(Errno.ECONNREFUSED, c.error());
        ErrnoException e = assertThrows(ErrnoException.class, () -> KernelTcpSocket.create(net).bind(0x01020304, 1));
        assertEquals(Errno.EADDRNOTAVAIL, e.errno); // bind checks the address as for any socket
        KernelTcpSocket[] p = pair(net, 7);
        p[2].abort();
        byte[] buf = new byte[10];
        assertEquals(-Errno.ECONNRESET, p[1].recv(buf, 0, buf.length));
        assertTrue(p[1].send(buf, 0, 1) < 0);
    }
}
