package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.Poll;
import dev.kava.abi.Socket;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.net.MsgHdr;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv6.Inet6Sk;
import dev.kava.net.ipv6.Ip6Addr;

/**
 * What ping and raw sockets share (net/core/datagram.c and sock.c as both use them): a
 * receive queue of whole packets ({@link DatagramQueue}), an error queue (IP_RECVERR /
 * IPV6_RECVERR), datagram_poll, recvmsg's copy with truncation, the source address and the
 * ancillary data, inet_shutdown, and a close that empties both queues.
 */
abstract class InetDatagramSock extends InetSock {
    protected final DatagramQueue rq = new DatagramQueue(this);
    protected final ErrQueue errq = new ErrQueue();

    protected InetDatagramSock(Net net, int family, int type, int protocol) {
        super(net, family, type, protocol);
    }

    /**
     * ping_recvmsg and raw_recvmsg / rawv6_recvmsg: the first packet (or with MSG_ERRQUEUE the
     * error queue's first error), truncated to len with MSG_TRUNC in msg_flags, its source
     * address with port 0, SO_TIMESTAMP and the IP(V6) control messages. Returns the bytes
     * copied, or the packet's full length with the MSG_TRUNC flag where the protocol says so.
     */
    @Override
    public final long recvmsg(Task t, MsgHdr msg, long len, int flags) {
        if ((flags & Socket.MSG_OOB) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        if ((flags & Socket.MSG_ERRQUEUE) != 0) return errq.recv(t, this, msg, len);
        SkBuff skb = rq.recv(t, flags);
        if (skb == null) return 0;
        int full = skb.len();
        int copied = full;
        if (len < copied) {
            msg.flags |= Socket.MSG_TRUNC;
            copied = (int) len;
        }
        if (msg.iter.copyTo(skb.buf, skb.data, copied) != copied) throw ErrnoException.of(Errno.EFAULT);
        if (rcvtstamp) putTimestamp(t, msg, skb.tstamp != 0 ? skb.tstamp : net.realtimeNanos());
        int nh = skb.networkHeader;
        if (family == Socket.AF_INET) {
            if (msg.name != null) msg.namelen = putSockaddrIn(msg.name, skb.get32(nh + Ip.SADDR), 0);
            if (cmsgFlags != 0) ipCmsgRecv(t, msg, skb);
        } else {
            byte[] src = Ip6Addr.read(skb.buf, nh + 8);
            if (msg.name != null) msg.namelen = Inet6Sk.putSockaddrIn6(msg.name, src, 0, 0, Inet6Sk.ifaceScope(src, skb.cb));
            Inet6Sk.cmsgRecvCommon(this, t, msg, skb, false);
            Inet6Sk.cmsgRecvSpecific(this, t, msg, skb);
        }
        return (flags & Socket.MSG_TRUNC) != 0 && truncFlagReturnsFullLength() ? full : copied;
    }

    /** Whether recvmsg with the MSG_TRUNC flag returns a truncated packet's full length (raw: yes; ping: no). */
    protected abstract boolean truncFlagReturnsFullLength();

    /** datagram_poll: readable with a packet queued, POLLERR with an error queued; always writable. */
    @Override
    public int poll(Task t, dev.kava.fs.Poll.Table pt) {
        if (pt != null) pt.wait(wq);
        return rq.poll(!errq.isEmpty());
    }

    @Override
    public long rmemAlloc() {
        return rq.rmem();
    }

    /** The bytes queued, for /proc/net/{raw,icmp}'s rx_queue (sk_rmem_alloc). */
    public long rxQueue() {
        return rq.rmem();
    }

    /** sk_drops: packets refused because the queue was full. */
    public int drops() {
        return rq.drops;
    }

    @Override
    public void shutdown(Task t, int how) {
        datagramShutdown(how);
    }

    /** ping_close / raw_close: out of the lookup table, both queues freed. */
    @Override
    public void release() {
        synchronized (this) {
            unhash();
            rq.clear();
            errq.clear();
            state = TCP_CLOSE;
        }
        wq.wakeAll(Poll.POLLHUP);
    }
}
