package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.In;
import dev.kava.abi.Socket;
import dev.kava.abi.Tcp;
import dev.kava.kernel.ErrnoException;
import dev.kava.net.IovIter;
import dev.kava.net.MsgHdr;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCP on a namespace of its own: options, CUBIC, the RTO estimator, and connections over lo without a kernel. */
class TcpTest {
    // ---- options

    @Test
    void synOptionsRoundTripInLinuxOrder() {
        byte[] b = new byte[40];
        int n = TcpOptions.write(b, 0, 65483, true, true, 0x11223344, 0, 7, null, 0);
        assertEquals(20, n);
        assertEquals(n, TcpOptions.size(65483, true, true, 7, 0));
        // MSS, SACK_PERM folded before the timestamp, NOP + window scale: what Linux puts in a SYN.
        assertArrayEquals(new byte[]{2, 4, (byte) 0xff, (byte) 0xcb, 4, 2, 8, 10}, Arrays.copyOf(b, 8));
        assertEquals(1, b[16]);
        assertEquals(3, b[17]);
        TcpOptions o = TcpOptions.parse(b, 0, n, true);
        assertEquals(65483, o.mss);
        assertTrue(o.sackOk);
        assertTrue(o.sawTstamp);
        assertEquals(0x11223344, o.tsval);
        assertEquals(7, o.wscale);
    }

    @Test
    void sackBlocksParseOnlyOutsideSynAndMalformedOptionsStopTheParse() {
        byte[] b = new byte[40];
        int n = TcpOptions.write(b, 0, 0, false, true, 5, 6, -1, new int[]{100, 200, 300, 400}, 2);
        TcpOptions o = TcpOptions.parse(b, 0, n, false);
        assertEquals(2, o.numSacks);
        assertEquals(300, o.sacks[2]);
        assertEquals(400, o.sacks[3]);
        assertEquals(0, TcpOptions.parse(b, 0, n, true).numSacks);
        // An MSS outside a SYN is ignored; a length running past the header ends the parse.
        byte[] bad = {2, 4, 1, 0, 3, 9, 7};
        TcpOptions p = TcpOptions.parse(bad, 0, bad.length, false);
        assertEquals(0, p.mss);
        assertEquals(-1, p.wscale);
        // A window scale above 14 counts as 14.
        byte[] ws = {1, 3, 3, 20};
        assertEquals(14, TcpOptions.parse(ws, 0, ws.length, true).wscale);
    }

    // ---- CUBIC

    @Test
    void cubicRootAndTheMultiplicativeDecrease() {
        assertEquals(0, TcpCubic.cubicRoot(0));
        assertEquals(10, TcpCubic.cubicRoot(1000));
        assertEquals(9, TcpCubic.cubicRoot(999));
        assertEquals(2097151, TcpCubic.cubicRoot(9223358842721533951L));
        Net net = Net.standalone();
        TcpSock tp = new TcpSock(net, Socket.AF_INET);
        TcpCubic c = new TcpCubic();
        tp.sndCwnd = 100;
        assertEquals(70, c.ssthresh(tp)); // beta = 717/1024
        assertEquals(100, c.lastMaxCwnd);
        tp.sndCwnd = 80; // a second loss below the last maximum: fast convergence lowers W_max
        c.ssthresh(tp);
        assertEquals(80 * (1024 + 717) / 2048, c.lastMaxCwnd);
    }

    @Test
    void cubicGrowsBackToTheOldMaximumAroundK() {
        TcpCubic c = new TcpCubic();
        c.lastMaxCwnd = 100;
        // K = cbrt(W_max * (1 - beta) / C) seconds: about 4.2 s for W_max 100 after a cut to 70.
        c.update(70, 1, 1000);
        int k = c.bicK; // in 1/1024 s
        assertTrue(Math.abs(k - 4.2 * 1024) < 60, "K " + k);
        // At K, just under W_max, the window plateaus (many ACKs per increment)...
        c.update(99, 1, 1000 + k * 1000L / 1024);
        int plateau = c.cnt;
        assertTrue(plateau >= 20, "cnt at K " + plateau);
        // ...and seconds later it probes beyond W_max quickly again.
        TcpCubic d = new TcpCubic();
        d.lastMaxCwnd = 100;
        d.update(70, 1, 1000);
        d.update(99, 1, 1000 + 9000);
        assertTrue(d.cnt < plateau / 4, "cnt after K " + d.cnt);
        assertTrue(d.cnt >= 2);
    }

    // ---- RTO (RFC 6298 as Linux computes it)

    @Test
    void rtoIsSrttPlusVarianceAtLeastTheMinimum() {
        TcpSock tp = new TcpSock(Net.standalone(), Socket.AF_INET);
        assertEquals(1_000_000, tp.rtoUs); // TCP_TIMEOUT_INIT
        TcpInput.rttEstimator(tp, 100_000);
        assertEquals(100_000, tp.srttUs8 >> 3);
        assertEquals(200_000, tp.rttvarUs); // max(2 * rtt, rto_min)
        assertEquals(300_000, tp.rtoUs);
        TcpInput.rttEstimator(tp, 20);
        assertTrue(tp.srttUs8 >> 3 < 100_000);
        assertTrue(tp.rtoUs >= 200_000, "RTO " + tp.rtoUs);
        assertTrue(TcpTimers.timedOut(924_600, 15, 200_000, 0)); // tcp_retries2 = 15: about 924.6 s
        assertFalse(TcpTimers.timedOut(924_000, 15, 200_000, 0));
        assertTrue(TcpTimers.timedOut(127_000, 6, 1_000_000, 0)); // tcp_syn_retries = 6: 127 s
        assertTrue(TcpTimers.timedOut(1500, 15, 200_000, 1500)); // TCP_USER_TIMEOUT overrides
    }

    // ---- connections over lo, no kernel

    private static byte[] sin(int addr, int port) {
        byte[] a = new byte[In.SOCKADDR_IN_SIZE];
        InetSock.putSockaddrIn(a, addr, port);
        return a;
    }

    private static long send(TcpSock s, byte[] data) {
        MsgHdr m = new MsgHdr(IovIter.kernel(data, 0, data.length));
        m.flags = Socket.MSG_DONTWAIT;
        return s.sendmsg(null, m, data.length);
    }

    private static byte[] recv(TcpSock s, int max, int flags) {
        byte[] b = new byte[max];
        long n = s.recvmsg(null, new MsgHdr(IovIter.kernel(b, 0, max)), max, flags | Socket.MSG_DONTWAIT);
        if (n < 0) throw ErrnoException.of((int) -n);
        return Arrays.copyOf(b, (int) n);
    }

    private static TcpSock[] pair(Net net) {
        TcpSock l = new TcpSock(net, Socket.AF_INET);
        l.listen(null, 8);
        TcpSock c = new TcpSock(net, Socket.AF_INET);
        ErrnoException e = assertThrows(ErrnoException.class,
                () -> c.connect(null, sin(In.INADDR_LOOPBACK, l.num), In.SOCKADDR_IN_SIZE, Fcntl.O_NONBLOCK));
        assertEquals(Errno.EINPROGRESS, e.errno);
        assertEquals(Tcp.TCP_ESTABLISHED, c.state); // lo completes the handshake at once
        TcpSock s = l.accept(null, Fcntl.O_NONBLOCK);
        return new TcpSock[]{l, c, s};
    }

    @Test
    void aConnectionCarriesDataBothWaysAndNegotiatesItsOptions() throws InterruptedException {
        Net net = Net.standalone();
        TcpSock[] p = pair(net);
        TcpSock c = p[1], s = p[2];
        assertEquals(Tcp.TCP_ESTABLISHED, s.state);
        assertTrue(c.tsOk && c.sackOk && c.wscaleOk);
        assertEquals(7, c.rcvWscale);
        assertEquals(7, s.sndWscale);
        assertFalse(c.ecnOk); // tcp_ecn = 2: accepted, never asked for
        assertEquals(5, send(c, "hello".getBytes()));
        assertEquals("hel", new String(recv(s, 3, 0)));
        assertEquals("lo", new String(recv(s, 10, Socket.MSG_PEEK)));
        assertEquals("lo", new String(recv(s, 10, 0)));
        ErrnoException e = assertThrows(ErrnoException.class, () -> recv(s, 10, 0));
        assertEquals(Errno.EAGAIN, e.errno);
        byte[] big = new byte[1 << 20];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        long sent = 0;
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        while (got.size() < big.length) {
            if (sent < big.length) {
                byte[] chunk = Arrays.copyOfRange(big, (int) sent, (int) Math.min(big.length, sent + 100_000));
                long n = send(s, chunk);
                if (n > 0) sent += n;
            }
            try {
                got.writeBytes(recv(c, 65536, 0));
            } catch (ErrnoException x) {
                assertEquals(Errno.EAGAIN, x.errno);
            }
        }
        assertArrayEquals(big, got.toByteArray());
        assertEquals(0, s.totalRetrans);
        // Everything gets acknowledged: the last ACK may be a delayed one (its timer, at most
        // 200 ms away), so wait for it rather than expect it already there.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            synchronized (s) {
                if (s.sndUna == s.sndMax) break;
            }
            Thread.sleep(1);
        }
        synchronized (s) {
            assertEquals(s.sndUna, s.sndMax);
        }
    }

    @Test
    void closeSendsFinAndTheConnectionEndsInTimeWait() {
        Net net = Net.standalone();
        TcpSock[] p = pair(net);
        TcpSock c = p[1], s = p[2];
        s.release(); // the server closes first
        assertEquals(0, recv(c, 10, 0).length); // EOF
        assertEquals(Tcp.TCP_CLOSE_WAIT, c.state);
        c.release();
        TcpNet tn = TcpNet.of(net);
        assertTrue(tn.ehash.values().stream().anyMatch(o -> o instanceof TimeWaitSock), "a TIME_WAIT entry remains");
        assertFalse(tn.ehash.values().stream().anyMatch(o -> o == c), "the client side is gone");
    }

    @Test
    void aSynToAClosedPortIsRefusedAndResetsCountAsOutRsts() {
        Net net = Net.standalone();
        TcpSock l = new TcpSock(net, Socket.AF_INET);
        l.listen(null, 1);
        int port = l.num;
        l.release();
        TcpSock c = new TcpSock(net, Socket.AF_INET);
        assertThrows(ErrnoException.class, () -> c.connect(null, sin(In.INADDR_LOOPBACK, port), In.SOCKADDR_IN_SIZE, Fcntl.O_NONBLOCK));
        assertEquals(Tcp.TCP_CLOSE, c.state);
        assertEquals(Errno.ECONNREFUSED, c.sockError());
        assertTrue(TcpNet.of(net).outRsts.sum() >= 1);
    }

    @Test
    void unreadDataAtCloseResetsThePeer() {
        Net net = Net.standalone();
        TcpSock[] p = pair(net);
        TcpSock c = p[1], s = p[2];
        send(c, "unread".getBytes());
        s.release();
        ErrnoException e = assertThrows(ErrnoException.class, () -> recv(c, 10, 0));
        assertEquals(Errno.ECONNRESET, e.errno);
        assertEquals(Tcp.TCP_CLOSE, c.state);
    }

    @Test
    void outOfOrderSegmentsWaitAndAreSackedUntilTheHoleFills() {
        Net net = Net.standalone();
        TcpSock[] p = pair(net);
        TcpSock s = p[2];
        long base = s.rcvNxt;
        synchronized (s) {
            TcpInput.dataQueue(s, segment(s, base + 5, "fghij"), base + 5);
            assertEquals(base, s.rcvNxt);
            assertEquals(5, s.oooBytes);
            TcpInput.dataQueue(s, segment(s, base + 3, "defgh"), base + 3); // overlaps what waits
            assertEquals(7, s.oooBytes);
            TcpInput.dataQueue(s, segment(s, base, "abc"), base);
            assertEquals(base + 10, s.rcvNxt);
            assertEquals(0, s.oooBytes);
        }
        assertEquals("abcdefghij", new String(recv(s, 20, 0)));
    }

    /** A data segment as the peer would send it to s (header fields only; it is not transmitted). */
    private static TcpSeg segment(TcpSock s, long seq, String data) {
        byte[] d = data.getBytes();
        SkBuff skb = SkBuff.alloc(0, 20 + Tcp.HDR_LEN + d.length);
        int nh = skb.put(20);
        skb.networkHeader = nh;
        int th = skb.put(Tcp.HDR_LEN);
        skb.transportHeader = th;
        skb.put16(th + Tcp.SOURCE, s.dport);
        skb.put16(th + Tcp.DEST, s.num);
        skb.put32(th + Tcp.SEQ, (int) seq);
        skb.put32(th + Tcp.ACK_SEQ, (int) s.sndNxt);
        skb.put8(th + Tcp.DOFF, 5 << 4);
        skb.put8(th + Tcp.FLAGS, Tcp.TCPHDR_ACK);
        skb.put16(th + Tcp.WINDOW, 1000);
        skb.putData(d, 0, d.length);
        return new TcpSeg(skb, s.daddr, s.saddr, 0, 1);
    }
}
