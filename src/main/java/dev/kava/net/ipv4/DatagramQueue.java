package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.Poll;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.net.Sock;
import dev.kava.net.core.SkBuff;

import java.util.ArrayDeque;

/**
 * The receive queue of a simple datagram socket (sk_receive_queue with sock_queue_rcv_skb and
 * skb_recv_datagram, net/core/sock.c and net/core/datagram.c): a packet is refused once the
 * queued memory reaches SO_RCVBUF; a reader takes (or peeks at) the first packet, waiting as
 * the socket's timeout says. Guarded by the owning socket's monitor.
 */
final class DatagramQueue {
    private final Sock sk;
    private final ArrayDeque<SkBuff> q = new ArrayDeque<>();
    private long rmem;
    private long seq;
    /** sk_drops */
    volatile int drops;

    DatagramQueue(Sock sk) {
        this.sk = sk;
    }

    /** sock_queue_rcv_skb: false (the packet dropped and counted) when the queue holds SO_RCVBUF or more. */
    boolean add(SkBuff skb) {
        synchronized (sk) {
            if (rmem >= sk.rcvbuf) {
                drops++;
                return false;
            }
            rmem += skb.truesize;
            q.addLast(skb);
            seq++;
        }
        sk.wq.wakeAll(Poll.POLLIN | Poll.POLLRDNORM | Poll.POLLRDBAND);
        return true;
    }

    /**
     * skb_recv_datagram: the first packet (left in place with MSG_PEEK); a pending socket error
     * first; null at end of file (RCV_SHUTDOWN); EAGAIN without waiting or when the timeout
     * passes; a signal interrupts.
     */
    SkBuff recv(Task t, int flags) {
        boolean peek = (flags & Socket.MSG_PEEK) != 0;
        long timeo = sk.rcvtimeo((flags & Socket.MSG_DONTWAIT) != 0);
        while (true) {
            long s;
            synchronized (sk) {
                int e = sk.sockError();
                if (e != 0) throw ErrnoException.of(e);
                SkBuff skb = peek ? q.peekFirst() : q.pollFirst();
                if (skb != null) {
                    if (!peek) rmem -= skb.truesize;
                    return skb;
                }
                if ((sk.shutdown & Sock.RCV_SHUTDOWN) != 0) return null;
                s = seq;
            }
            if (timeo == 0) throw ErrnoException.of(Errno.EAGAIN);
            if (t.signalPending()) throw ErrnoException.of(Sock.intrErrno(timeo));
            final long s0 = s;
            timeo = Sock.waitTimeo(t, sk.wq, () -> seq != s0 || sk.err != 0 || (sk.shutdown & Sock.RCV_SHUTDOWN) != 0, timeo);
            if (timeo == 0 && !t.signalPending()) {
                synchronized (sk) {
                    if (seq == s0 && sk.err == 0 && (sk.shutdown & Sock.RCV_SHUTDOWN) == 0) throw ErrnoException.of(Errno.EAGAIN);
                }
            }
        }
    }

    boolean isEmpty() {
        synchronized (sk) {
            return q.isEmpty();
        }
    }

    /** The length of the first packet's data, 0 if none (SIOCINQ). */
    int firstLen() {
        synchronized (sk) {
            SkBuff s = q.peekFirst();
            return s == null ? 0 : s.len();
        }
    }

    long rmem() {
        synchronized (sk) {
            return rmem;
        }
    }

    void clear() {
        synchronized (sk) {
            q.clear();
            rmem = 0;
        }
    }

    /** datagram_poll's share: errors, shutdown, readability; always writable. */
    int poll(boolean errQueued) {
        int mask = 0;
        synchronized (sk) {
            if (sk.err != 0 || errQueued) mask |= Poll.POLLERR | (sk.selectErrQueue ? Poll.POLLPRI : 0);
            int sh = sk.shutdown;
            if ((sh & Sock.RCV_SHUTDOWN) != 0) mask |= Poll.POLLRDHUP | Poll.POLLIN | Poll.POLLRDNORM;
            if (sh == Sock.SHUTDOWN_MASK) mask |= Poll.POLLHUP;
            if (!q.isEmpty()) mask |= Poll.POLLIN | Poll.POLLRDNORM;
        }
        return mask | Poll.POLLOUT | Poll.POLLWRNORM | Poll.POLLWRBAND;
    }
}
