package dev.kava.net.netlink;

import dev.kava.abi.Errno;
import dev.kava.abi.Netlink;
import dev.kava.abi.Socket;
import dev.kava.fs.Poll;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.net.MsgHdr;
import dev.kava.net.Scm;
import dev.kava.net.Sock;

import java.util.ArrayDeque;
import java.util.List;

/**
 * An AF_NETLINK socket (struct netlink_sock and netlink_ops, net/netlink/af_netlink.c): a port
 * id in its protocol's table, multicast group memberships, a receive queue of datagrams (each
 * one or more netlink messages), and the state of a dump in progress, which is handed out one
 * datagram at a time as the reader makes room (netlink_dump).
 */
public final class NetlinkSock extends Sock {
    /** SKB_WITH_OVERHEAD(PAGE_SIZE): NLMSG_GOODSIZE, the usual size of a dump's datagram. */
    static final int NLMSG_GOODSIZE = 4096 - 320;
    /** The most a dump datagram grows to follow the reader's buffer: SKB_WITH_OVERHEAD(32768). */
    static final int MAX_RECVMSG_LEN = 32768 - 320;

    /** The sender's credentials attached to a message (NETLINK_CREDS); the kernel's are all zero. */
    public record Creds(int pid, int uid, int gid) {
        public static final Creds KERNEL = new Creds(0, 0, 0);
    }

    /** A queued datagram with its NETLINK_CB: the sender's port id, the group it went to, the creds. */
    private record Skb(byte[] data, int portid, int dstGroup, Creds creds) {
        int truesize() {
            return data.length + SKB_OVERHEAD;
        }
    }

    final NetlinkTable table;
    /** nlk->portid: 0 until bound. Written under the table's monitor. */
    volatile int portid;
    private volatile int dstPortid, dstGroup;
    /** nlk->groups[0..]: groups 1..64 as bits 0..63; ngroups 0 until the first subscription. */
    private volatile long groups;
    private volatile int ngroups;

    /** NETLINK_F_* flags */
    volatile boolean recvPktinfo, broadcastSendError, recvNoEnobufs, capAck, extAck, strictChk;

    private final ArrayDeque<Skb> rq = new ArrayDeque<>();
    private int rmem;
    private int maxRecvmsgLen;
    /** The dump in progress (nlk->cb_running), or null. */
    private Dump dump;

    NetlinkSock(NetlinkTable table, int type) {
        super(Socket.AF_NETLINK, type, table.protocol);
        this.table = table;
    }

    // ---- membership

    long groupMask() {
        return groups;
    }

    boolean inGroup(int group) {
        return group >= 1 && group <= ngroups && (groups & (1L << (group - 1))) != 0;
    }

    /** netlink_allowed: the protocol lets everyone, or the caller has CAP_NET_ADMIN. */
    private boolean allowed(Task t, boolean send) {
        NetlinkKernel k = table.kernel;
        boolean open = k != null && (send ? k.nonrootSend() : k.nonrootRecv());
        return open || t.group.cred.euid() == 0;
    }

    /** netlink_realloc_groups: ENOENT when the protocol has no kernel side. */
    private void reallocGroups() {
        if (table.kernel == null) throw ErrnoException.of(Errno.ENOENT);
        ngroups = Math.max(ngroups, Math.min(64, table.groups()));
    }

    // ---- proto_ops

    @Override
    public void release() {
        table.remove(this);
        synchronized (this) {
            rq.clear();
            rmem = 0;
            dump = null;
        }
        wq.wakeAll();
    }

    /** netlink_bind */
    @Override
    public void bind(Task t, byte[] addr, int len) {
        if (len < Netlink.SOCKADDR_NL_SIZE) throw ErrnoException.of(Errno.EINVAL);
        if (family(addr) != Socket.AF_NETLINK) throw ErrnoException.of(Errno.EINVAL);
        int pid = Uaccess.getInt(addr, Netlink.NL_PID);
        long want = Integer.toUnsignedLong(Uaccess.getInt(addr, Netlink.NL_GROUPS));
        if (want != 0) {
            if (!allowed(t, false)) throw ErrnoException.of(Errno.EPERM);
            reallocGroups();
        }
        if (portid != 0 && pid != portid) throw ErrnoException.of(Errno.EINVAL);
        if (portid == 0) {
            if (pid != 0) table.insert(this, pid);
            else table.autobind(this, t.group.tgid);
        }
        if (want == 0 && (groups & 0xffffffffL) == 0) return;
        groups = (groups & ~0xffffffffL) | (want & (ngroups >= 64 ? -1L : (1L << ngroups) - 1));
        table.updateSubscriptions(this);
    }

    private static int family(byte[] addr) {
        return (addr[0] & 0xff) | (addr[1] & 0xff) << 8;
    }

    /** netlink_connect: AF_UNSPEC disconnects; a peer other than the kernel needs the right to send. */
    @Override
    public void connect(Task t, byte[] addr, int len, int fileFlags) {
        if (len < 2) throw ErrnoException.of(Errno.EINVAL);
        if (family(addr) == Socket.AF_UNSPEC) {
            state = 0;
            dstPortid = 0;
            dstGroup = 0;
            return;
        }
        if (family(addr) != Socket.AF_NETLINK) throw ErrnoException.of(Errno.EINVAL);
        if (len < Netlink.SOCKADDR_NL_SIZE) throw ErrnoException.of(Errno.EINVAL);
        int pid = Uaccess.getInt(addr, Netlink.NL_PID), g = Uaccess.getInt(addr, Netlink.NL_GROUPS);
        if ((g != 0 || pid != 0) && !allowed(t, true)) throw ErrnoException.of(Errno.EPERM);
        if (portid == 0) table.autobind(this, t.group.tgid);
        state = 1; // NETLINK_CONNECTED
        dstPortid = pid;
        dstGroup = Integer.numberOfTrailingZeros(g) + 1 & (g == 0 ? 0 : -1);
    }

    /** netlink_getname: sockaddr_nl with our port id and first 32 groups, or the peer's. */
    @Override
    public int getname(byte[] out, boolean peer) {
        out[0] = (byte) Socket.AF_NETLINK;
        out[1] = 0;
        out[2] = out[3] = 0;
        if (peer) {
            Uaccess.putInt(out, Netlink.NL_PID, dstPortid);
            Uaccess.putInt(out, Netlink.NL_GROUPS, groupMask32(dstGroup));
        } else {
            Uaccess.putInt(out, Netlink.NL_PID, portid);
            Uaccess.putInt(out, Netlink.NL_GROUPS, (int) groups);
        }
        return Netlink.SOCKADDR_NL_SIZE;
    }

    /** netlink_group_mask */
    static int groupMask32(int group) {
        return group == 0 || group > 32 ? 0 : 1 << (group - 1);
    }

    @Override
    public synchronized int poll(Task t, Poll.Table pt) {
        if (pt != null) pt.wait(wq);
        int mask = 0;
        if (err != 0) mask |= dev.kava.abi.Poll.POLLERR;
        if ((shutdown & RCV_SHUTDOWN) != 0) mask |= dev.kava.abi.Poll.POLLRDHUP | dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
        if (shutdown == SHUTDOWN_MASK) mask |= dev.kava.abi.Poll.POLLHUP;
        if (!rq.isEmpty()) mask |= dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
        mask |= dev.kava.abi.Poll.POLLOUT | dev.kava.abi.Poll.POLLWRNORM | dev.kava.abi.Poll.POLLWRBAND;
        return mask;
    }

    // ---- options

    /** netlink_setsockopt */
    @Override
    public void setsockopt(Task t, int level, int optname, long optval, int optlen) {
        if (level != Socket.SOL_NETLINK) throw ErrnoException.of(Errno.ENOPROTOOPT);
        int val = optlen >= 4 ? t.mem.read32(optval) : 0;
        boolean on = val != 0;
        switch (optname) {
            case Netlink.NETLINK_PKTINFO -> recvPktinfo = on;
            case Netlink.NETLINK_ADD_MEMBERSHIP, Netlink.NETLINK_DROP_MEMBERSHIP -> {
                if (!allowed(t, false)) throw ErrnoException.of(Errno.EPERM);
                reallocGroups();
                if (val == 0 || Integer.toUnsignedLong(val) - 1 >= ngroups) throw ErrnoException.of(Errno.EINVAL);
                long bit = 1L << (val - 1);
                groups = optname == Netlink.NETLINK_ADD_MEMBERSHIP ? groups | bit : groups & ~bit;
                table.updateSubscriptions(this);
            }
            case Netlink.NETLINK_BROADCAST_ERROR -> broadcastSendError = on;
            case Netlink.NETLINK_NO_ENOBUFS -> {
                recvNoEnobufs = on;
                if (on) wq.wakeAll();
            }
            case Netlink.NETLINK_LISTEN_ALL_NSID -> {
                if (t.group.cred.euid() != 0) throw ErrnoException.of(Errno.EPERM);
                // kava has one network namespace: there are no other namespaces' messages to listen to.
            }
            case Netlink.NETLINK_CAP_ACK -> capAck = on;
            case Netlink.NETLINK_EXT_ACK -> extAck = on;
            case Netlink.NETLINK_GET_STRICT_CHK -> strictChk = on;
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
    }

    /** netlink_getsockopt */
    @Override
    public void getsockopt(Task t, int level, int optname, long optval, long optlenAddr) {
        if (level != Socket.SOL_NETLINK) throw ErrnoException.of(Errno.ENOPROTOOPT);
        int len = t.mem.read32(optlenAddr);
        if (len < 0) throw ErrnoException.of(Errno.EINVAL);
        boolean val;
        switch (optname) {
            case Netlink.NETLINK_PKTINFO -> val = recvPktinfo;
            case Netlink.NETLINK_BROADCAST_ERROR -> val = broadcastSendError;
            case Netlink.NETLINK_NO_ENOBUFS -> val = recvNoEnobufs;
            case Netlink.NETLINK_LIST_MEMBERSHIPS -> {
                int n = ngroups;
                long g = groups;
                for (int pos = 0; pos * 8 < n; pos += 4) {
                    if (len - pos < 4) break;
                    t.mem.write32(optval + pos, (int) (g >>> (pos * 8)));
                }
                t.mem.write32(optlenAddr, ((n + 7) / 8 + 3) & ~3);
                return;
            }
            case Netlink.NETLINK_LISTEN_ALL_NSID -> val = false;
            case Netlink.NETLINK_CAP_ACK -> val = capAck;
            case Netlink.NETLINK_EXT_ACK -> val = extAck;
            case Netlink.NETLINK_GET_STRICT_CHK -> val = strictChk;
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
        if (len < 4) throw ErrnoException.of(Errno.EINVAL);
        t.mem.write32(optlenAddr, 4);
        t.mem.write32(optval, val ? 1 : 0);
    }

    // ---- sending

    /**
     * netlink_sendmsg: one datagram to the port id and/or group in msg_name (or the connected
     * peer), port id 0 being the kernel, whose input runs before this returns.
     */
    @Override
    public long sendmsg(Task t, MsgHdr msg, long len) {
        if ((msg.flags & Socket.MSG_OOB) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        Scm scm = Scm.send(t, this, msg, true);
        Creds creds = new Creds(t.group.tgid, t.group.cred.uid(), t.group.cred.gid());
        scm.destroy();
        int dstP, dstG;
        if (msg.name != null && msg.namelen != 0) {
            if (msg.namelen < Netlink.SOCKADDR_NL_SIZE) throw ErrnoException.of(Errno.EINVAL);
            if (family(msg.name) != Socket.AF_NETLINK) throw ErrnoException.of(Errno.EINVAL);
            dstP = Uaccess.getInt(msg.name, Netlink.NL_PID);
            int g = Uaccess.getInt(msg.name, Netlink.NL_GROUPS);
            dstG = g == 0 ? 0 : Integer.numberOfTrailingZeros(g) + 1;
            if ((dstG != 0 || dstP != 0) && !allowed(t, true)) throw ErrnoException.of(Errno.EPERM);
        } else {
            dstP = dstPortid;
            dstG = dstGroup;
        }
        if (portid == 0) table.autobind(this, t.group.tgid);
        if (len > sndbuf - 32) throw ErrnoException.of(Errno.EMSGSIZE);
        byte[] data = new byte[(int) len];
        if (msg.iter.copyFrom(data, 0, data.length) != data.length) throw ErrnoException.of(Errno.EFAULT);
        if (dstG != 0) table.broadcast(data, portid, dstP, dstG, creds, this);
        if (dstP == 0) {
            NetlinkKernel k = table.kernel;
            if (k == null) throw ErrnoException.of(Errno.ECONNREFUSED);
            k.input(t, this, data);
            return len;
        }
        NetlinkSock dst = table.lookup(dstP);
        // netlink_getsockbyportid: a connected socket takes messages only from its peer.
        if (dst == null || (dst.state == 1 && dst.dstPortid != portid)) throw ErrnoException.of(Errno.ECONNREFUSED);
        if (!dst.deliver(data, portid, 0, creds, (msg.flags & Socket.MSG_DONTWAIT) != 0)) {
            // netlink_attachskb's wait for room is not modelled: a full receiver is EAGAIN.
            throw ErrnoException.of(Errno.EAGAIN);
        }
        return len;
    }

    /**
     * Queues a datagram (__netlink_sendskb), or drops it when the receive buffer is already
     * over its limit; a kernel or multicast sender's loss is reported to the receiver as
     * ENOBUFS (netlink_overrun) unless it set NETLINK_NO_ENOBUFS. Returns whether it was queued.
     */
    boolean deliver(byte[] data, int srcPortid, int group, Creds creds, boolean overrunReports) {
        synchronized (this) {
            if (rmem > rcvbuf) {
                if (overrunReports && !recvNoEnobufs) err = Errno.ENOBUFS;
                overrunWake();
                return false;
            }
            Skb skb = new Skb(data, srcPortid, group, creds);
            rq.addLast(skb);
            rmem += skb.truesize();
        }
        wq.wakeAll();
        return true;
    }

    private void overrunWake() {
        wq.wakeAll();
    }

    /**
     * A message from the kernel to this socket (netlink_unicast from the kernel socket, never
     * waiting); also netlink_sendskb of an mqueue SIGEV_THREAD cookie.
     */
    public void unicastFromKernel(byte[] data) {
        deliver(data, 0, 0, Creds.KERNEL, true);
    }

    // ---- receiving

    /** netlink_recvmsg: one datagram; MSG_TRUNC reports its full length; a running dump is continued. */
    @Override
    public long recvmsg(Task t, MsgHdr msg, long len, int flags) {
        if ((flags & Socket.MSG_OOB) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        if ((flags & Socket.MSG_ERRQUEUE) != 0) throw ErrnoException.of(Errno.EAGAIN);
        Skb skb = receiveDatagram(t, flags);
        if (skb == null) return 0;
        synchronized (this) {
            long want = Math.max(maxRecvmsgLen, len);
            maxRecvmsgLen = (int) Math.min(want, MAX_RECVMSG_LEN);
        }
        int copied = skb.data.length;
        if (len < copied) {
            msg.flags |= Socket.MSG_TRUNC;
            copied = (int) len;
        }
        if (msg.iter.copyTo(skb.data, 0, copied) != copied) throw ErrnoException.of(Errno.EFAULT);
        if (msg.name != null) {
            java.util.Arrays.fill(msg.name, 0, Netlink.SOCKADDR_NL_SIZE, (byte) 0);
            msg.name[0] = (byte) Socket.AF_NETLINK;
            Uaccess.putInt(msg.name, Netlink.NL_PID, skb.portid);
            Uaccess.putInt(msg.name, Netlink.NL_GROUPS, groupMask32(skb.dstGroup));
            msg.namelen = Netlink.SOCKADDR_NL_SIZE;
        }
        if (recvPktinfo) {
            byte[] info = new byte[4];
            Uaccess.putInt(info, 0, skb.dstGroup);
            Scm.putCmsg(t, msg, Socket.SOL_NETLINK, Netlink.NETLINK_PKTINFO, info);
        }
        long ret = (flags & Socket.MSG_TRUNC) != 0 ? skb.data.length : copied;
        boolean more;
        synchronized (this) {
            more = dump != null && rmem <= rcvbuf / 2;
        }
        if (more) {
            int e = dumpStep();
            if (e != 0) {
                err = e;
                wq.wakeAll();
            }
        }
        Scm scm = new Scm();
        scm.setCred(true, skb.creds.pid(), skb.creds.uid(), skb.creds.gid());
        scm.recvUnix(t, this, msg);
        return ret;
    }

    /**
     * skb_recv_datagram: the first datagram (left queued with MSG_PEEK); when none, a pending
     * error, then 0 after shutdown, then EAGAIN or a wait for one.
     */
    private Skb receiveDatagram(Task t, int flags) {
        long timeo = rcvtimeo((flags & Socket.MSG_DONTWAIT) != 0);
        while (true) {
            synchronized (this) {
                Skb skb = (flags & Socket.MSG_PEEK) != 0 ? rq.peekFirst() : rq.pollFirst();
                if (skb != null) {
                    if ((flags & Socket.MSG_PEEK) == 0) rmem -= skb.truesize();
                    return skb;
                }
            }
            int e = sockError();
            if (e != 0) throw ErrnoException.of(e);
            if ((shutdown & RCV_SHUTDOWN) != 0) return null;
            if (timeo == 0) throw ErrnoException.of(Errno.EAGAIN);
            timeo = waitTimeo(t, wq, this::hasData, timeo);
            if (t.signalPending()) throw ErrnoException.of(intrErrno(timeo));
        }
    }

    private synchronized boolean hasData() {
        return !rq.isEmpty() || err != 0 || (shutdown & RCV_SHUTDOWN) != 0;
    }

    @Override
    public synchronized long rmemAlloc() {
        return rmem;
    }

    @Override
    public void shutdown(Task t, int how) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    // ---- dumps (netlink_dump_start, netlink_dump)

    /**
     * A dump's answer: its messages (each already carrying NLM_F_MULTI, the request's sequence
     * number and our port id), the minimum datagram size, the DONE message's flags, and whether
     * DONE travels in a datagram of its own (RTNL_FLAG_DUMP_SPLIT_NLM_DONE, as rtnetlink's link,
     * address and route dumps do for applications that expect it).
     */
    static final class Dump {
        final List<byte[]> msgs;
        int next;
        final int seq, doneFlags, minAlloc;
        final boolean splitDone;
        /** The dump callback's error (dump_done_errno), carried in NLMSG_DONE, with its extack message. */
        final int doneErrno;
        final String extack;

        Dump(List<byte[]> msgs, int seq, int doneFlags, int minAlloc, boolean splitDone, int doneErrno, String extack) {
            this.msgs = msgs;
            this.seq = seq;
            this.doneFlags = doneFlags;
            this.minAlloc = minAlloc;
            this.splitDone = splitDone;
            this.doneErrno = doneErrno;
            this.extack = extack;
        }
    }

    /** netlink_dump_start: EBUSY while another dump runs; the first datagram is queued now. */
    void startDump(Dump d) {
        synchronized (this) {
            if (dump != null) throw ErrnoException.of(Errno.EBUSY);
            dump = d;
        }
        int e = dumpStep();
        if (e != 0) throw ErrnoException.of(e);
    }

    /**
     * netlink_dump: one datagram of the dump, as large as the reader's biggest buffer so far
     * (or NLMSG_GOODSIZE), then NLMSG_DONE (with 0) once every message has gone. Returns an
     * errno (ENOBUFS when the receive buffer is full), 0 otherwise.
     */
    private int dumpStep() {
        synchronized (this) {
            Dump d = dump;
            if (d == null) return Errno.EINVAL;
            if (rmem >= rcvbuf) return Errno.ENOBUFS;
            int alloc = Math.max(d.minAlloc, NLMSG_GOODSIZE);
            if (alloc < maxRecvmsgLen) alloc = maxRecvmsgLen;
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            boolean added = false;
            while (d.next < d.msgs.size()) {
                byte[] m = d.msgs.get(d.next);
                if (added && out.size() + m.length > alloc) break;
                out.writeBytes(m);
                d.next++;
                added = true;
            }
            boolean finished = d.next >= d.msgs.size();
            int doneSize = Netlink.NLMSG_HDRLEN + 4;
            boolean putDone = finished && !(added && d.splitDone) && (!added || out.size() + doneSize <= alloc);
            if (putDone) {
                // netlink_dump_done: the dump's result, and its extack message if the reader wants those.
                boolean tlv = d.extack != null && extAck;
                NlMsg done = new NlMsg(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI | d.doneFlags | (tlv ? Netlink.NLM_F_ACK_TLVS : 0),
                        d.seq, portid);
                done.put32(done.reserve(4), -d.doneErrno);
                if (tlv) done.string(Netlink.NLMSGERR_ATTR_MSG, d.extack);
                out.writeBytes(done.bytes());
                dump = null;
            }
            Skb skb = new Skb(out.toByteArray(), 0, 0, Creds.KERNEL);
            rq.addLast(skb);
            rmem += skb.truesize();
        }
        wq.wakeAll();
        return 0;
    }

    // ---- acks

    /**
     * netlink_ack: NLMSG_ERROR with err (0 for an ACK) and the request's header, plus its
     * payload for an error unless NETLINK_CAP_ACK; with NETLINK_EXT_ACK a message string as
     * NLMSGERR_ATTR_MSG (NLM_F_ACK_TLVS).
     */
    void ack(byte[] req, int off, int nlmsgLen, int seq, int errno, String extackMsg) {
        int flags = 0;
        boolean full = errno != 0 && !capAck;
        if (!full) flags |= Netlink.NLM_F_CAPPED;
        boolean tlv = extAck && extackMsg != null;
        if (tlv) flags |= Netlink.NLM_F_ACK_TLVS;
        NlMsg m = new NlMsg(Netlink.NLMSG_ERROR, flags, seq, portid);
        int copy = full ? nlmsgLen : Netlink.NLMSG_HDRLEN;
        int at = m.reserve(4 + copy);
        m.put32(at, -errno);
        byte[] body = m.bytes();
        System.arraycopy(req, off, body, at + 4, copy);
        if (tlv) {
            NlMsg t = new NlMsg(0, 0, 0, 0);
            t.string(Netlink.NLMSGERR_ATTR_MSG, extackMsg);
            byte[] tb = t.bytes();
            byte[] all = java.util.Arrays.copyOf(body, body.length + tb.length - Netlink.NLMSG_HDRLEN);
            System.arraycopy(tb, Netlink.NLMSG_HDRLEN, all, body.length, tb.length - Netlink.NLMSG_HDRLEN);
            body = all;
        }
        Uaccess.putInt(body, Netlink.NLMSG_LEN, body.length);
        unicastFromKernel(body);
    }
}
