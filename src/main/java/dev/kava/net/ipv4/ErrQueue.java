package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.In;
import dev.kava.abi.In6;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.net.MsgHdr;
import dev.kava.net.Scm;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv6.Inet6Sk;
import dev.kava.net.ipv6.Ip6Addr;

import java.util.ArrayDeque;

/**
 * A socket's error queue (sk_error_queue) with IP_RECVERR / IPV6_RECVERR: each ICMP error
 * about a packet the socket sent is kept with a struct sock_extended_err
 * (include/uapi/linux/errqueue.h) and the quoted payload, and read back with MSG_ERRQUEUE
 * (ip_recv_error, ipv6_recv_error). Guarded by the owning socket's monitor.
 */
public final class ErrQueue {
    /** SO_EE_ORIGIN_* */
    public static final int SO_EE_ORIGIN_NONE = 0, SO_EE_ORIGIN_LOCAL = 1, SO_EE_ORIGIN_ICMP = 2, SO_EE_ORIGIN_ICMP6 = 3;
    /** sizeof(struct sock_extended_err) */
    public static final int SOCK_EXTENDED_ERR_SIZE = 16;
    /** The most errors kept (sk_rcvbuf bounds it on Linux; kava keeps a count). */
    private static final int MAX = 64;

    /**
     * One queued error: the quoted payload, the extended error, the address and port the
     * offending packet was sent to, who sent the ICMP (the offender), and whether the ICMP was
     * IPv6.
     */
    record Entry(byte[] payload, int errno, int origin, int type, int code, int info, int port, byte[] dst,
                 byte[] offender, boolean v6, long tstamp, int iif) {}

    private final ArrayDeque<Entry> q = new ArrayDeque<>();

    synchronized boolean isEmpty() {
        return q.isEmpty();
    }

    synchronized void clear() {
        q.clear();
    }

    /**
     * ip_icmp_error / ipv6_icmp_error: skb is the ICMP packet, its data at the quoted IP header;
     * payloadOff is where the quoted transport payload starts.
     */
    public void queueIcmp(SkBuff skb, int err, int type, int code, int info, int port, boolean v6, int payloadOff) {
        int q0 = skb.data;
        byte[] dst = v6 ? Ip6Addr.read(skb.buf, q0 + 24) : skb.bytes(q0 + Ip.DADDR, 4);
        int onh = skb.networkHeader;
        byte[] offender = v6 ? Ip6Addr.read(skb.buf, onh + 8) : skb.bytes(onh + Ip.SADDR, 4);
        int plen = Math.max(0, skb.tail - payloadOff);
        byte[] payload = plen == 0 ? new byte[0] : skb.bytes(payloadOff, plen);
        int iif = skb.cb instanceof IpCb c ? c.iif : skb.skbIif;
        Entry e = new Entry(payload, err, v6 ? SO_EE_ORIGIN_ICMP6 : SO_EE_ORIGIN_ICMP, type, code, info, port, dst,
                offender, v6, skb.tstamp, iif);
        synchronized (this) {
            if (q.size() >= MAX) return;
            q.addLast(e);
        }
    }

    /**
     * ip_recv_error / ipv6_recv_error: the oldest error's payload (truncated: MSG_TRUNC), the
     * address it was about, and an IP_RECVERR (IPV6_RECVERR) control message with the extended
     * error and the offender; MSG_ERRQUEUE in msg_flags. EAGAIN when empty. The socket's
     * pending error becomes the next queued one's, or none.
     */
    long recv(Task t, InetSock sk, MsgHdr msg, long len) {
        Entry e;
        synchronized (this) {
            e = q.pollFirst();
            if (e == null) throw ErrnoException.of(Errno.EAGAIN);
            Entry next = q.peekFirst();
            synchronized (sk) {
                sk.err = next != null ? next.errno() : 0;
            }
        }
        int copied = e.payload().length;
        if (copied > len) {
            msg.flags |= Socket.MSG_TRUNC;
            copied = (int) len;
        }
        if (msg.iter.copyTo(e.payload(), 0, copied) != copied) throw ErrnoException.of(Errno.EFAULT);
        byte[] ee = new byte[SOCK_EXTENDED_ERR_SIZE];
        Uaccess.putInt(ee, 0, e.errno());
        ee[4] = (byte) e.origin();
        ee[5] = (byte) e.type();
        ee[6] = (byte) e.code();
        Uaccess.putInt(ee, 8, e.info());
        boolean sk6 = sk.family == Socket.AF_INET6;
        if (msg.name != null) {
            if (sk6) {
                byte[] a = e.v6() ? e.dst() : Ip6Addr.mapped(SkBuff.get32(e.dst(), 0));
                msg.namelen = Inet6Sk.putSockaddrIn6(msg.name, a, e.port(), 0, e.v6() ? Inet6Sk.scopeFor(a, e.iif()) : 0);
            } else {
                msg.namelen = InetSock.putSockaddrIn(msg.name, SkBuff.get32(e.dst(), 0), e.port());
            }
        }
        byte[] cm;
        if (sk6) {
            cm = new byte[SOCK_EXTENDED_ERR_SIZE + In6.SOCKADDR_IN6_SIZE];
            System.arraycopy(ee, 0, cm, 0, SOCK_EXTENDED_ERR_SIZE);
            byte[] off = e.v6() ? e.offender() : Ip6Addr.mapped(SkBuff.get32(e.offender(), 0));
            byte[] sin6 = new byte[Socket.SOCKADDR_STORAGE_SIZE];
            Inet6Sk.putSockaddrIn6(sin6, off, 0, 0, e.v6() ? Inet6Sk.scopeFor(off, e.iif()) : 0);
            System.arraycopy(sin6, 0, cm, SOCK_EXTENDED_ERR_SIZE, In6.SOCKADDR_IN6_SIZE);
            Scm.putCmsg(t, msg, Socket.SOL_IPV6, In6.IPV6_RECVERR, cm);
        } else {
            cm = new byte[SOCK_EXTENDED_ERR_SIZE + In.SOCKADDR_IN_SIZE];
            System.arraycopy(ee, 0, cm, 0, SOCK_EXTENDED_ERR_SIZE);
            byte[] sin = new byte[In.SOCKADDR_IN_SIZE];
            InetSock.putSockaddrIn(sin, SkBuff.get32(e.offender(), 0), 0);
            System.arraycopy(sin, 0, cm, SOCK_EXTENDED_ERR_SIZE, In.SOCKADDR_IN_SIZE);
            Scm.putCmsg(t, msg, Socket.SOL_IP, In.IP_RECVERR, cm);
        }
        msg.flags |= Socket.MSG_ERRQUEUE;
        return copied;
    }
}
