package dev.kava.net.unix;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Resource;
import dev.kava.abi.Signal;
import dev.kava.abi.Socket;
import dev.kava.abi.Stat;
import dev.kava.abi.Un;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.Namei;
import dev.kava.fs.NameiSyscalls;
import dev.kava.fs.Permission;
import dev.kava.fs.Poll;
import dev.kava.fs.SuperBlock;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.sched.WaitQueue;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;
import dev.kava.net.MsgHdr;
import dev.kava.net.Scm;
import dev.kava.net.Sock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An AF_UNIX socket (struct unix_sock, net/unix/af_unix.c): SOCK_STREAM, SOCK_DGRAM and
 * SOCK_SEQPACKET, named in the filesystem (a socket inode made through the VFS), in the
 * abstract namespace (a leading NUL byte) or not at all; connected in pairs, through a
 * listener's queue of embryo sockets, or (datagrams) to any peer by name. Messages carry
 * credentials and files (SCM_CREDENTIALS, SCM_RIGHTS). Memory is accounted as Linux does:
 * what a socket sent and the receiver has not freed yet counts against its SO_SNDBUF.
 *
 * <p>One lock, {@link #LOCK}, covers every AF_UNIX socket's state, queues and name tables
 * (Linux's unix_state_lock, the queue locks, the table locks and unix_gc_lock in one). Data
 * is copied from and to user memory outside it; files are released and wait queues slept on
 * only after it is dropped.
 */
public final class UnixSock extends Sock {
    static final Object LOCK = new Object();

    /**
     * The largest datagram a buffer can be allocated for: alloc_skb_with_frags puts all but
     * MAX_SKB_FRAGS pages in one kmalloc, which cannot exceed KMALLOC_MAX_SIZE (4 MiB). Only a
     * send buffer raised with SO_SNDBUFFORCE gets there; beyond it sendmsg fails with ENOBUFS.
     */
    private static final int DGRAM_MAX_ALLOC = (4 << 20) + 17 * 4096 - 512;
    /** All AF_UNIX buffers queued at once may use at most this much of the Java heap (then ENOBUFS). */
    private static final long QUEUED_MAX = Runtime.getRuntime().maxMemory() / 4;
    /** Bytes in every AF_UNIX buffer allocated and not yet freed. Guarded by LOCK. */
    private static long queuedBytes;

    /** SKB_MAX_HEAD(0) + UNIX_SKB_FRAGS_SZ: the largest piece a stream write makes. */
    private static final int STREAM_SKB_MAX = (4096 - 320) + 32768;
    /** Wakeup keys. */
    private static final int POLL_IN = dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLPRI | dev.kava.abi.Poll.POLLRDNORM | dev.kava.abi.Poll.POLLRDBAND;
    private static final int POLL_OUT = dev.kava.abi.Poll.POLLOUT | dev.kava.abi.Poll.POLLWRNORM | dev.kava.abi.Poll.POLLWRBAND;

    /** The filesystem-bound sockets, by the inode they are bound to (bsd_socket_buckets). */
    private static final Map<InodeKey, List<UnixSock>> BSD = new HashMap<>();

    private record InodeKey(SuperBlock sb, long ino) {
        static InodeKey of(Inode i) {
            return new InodeKey(i.sb, i.ino);
        }
    }

    final UnixNet net;
    /** u->addr: the bound address (sockaddr_un bytes, sun_family first, as long as addr->len), or null. */
    byte[] addr;
    /** u->path: the socket inode this socket is bound to, its mount pinned. */
    FsPath path;
    /** unix_peer */
    UnixSock peer;
    /** sk_receive_queue */
    final UnixSkb.Queue rq = new UnixSkb.Queue();
    /** sk_max_ack_backlog: the listen backlog, or max_dgram_qlen for a datagram receiver. */
    int maxAckBacklog;
    /** SOCK_DEAD */
    volatile boolean dead;
    /** sk_wmem_alloc: what this socket's buffers in flight are charged. */
    long wmem;
    /** u->peer_wait: writers blocked on this socket's full queue, and connectors on its full backlog. */
    final WaitQueue peerWait = new WaitQueue();
    /** u->peer_wake: relays a wakeup of the peer's peer_wait to this socket's pollers. */
    private final PeerWake peerWake = new PeerWake();
    /** u->iolock: one reader at a time. */
    private final ReentrantLock iolock = new ReentrantLock();
    /** u->bindlock */
    private final ReentrantLock bindlock = new ReentrantLock();
    /** sk_scm_rights (SO_PASSRIGHTS): whether this socket takes SCM_RIGHTS. */
    volatile boolean scmRights = true;
    /** scm_stat.nr_fds: files in flight in this socket's queue. */
    int nrFds;
    /** u->oob_skb: the out-of-band byte of a stream (CONFIG_AF_UNIX_OOB), while it is unread. */
    UnixSkb oobSkb;

    private UnixSock(UnixNet net, int type) {
        super(Socket.AF_UNIX, type, 0);
        this.net = net;
        this.maxAckBacklog = net.maxDgramQlen;
    }

    /** unix_create1: ENFILE when there are too many AF_UNIX sockets. */
    static UnixSock create1(UnixNet net, int type) {
        UnixSock s = new UnixSock(net, type);
        synchronized (LOCK) {
            if (net.nrSocks + 1 > UnixNet.MAX_SOCKS) throw ErrnoException.of(Errno.ENFILE);
            net.nrSocks++;
            net.socks.add(s);
        }
        return s;
    }

    /** Work to do once LOCK is dropped: files to release and bound paths to put. */
    static final class Deferred {
        final List<File> files = new ArrayList<>();
        final List<FsPath> paths = new ArrayList<>();

        void run() {
            Scm.putFiles(files);
            for (FsPath p : paths) NameiSyscalls.socketPathPut(p);
            files.clear();
            paths.clear();
        }
    }

    private boolean connectionBased() {
        return type == Socket.SOCK_STREAM || type == Socket.SOCK_SEQPACKET;
    }

    // ---- wakeups (sk_data_ready, sk_state_change, sk_write_space, sk_error_report)

    private void dataReady() {
        wq.wakeAll(POLL_IN);
    }

    private void stateChange() {
        wq.wakeAll();
    }

    private void errorReport() {
        wq.wakeAll(dev.kava.abi.Poll.POLLERR);
    }

    /** unix_writable: not listening, and less than a quarter of the send buffer in flight. */
    private boolean writable(int st) {
        return st != TCP_LISTEN && (wmem << 2) <= sndbuf;
    }

    /** unix_write_space */
    @Override
    protected void writeSpace() {
        if (writable(state)) wq.wakeAll(POLL_OUT);
    }

    /** unix_recvq_full_lockless: more waiting than the backlog (or max_dgram_qlen). */
    private boolean recvqFull() {
        return rq.size() > maxAckBacklog;
    }

    // ---- buffers

    /**
     * sock_alloc_send_pskb: waits (up to SO_SNDTIMEO) until this socket has less than its
     * send buffer in flight, then charges a new buffer of size bytes to it. A pending error,
     * SEND_SHUTDOWN (EPIPE), a timeout (EAGAIN) or a signal end the wait.
     */
    private UnixSkb allocSendSkb(Task t, int size, boolean noblock) {
        long timeo = sndtimeo(noblock);
        while (true) {
            int e = sockError();
            if (e != 0) throw ErrnoException.of(e);
            if ((shutdown & SEND_SHUTDOWN) != 0) throw ErrnoException.of(Errno.EPIPE);
            synchronized (LOCK) {
                if (wmem < sndbuf) {
                    // alloc_skb_with_frags: the memory is not there (kava keeps buffers on the Java heap).
                    if (queuedBytes + size > QUEUED_MAX) throw ErrnoException.of(Errno.ENOBUFS);
                    UnixSkb skb = new UnixSkb(this, size, size + SKB_OVERHEAD);
                    wmem += skb.truesize;
                    queuedBytes += skb.truesize;
                    return skb;
                }
            }
            if (timeo == 0) throw ErrnoException.of(Errno.EAGAIN);
            if (t.signalPending()) throw ErrnoException.of(intrErrno(timeo));
            timeo = waitTimeo(t, wq, () -> wmem < sndbuf || (shutdown & SEND_SHUTDOWN) != 0 || err != 0, timeo);
        }
    }

    /** kfree_skb with unix_destruct_scm and sock_wfree: the files go to d, the sender gets its memory back. Call with LOCK held. */
    private static void freeSkb(UnixSkb skb, Deferred d) {
        if (skb.fp != null) {
            UnixGc.detach(skb);
            d.files.addAll(skb.fp);
            skb.fp = null;
        }
        if (skb.truesize > 0) {
            skb.sk.wmem -= skb.truesize;
            queuedBytes -= skb.truesize;
            skb.sk.writeSpace();
        }
    }

    /** A buffer that never reached a queue: its files and memory go back (LOCK not held). */
    private static void dropSkb(UnixSkb skb) {
        Deferred d = new Deferred();
        synchronized (LOCK) {
            if (skb.fp != null) {
                d.files.addAll(skb.fp);
                skb.fp = null;
            }
            if (skb.truesize > 0) {
                skb.sk.wmem -= skb.truesize;
                queuedBytes -= skb.truesize;
                skb.sk.writeSpace();
            }
        }
        d.run();
    }

    /** scm_stat_add: a buffer enters this socket's queue. Call with LOCK held. */
    private void enqueue(UnixSkb skb) {
        if (skb.fp != null && !skb.fp.isEmpty()) {
            nrFds += skb.fp.size();
            UnixGc.attach(skb);
        }
        rq.add(skb);
    }

    /** Detaches the files of a buffer leaving the queue to a receiver's cookie (scm_stat_del, unix_detach_fds). Call with LOCK held. */
    private void detachFds(UnixSkb skb, Scm scm) {
        if (skb.fp == null) return;
        nrFds -= skb.fp.size();
        UnixGc.detach(skb);
        scm.fp = skb.fp;
        skb.fp = null;
    }

    /** The garbage collector found this socket unreachable: its queue (a listener: its embryos' queues) goes. Call with LOCK held. */
    void purgeQueue(Deferred d) {
        if (state == TCP_LISTEN) {
            for (UnixSkb s = rq.peek(); s != null; s = s.next) s.sk.purgeOwnQueue(d);
        } else {
            purgeOwnQueue(d);
        }
    }

    private void purgeOwnQueue(Deferred d) {
        UnixSkb skb;
        while ((skb = rq.poll()) != null) {
            if (skb.fp != null) nrFds -= skb.fp.size();
            freeSkb(skb, d);
        }
        peerWait.wakeAll();
    }

    /**
     * unix_scm_to_skb: the cookie's credentials go with the buffer, and its files too when
     * sendFds (only a stream's first buffer takes them); ETOOMANYREFS when the sender's user
     * has more files in flight than its RLIMIT_NOFILE.
     */
    private static void scmToSkb(Task t, Scm scm, UnixSkb skb, boolean sendFds) {
        skb.hasPid = scm.hasPid;
        skb.pid = scm.pid;
        skb.uid = scm.uid;
        skb.gid = scm.gid;
        if (scm.fp != null && sendFds) {
            if (UnixGc.tooMany(t.group.cred.uid(), t.group.rlimits.cur(Resource.RLIMIT_NOFILE), t.group.cred.euid() == 0)) {
                throw ErrnoException.of(Errno.ETOOMANYREFS);
            }
            skb.fp = scm.fp;
            skb.fpUid = t.group.cred.uid();
            scm.fp = null;
        }
    }

    /** unix_maybe_add_creds: the sender's credentials when either end asked for them, or the receiver is not accepted yet. */
    private static void maybeAddCreds(Task t, UnixSkb skb, UnixSock sk, UnixSock other) {
        if (skb.hasPid) return;
        if (sk.passcred || other.passcred || other.socket == null) {
            skb.hasPid = true;
            skb.pid = t.group.tgid;
            skb.uid = t.group.cred.uid();
            skb.gid = t.group.cred.gid();
        }
    }

    /** unix_skb_to_scm */
    private static void skbToScm(UnixSkb skb, Scm scm) {
        scm.setCred(skb.hasPid, skb.pid, skb.uid, skb.gid);
    }

    /** unix_skb_scm_eq: the same writer (stream reads never glue two writers' data when credentials are passed). */
    private static boolean skbScmEq(UnixSkb skb, Scm scm) {
        return skb.hasPid == scm.hasPid && skb.pid == scm.pid && skb.uid == scm.uid && skb.gid == scm.gid;
    }

    // ---- addresses and names

    private static int family(byte[] a) {
        return (a[0] & 0xff) | (a[1] & 0xff) << 8;
    }

    /** unix_validate_addr: longer than the family, no longer than a sockaddr_un, and AF_UNIX. */
    private static void validateAddr(byte[] a, int len) {
        if (len <= Un.SUN_PATH_OFFSET || len > Un.SOCKADDR_UN_SIZE) throw ErrnoException.of(Errno.EINVAL);
        if (family(a) != Socket.AF_UNIX) throw ErrnoException.of(Errno.EINVAL);
    }

    /** The length of a filesystem name: sun_path up to its NUL (unix_mkname_bsd ends it at len). */
    private static int bsdPathLen(byte[] a, int len) {
        int n = Un.SUN_PATH_OFFSET;
        while (n < len && a[n] != 0) n++;
        return n - Un.SUN_PATH_OFFSET;
    }

    private static String bsdPath(byte[] a, int len) {
        return new String(a, Un.SUN_PATH_OFFSET, bsdPathLen(a, len), StandardCharsets.ISO_8859_1);
    }

    /** unix_find_bsd: the path, write permission on it, a socket inode, a socket bound to it, of the same type. */
    private UnixSock findBsd(Task t, byte[] a, int len) {
        FsPath p = Namei.lookup(t, Fcntl.AT_FDCWD, bsdPath(a, len), true);
        Permission.check(t.group.cred, p.inode(), Permission.MAY_WRITE);
        Inode inode = p.inode();
        if (inode.type() != Stat.S_IFSOCK) throw ErrnoException.of(Errno.ECONNREFUSED);
        UnixSock sk;
        synchronized (LOCK) {
            sk = bsdLookup(inode);
        }
        if (sk == null) throw ErrnoException.of(Errno.ECONNREFUSED);
        if (sk.type != type) throw ErrnoException.of(Errno.EPROTOTYPE);
        return sk;
    }

    private static UnixSock bsdLookup(Inode inode) {
        List<UnixSock> l = BSD.get(InodeKey.of(inode));
        if (l == null || l.isEmpty()) return null;
        for (int i = l.size() - 1; i >= 0; i--) {
            Inode bound = l.get(i).path.inode();
            if (bound == inode || bound.same(inode)) return l.get(i);
        }
        return l.get(l.size() - 1);
    }

    /** unix_find_other: by path or by abstract name. */
    private UnixSock findOther(Task t, byte[] a, int len) {
        if (a[Un.SUN_PATH_OFFSET] != 0) return findBsd(t, a, len);
        UnixSock sk;
        synchronized (LOCK) {
            sk = net.abstractNames.get(new UnixNet.AbstractKey(type, Arrays.copyOf(a, len)));
        }
        if (sk == null) throw ErrnoException.of(Errno.ECONNREFUSED);
        return sk;
    }

    /** Removes this socket from the name tables (unix_remove_socket, unix_remove_bsd_socket). Call with LOCK held. */
    private void unhash() {
        if (addr != null && path == null && addr[Un.SUN_PATH_OFFSET] == 0) {
            UnixNet.AbstractKey k = new UnixNet.AbstractKey(type, addr);
            if (net.abstractNames.get(k) == this) net.abstractNames.remove(k);
        }
        if (path != null) {
            InodeKey k = InodeKey.of(path.inode());
            List<UnixSock> l = BSD.get(k);
            if (l != null) {
                l.remove(this);
                if (l.isEmpty()) BSD.remove(k);
            }
        }
    }

    @Override
    public void bind(Task t, byte[] a, int len) {
        if (len == Un.SUN_PATH_OFFSET && family(a) == Socket.AF_UNIX) {
            autobind(t);
            return;
        }
        validateAddr(a, len);
        if (a[Un.SUN_PATH_OFFSET] != 0) bindBsd(t, a, len);
        else bindAbstract(a, len);
    }

    /**
     * unix_bind_bsd: makes the socket inode (mode 0777 less the umask) through the VFS, an
     * existing name being EADDRINUSE; a socket already bound gets EINVAL and the new node goes.
     */
    private void bindBsd(Task t, byte[] a, int len) {
        int n = bsdPathLen(a, len);
        byte[] name = new byte[Un.SUN_PATH_OFFSET + n + 1];
        System.arraycopy(a, 0, name, 0, Un.SUN_PATH_OFFSET + n);
        int mode = Stat.S_IFSOCK | (0777 & ~t.group.fs.umask());
        FsPath node;
        try {
            node = NameiSyscalls.mknodSocket(t, bsdPath(a, len), mode);
        } catch (ErrnoException e) {
            throw e.errno == Errno.EEXIST ? ErrnoException.of(Errno.EADDRINUSE) : e;
        }
        boolean bound = false;
        bindlock.lock();
        try {
            synchronized (LOCK) {
                if (addr == null && !dead) {
                    path = node;
                    addr = name;
                    BSD.computeIfAbsent(InodeKey.of(node.inode()), k -> new ArrayList<>()).add(this);
                    bound = true;
                }
            }
        } finally {
            bindlock.unlock();
        }
        if (!bound) {
            NameiSyscalls.unlinkSocket(node);
            throw ErrnoException.of(Errno.EINVAL);
        }
    }

    /** unix_bind_abstract: EINVAL when already bound, EADDRINUSE when the name is taken. */
    private void bindAbstract(byte[] a, int len) {
        byte[] name = Arrays.copyOf(a, len);
        bindlock.lock();
        try {
            synchronized (LOCK) {
                if (addr != null) throw ErrnoException.of(Errno.EINVAL);
                UnixNet.AbstractKey k = new UnixNet.AbstractKey(type, name);
                if (net.abstractNames.containsKey(k)) throw ErrnoException.of(Errno.EADDRINUSE);
                net.abstractNames.put(k, this);
                addr = name;
            }
        } finally {
            bindlock.unlock();
        }
    }

    /** unix_autobind: an abstract name of five hex digits, from a random start; ENOSPC when all 2^20 are taken. */
    void autobind(Task t) {
        bindlock.lock();
        try {
            synchronized (LOCK) {
                if (addr != null) return;
                int ordernum = t.kernel.entropy().nextInt() & 0xFFFFF;
                int lastnum = ordernum;
                while (true) {
                    ordernum = (ordernum + 1) & 0xFFFFF;
                    byte[] name = new byte[Un.SUN_PATH_OFFSET + 6];
                    name[0] = (byte) Socket.AF_UNIX;
                    byte[] hex = String.format("%05x", ordernum).getBytes(StandardCharsets.ISO_8859_1);
                    System.arraycopy(hex, 0, name, Un.SUN_PATH_OFFSET + 1, 5);
                    UnixNet.AbstractKey k = new UnixNet.AbstractKey(type, name);
                    if (!net.abstractNames.containsKey(k)) {
                        net.abstractNames.put(k, this);
                        addr = name;
                        return;
                    }
                    if (ordernum == lastnum) throw ErrnoException.of(Errno.ENOSPC);
                }
            }
        } finally {
            bindlock.unlock();
        }
    }

    /** unix_getname: the bound address, or just the family (length 2) for an unnamed socket; ENOTCONN for a missing peer. */
    @Override
    public int getname(byte[] out, boolean wantPeer) {
        byte[] a;
        synchronized (LOCK) {
            UnixSock s = wantPeer ? peer : this;
            if (s == null) throw ErrnoException.of(Errno.ENOTCONN);
            a = s.addr;
        }
        if (a == null) {
            out[0] = (byte) Socket.AF_UNIX;
            out[1] = 0;
            out[2] = 0;
            return Un.SUN_PATH_OFFSET;
        }
        System.arraycopy(a, 0, out, 0, a.length);
        return a.length;
    }

    /** unix_copy_addr: the sender's address as recvmsg's msg_name. */
    private static void copyAddr(MsgHdr msg, UnixSock from) {
        byte[] a;
        synchronized (LOCK) {
            a = from.addr;
        }
        if (a != null) {
            msg.namelen = a.length;
            System.arraycopy(a, 0, msg.name, 0, a.length);
        }
    }

    // ---- listen, connect, socketpair, accept

    @Override
    public void listen(Task t, int backlog) {
        if (!connectionBased()) throw ErrnoException.of(Errno.EOPNOTSUPP);
        if (addr == null) throw ErrnoException.of(Errno.EINVAL);
        PeerCred pc = PeerCred.of(t);
        synchronized (LOCK) {
            if (state != TCP_CLOSE && state != TCP_LISTEN) throw ErrnoException.of(Errno.EINVAL);
            if (backlog > maxAckBacklog) peerWait.wakeAll();
            maxAckBacklog = backlog;
            state = TCP_LISTEN;
            peerCred = pc;
        }
    }

    @Override
    public void connect(Task t, byte[] a, int len, int fileFlags) {
        if (type == Socket.SOCK_DGRAM) dgramConnect(t, a, len);
        else streamConnect(t, a, len, fileFlags);
    }

    /**
     * unix_stream_connect: an embryo socket is queued on the listener for accept to take.
     * ECONNREFUSED without a listener; a full backlog is EAGAIN without blocking, or a wait
     * (SO_SNDTIMEO) for accept to make room.
     */
    private void streamConnect(Task t, byte[] a, int len, int fileFlags) {
        validateAddr(a, len);
        if (passcred && addr == null) autobind(t);
        long timeo = sndtimeo((fileFlags & Fcntl.O_NONBLOCK) != 0);
        PeerCred pc = PeerCred.of(t);
        UnixSock newsk = create1(net, type);
        boolean done = false;
        try {
            while (true) {
                UnixSock other = findOther(t, a, len);
                synchronized (LOCK) {
                    if (other.dead) continue; // "Apparently VFS overslept socket death. Retry."
                    if (other.state != TCP_LISTEN || (other.shutdown & RCV_SHUTDOWN) != 0) {
                        throw ErrnoException.of(Errno.ECONNREFUSED);
                    }
                    if (!other.recvqFull()) {
                        int st = state;
                        if (st != TCP_CLOSE) throw ErrnoException.of(st == TCP_ESTABLISHED ? Errno.EISCONN : Errno.EINVAL);
                        newsk.peer = this;
                        newsk.state = TCP_ESTABLISHED;
                        newsk.peerCred = pc;
                        newsk.passcred = other.passcred;
                        newsk.passsec = other.passsec;
                        newsk.scmRights = other.scmRights;
                        if (other.path != null) {
                            NameiSyscalls.socketPathGet(other.path);
                            newsk.path = other.path;
                        }
                        newsk.addr = other.addr;
                        peerCred = other.peerCred;
                        if (socket != null) socket.state = Socket.SS_CONNECTED;
                        state = TCP_ESTABLISHED;
                        peer = newsk;
                        other.rq.add(new UnixSkb(newsk, 0, 0));
                        other.dataReady();
                        done = true;
                        return;
                    }
                    if (timeo == 0) throw ErrnoException.of(Errno.EAGAIN);
                }
                // unix_wait_for_peer
                timeo = waitTimeo(t, other.peerWait,
                        () -> other.dead || (other.shutdown & RCV_SHUTDOWN) != 0 || !other.recvqFullLocked(), timeo);
                if (t.signalPending()) throw ErrnoException.of(intrErrno(timeo));
            }
        } finally {
            if (!done) newsk.releaseAndRun(false);
        }
    }

    private boolean recvqFullLocked() {
        synchronized (LOCK) {
            return recvqFull();
        }
    }

    /**
     * unix_dgram_connect: sets (or with AF_UNSPEC clears) the default destination; EPERM when
     * the destination is connected to some other socket. Changing peers drops what the old
     * one sent that was not read yet.
     */
    private void dgramConnect(Task t, byte[] a, int len) {
        if (len < Socket.SA_FAMILY_SIZE) throw ErrnoException.of(Errno.EINVAL);
        Deferred d = new Deferred();
        try {
            if (family(a) != Socket.AF_UNSPEC) {
                validateAddr(a, len);
                if (passcred && addr == null) autobind(t);
                while (true) {
                    UnixSock other = findOther(t, a, len);
                    synchronized (LOCK) {
                        if (other.dead) continue;
                        if (!(other.peer == null || other.peer == this)) throw ErrnoException.of(Errno.EPERM);
                        state = TCP_ESTABLISHED;
                        other.state = TCP_ESTABLISHED;
                        relink(other, d);
                        return;
                    }
                }
            }
            synchronized (LOCK) {
                relink(null, d);
            }
        } finally {
            d.run();
        }
    }

    /** The "If it was connected, reconnect" part of unix_dgram_connect. Call with LOCK held. */
    private void relink(UnixSock other, Deferred d) {
        UnixSock old = peer;
        peer = other;
        if (old == null) return;
        if (other == null) state = TCP_CLOSE;
        peerWakeDisconnectWakeup(old);
        if (other != old) {
            dgramDisconnected(old, d);
            if (old.peer == null) old.state = TCP_CLOSE;
        }
    }

    /**
     * unix_dgram_disconnected: what the old peer sent is dropped; if it was connected back to
     * us it learns with ECONNRESET. Call with LOCK held.
     */
    private void dgramDisconnected(UnixSock other, Deferred d) {
        if (!rq.isEmpty()) {
            purgeOwnQueue(d);
            if (!other.dead && other.peer == this) {
                other.err = Errno.ECONNRESET;
                other.errorReport();
            }
        }
    }

    /** unix_socketpair: back to back, each with the caller's credentials as its peer's. */
    @Override
    public void socketpair(Task t, Sock o) {
        UnixSock b = (UnixSock) o;
        PeerCred pc = PeerCred.of(t);
        synchronized (LOCK) {
            peer = b;
            b.peer = this;
            peerCred = pc;
            b.peerCred = pc;
            state = TCP_ESTABLISHED;
            b.state = TCP_ESTABLISHED;
        }
    }

    /**
     * unix_accept: takes the first embryo off the listener's queue (skb_recv_datagram, with
     * SO_RCVTIMEO); EINVAL when not listening or when the listener was shut down for reading.
     */
    @Override
    public Sock accept(Task t, int fileFlags) {
        if (!connectionBased()) throw ErrnoException.of(Errno.EOPNOTSUPP);
        if (state != TCP_LISTEN) throw ErrnoException.of(Errno.EINVAL);
        long timeo = rcvtimeo((fileFlags & Fcntl.O_NONBLOCK) != 0);
        while (true) {
            long seq;
            synchronized (LOCK) {
                int e = sockError();
                if (e != 0) throw ErrnoException.of(e);
                UnixSkb skb = rq.poll();
                if (skb != null) {
                    UnixSock tsk = skb.sk;
                    peerWait.wakeAll();
                    return tsk;
                }
                seq = rq.seq;
            }
            if (timeo == 0) throw ErrnoException.of(Errno.EAGAIN);
            // __skb_wait_for_more_packets
            synchronized (LOCK) {
                int e = sockError();
                if (e != 0) throw ErrnoException.of(e);
                if (rq.seq == seq) {
                    if ((shutdown & RCV_SHUTDOWN) != 0) throw ErrnoException.of(Errno.EINVAL);
                    if (state != TCP_ESTABLISHED && state != TCP_LISTEN) throw ErrnoException.of(Errno.ENOTCONN);
                    if (t.signalPending()) throw ErrnoException.of(intrErrno(timeo));
                } else {
                    continue;
                }
            }
            timeo = waitTimeo(t, wq, () -> rq.seq != seq || err != 0 || (shutdown & RCV_SHUTDOWN) != 0 || state != TCP_LISTEN, timeo);
        }
    }

    // ---- shutdown, release

    /** unix_shutdown: SHUT_RD, SHUT_WR, SHUT_RDWR; a connected stream or seqpacket peer gets the mirror image. */
    @Override
    public void shutdown(Task t, int how) {
        if (how < 0 || how > 2) throw ErrnoException.of(Errno.EINVAL);
        int mode = how + 1;
        synchronized (LOCK) {
            shutdown |= mode;
            UnixSock other = peer;
            stateChange();
            if (other != null && connectionBased()) {
                int peerMode = 0;
                if ((mode & RCV_SHUTDOWN) != 0) peerMode |= SEND_SHUTDOWN;
                if ((mode & SEND_SHUTDOWN) != 0) peerMode |= RCV_SHUTDOWN;
                other.shutdown |= peerMode;
                other.stateChange();
            }
        }
    }

    @Override
    public void release() {
        releaseAndRun(false);
        UnixGc.maybeCollect();
    }

    private void releaseAndRun(boolean embrion) {
        Deferred d = new Deferred();
        synchronized (LOCK) {
            releaseSock(embrion, d);
        }
        d.run();
    }

    /**
     * unix_release_sock: the socket leaves the name tables and dies; a connected stream or
     * seqpacket peer is shut down (ECONNRESET if we left data unread, or were never accepted);
     * the queue is dropped, a listener's embryos with it. Call with LOCK held.
     */
    private void releaseSock(boolean embrion, Deferred d) {
        if (dead) return;
        unhash();
        net.socks.remove(this);
        net.nrSocks--;
        socket = null;
        dead = true;
        shutdown = SHUTDOWN_MASK;
        FsPath p = path;
        path = null;
        int st = state;
        state = TCP_CLOSE;
        UnixSock skpair = peer;
        peer = null;
        peerWait.wakeAll();
        if (skpair != null) {
            if (connectionBased()) {
                UnixSkb first = rq.peek();
                if (first != null && first.unixLen() == 0) first = first.next; // an out-of-band byte already read
                skpair.shutdown = SHUTDOWN_MASK;
                if (first != null || embrion) skpair.err = Errno.ECONNRESET;
                skpair.stateChange();
            }
            peerWakeDisconnect(skpair);
        }
        if (peerWake.other != null) peerWakeDisconnect(peerWake.other);
        oobSkb = null;
        UnixSkb skb;
        while ((skb = rq.poll()) != null) {
            if (st == TCP_LISTEN && skb.sk != this) skb.sk.releaseSock(true, d);
            if (skb.fp != null) nrFds -= skb.fp.size();
            freeSkb(skb, d);
        }
        if (p != null) d.paths.add(p);
        // Tasks still sleeping on this socket (a close raced their read or write) look again and find it dead.
        wq.wakeAll();
    }

    // ---- poll (unix_poll, unix_dgram_poll) and the peer_wake relay

    /** Relays a wakeup of another socket's peer_wait to this socket's pollers, once (unix_dgram_peer_wake_relay). */
    private final class PeerWake implements WaitQueue.Callback {
        /** peer_wake.private: the socket whose peer_wait this is on. */
        UnixSock other;

        @Override
        public void wake(int key) {
            synchronized (LOCK) {
                UnixSock o = other;
                if (o == null) return;
                o.peerWait.remove(this);
                other = null;
            }
            wq.wakeAll(key == 0 ? POLL_OUT : key);
        }
    }

    /** unix_dgram_peer_wake_connect. Call with LOCK held. */
    private boolean peerWakeConnect(UnixSock other) {
        if (peerWake.other != null) return false;
        peerWake.other = other;
        other.peerWait.add(peerWake);
        return true;
    }

    /** unix_dgram_peer_wake_disconnect. Call with LOCK held. */
    private void peerWakeDisconnect(UnixSock other) {
        if (peerWake.other == other) {
            other.peerWait.remove(peerWake);
            peerWake.other = null;
        }
    }

    private void peerWakeDisconnectWakeup(UnixSock other) {
        peerWakeDisconnect(other);
        wq.wakeAll(POLL_OUT);
    }

    /** unix_dgram_peer_wake_me: whether the peer's queue is still full (then its next dequeue wakes us). Call with LOCK held. */
    private boolean peerWakeMe(UnixSock other) {
        boolean connected = peerWakeConnect(other);
        if (other.recvqFull() && !other.dead) return true;
        if (connected) peerWakeDisconnect(other);
        return false;
    }

    @Override
    public int poll(Task t, Poll.Table pt) {
        if (pt != null) pt.wait(wq);
        synchronized (LOCK) {
            int mask = 0;
            int sh = shutdown, st = state;
            if (type == Socket.SOCK_STREAM) {
                if (err != 0) mask |= dev.kava.abi.Poll.POLLERR;
                if (sh == SHUTDOWN_MASK) mask |= dev.kava.abi.Poll.POLLHUP;
                if ((sh & RCV_SHUTDOWN) != 0) mask |= dev.kava.abi.Poll.POLLRDHUP | dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
                if (!rq.isEmpty()) mask |= dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
                if (oobSkb != null) mask |= dev.kava.abi.Poll.POLLPRI;
                if (st == TCP_CLOSE) mask |= dev.kava.abi.Poll.POLLHUP;
                if (writable(st)) mask |= POLL_OUT;
                return mask;
            }
            if (err != 0) mask |= dev.kava.abi.Poll.POLLERR;
            if ((sh & RCV_SHUTDOWN) != 0) mask |= dev.kava.abi.Poll.POLLRDHUP | dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
            if (sh == SHUTDOWN_MASK) mask |= dev.kava.abi.Poll.POLLHUP;
            if (!rq.isEmpty()) mask |= dev.kava.abi.Poll.POLLIN | dev.kava.abi.Poll.POLLRDNORM;
            if (type == Socket.SOCK_SEQPACKET && st == TCP_CLOSE) mask |= dev.kava.abi.Poll.POLLHUP;
            boolean w = writable(st);
            if (w) {
                UnixSock other = peer;
                if (other != null && other.peer != this && other.recvqFull() && peerWakeMe(other)) w = false;
            }
            if (w) mask |= POLL_OUT;
            return mask;
        }
    }

    // ---- ioctl

    /** unix_inq_len: EINVAL for a listener; a datagram socket counts its first message, the others all they hold. */
    private long inqLen() {
        synchronized (LOCK) {
            if (state == TCP_LISTEN) throw ErrnoException.of(Errno.EINVAL);
            if (type == Socket.SOCK_DGRAM) {
                UnixSkb s = rq.peek();
                return s == null ? 0 : s.len;
            }
            long amount = 0;
            for (UnixSkb s = rq.peek(); s != null; s = s.next) amount += s.unixLen();
            return amount;
        }
    }

    @Override
    public long wmemAlloc() {
        synchronized (LOCK) {
            return wmem;
        }
    }

    /** unix_ioctl: SIOCOUTQ, SIOCINQ and SIOCATMARK (whether the next byte is the out-of-band mark). */
    @Override
    public long ioctl(Task t, int cmd, long arg) {
        switch (cmd) {
            case Socket.SIOCOUTQ -> {
                t.mem.write32(arg, (int) wmemAlloc());
                return 0;
            }
            case Socket.SIOCINQ -> {
                t.mem.write32(arg, (int) inqLen());
                return 0;
            }
            case Socket.SIOCATMARK -> {
                int answ = 0;
                iolock.lock();
                try {
                    synchronized (LOCK) {
                        UnixSkb skb = rq.peek();
                        if (skb != null && (skb == oobSkb || (skb.unixLen() == 0 && (oobSkb == null || skb.next == oobSkb)))) answ = 1;
                    }
                } finally {
                    iolock.unlock();
                }
                t.mem.write32(arg, answ);
                return 0;
            }
            default -> throw ErrnoException.of(Errno.ENOIOCTLCMD);
        }
    }

    @Override
    public boolean hasSetPeekOff() {
        return true;
    }

    // ---- sendmsg

    @Override
    public long sendmsg(Task t, MsgHdr msg, long len) {
        return switch (type) {
            case Socket.SOCK_STREAM -> streamSendmsg(t, msg, len);
            case Socket.SOCK_SEQPACKET -> {
                int e = sockError();
                if (e != 0) throw ErrnoException.of(e);
                if (state != TCP_ESTABLISHED) throw ErrnoException.of(Errno.ENOTCONN);
                msg.namelen = 0;
                yield dgramSendmsg(t, msg, len);
            }
            default -> dgramSendmsg(t, msg, len);
        };
    }

    private static void sigpipe(Task t) {
        Signals.sendToTask(t, SigInfo.user(Signal.SIGPIPE, SigInfo.SI_USER, t.group.tgid, t.group.cred.uid()));
    }

    /**
     * unix_stream_sendmsg: the data goes in pieces of at most half the send buffer, each
     * waiting for room; the files ride with the first piece. A peer that is gone or shut down
     * for reading is EPIPE, with SIGPIPE unless MSG_NOSIGNAL (and only if nothing was sent).
     */
    private long streamSendmsg(Task t, MsgHdr msg, long len) {
        Scm scm = Scm.send(t, this, msg, false);
        long sent = 0;
        boolean fdsSent = false;
        try {
            boolean oob = (msg.flags & Socket.MSG_OOB) != 0;
            if (oob) {
                // The last byte goes out of band.
                if (len == 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
                len--;
            }
            if (msg.namelen != 0) throw ErrnoException.of(state == TCP_ESTABLISHED ? Errno.EISCONN : Errno.EOPNOTSUPP);
            UnixSock other;
            synchronized (LOCK) {
                other = peer;
            }
            if (other == null) throw ErrnoException.of(Errno.ENOTCONN);
            if ((shutdown & SEND_SHUTDOWN) != 0) return pipe(t, msg, sent);
            while (sent < len) {
                int size = (int) Math.min(len - sent, (sndbuf >> 1) - 64);
                size = Math.min(size, STREAM_SKB_MAX);
                UnixSkb skb;
                try {
                    skb = allocSendSkb(t, size, (msg.flags & Socket.MSG_DONTWAIT) != 0);
                } catch (ErrnoException e) {
                    if (sent > 0) return sent;
                    throw e;
                }
                boolean queued = false;
                try {
                    scmToSkb(t, scm, skb, !fdsSent);
                    fdsSent = true;
                    maybeAddCreds(t, skb, this, other);
                    if (msg.iter.copyFrom(skb.data, 0, size) != size) throw ErrnoException.of(Errno.EFAULT);
                    synchronized (LOCK) {
                        if (other.dead || (other.shutdown & RCV_SHUTDOWN) != 0) {
                            // out_pipe_unlock: the buffer is freed below
                        } else {
                            if (skb.fp != null && !other.scmRights) throw ErrnoException.of(Errno.EPERM);
                            other.enqueue(skb);
                            other.dataReady();
                            queued = true;
                        }
                    }
                } catch (ErrnoException e) {
                    if (sent > 0) return sent;
                    throw e;
                } finally {
                    if (!queued) dropSkb(skb);
                }
                if (!queued) return pipe(t, msg, sent);
                sent += size;
            }
            if (oob) {
                try {
                    queueOob(t, msg, other, scm, fdsSent);
                } catch (ErrnoException e) {
                    if (sent > 0) return sent;
                    throw e;
                }
                sent++;
            }
            return sent;
        } finally {
            scm.destroy();
        }
    }

    /**
     * queue_oob: the out-of-band byte, a buffer of its own that the receiver's oob_skb points
     * at; SIGURG to the receiving socket's owner.
     */
    private void queueOob(Task t, MsgHdr msg, UnixSock other, Scm scm, boolean fdsSent) {
        UnixSkb skb = allocSendSkb(t, 1, (msg.flags & Socket.MSG_DONTWAIT) != 0);
        boolean queued = false;
        try {
            scmToSkb(t, scm, skb, !fdsSent);
            maybeAddCreds(t, skb, this, other);
            if (msg.iter.copyFrom(skb.data, 0, 1) != 1) throw ErrnoException.of(Errno.EFAULT);
            synchronized (LOCK) {
                if (other.dead || (other.shutdown & RCV_SHUTDOWN) != 0) throw ErrnoException.of(Errno.EPIPE);
                if (skb.fp != null && !other.scmRights) throw ErrnoException.of(Errno.EPERM);
                other.enqueue(skb);
                other.oobSkb = skb;
                queued = true;
                other.sendSigurg(t);
                other.dataReady();
            }
        } finally {
            if (!queued) dropSkb(skb);
        }
    }

    /** sk_send_sigurg: SIGURG to the process (or process group) that owns the socket file (FIOSETOWN). */
    private void sendSigurg(Task t) {
        dev.kava.net.SocketFile f = socket;
        int who = f == null ? 0 : f.owner();
        if (who == 0) return;
        SigInfo si = SigInfo.user(Signal.SIGURG, SigInfo.SI_KERNEL, 0, 0);
        if (who > 0) {
            dev.kava.kernel.TaskGroup g = t.kernel.findGroup(who);
            if (g != null) Signals.sendToGroup(g, si);
        } else {
            for (dev.kava.kernel.TaskGroup g : t.kernel.groupsInPgid(-who)) Signals.sendToGroup(g, si);
        }
    }

    /**
     * manage_oob: what a stream read does at an out-of-band byte. A read that already has
     * data stops before it; otherwise an unread one is skipped (dropped) unless SO_OOBINLINE,
     * and the empty buffer an already read one leaves is removed. Call with LOCK held.
     */
    private UnixSkb manageOob(UnixSkb skb, int flags, long copied, Deferred d) {
        if (skb.unixLen() != 0 && skb != oobSkb) return skb;
        boolean peek = (flags & Socket.MSG_PEEK) != 0;
        if (skb.unixLen() == 0) {
            if (copied != 0 && (oobSkb == null || skb == oobSkb)) {
                skb = null;
            } else if (peek) {
                skb = skb.next;
            } else {
                UnixSkb read = skb;
                skb = skb.next;
                rq.unlinkHead(read);
                freeSkb(read, d);
            }
            if (skb == null) return null;
        }
        if (skb != oobSkb) return skb;
        if (copied != 0) return null;
        if (!peek) {
            oobSkb = null;
            if (!oobinline) {
                rq.unlinkHead(skb);
                if (skb.fp != null) nrFds -= skb.fp.size();
                freeSkb(skb, d);
                skb = rq.peek();
            }
        } else if (!oobinline) {
            skb = skb.next;
        }
        return skb;
    }

    /**
     * unix_stream_recv_urg: recv with MSG_OOB reads the out-of-band byte; EINVAL when there is
     * none (or SO_OOBINLINE keeps it in the stream).
     */
    private long recvUrg(Task t, MsgHdr msg, int flags) {
        boolean peek = (flags & Socket.MSG_PEEK) != 0;
        Deferred d = new Deferred();
        iolock.lock();
        try {
            UnixSkb oob;
            synchronized (LOCK) {
                if (oobinline || oobSkb == null) throw ErrnoException.of(Errno.EINVAL);
                oob = oobSkb;
                if (!peek) {
                    oobSkb = null;
                    UnixSkb prev = null;
                    for (UnixSkb s = rq.peek(); s != null && s != oob; s = s.next) prev = s;
                    if (prev != null && prev == rq.peek() && prev.unixLen() == 0) {
                        rq.unlinkHead(prev);
                        freeSkb(prev, d);
                    }
                }
            }
            boolean ok = msg.iter.copyTo(oob.data, 0, 1) == 1;
            if (!peek) {
                synchronized (LOCK) {
                    oob.consumed += 1;
                }
            }
            if (!ok) throw ErrnoException.of(Errno.EFAULT);
            msg.flags |= Socket.MSG_OOB;
            return 1;
        } finally {
            iolock.unlock();
            d.run();
        }
    }

    /** out_pipe: SIGPIPE (unless MSG_NOSIGNAL) when nothing was sent; the count when something was. */
    private static long pipe(Task t, MsgHdr msg, long sent) {
        if (sent == 0 && (msg.flags & Socket.MSG_NOSIGNAL) == 0) sigpipe(t);
        if (sent > 0) return sent;
        throw ErrnoException.of(Errno.EPIPE);
    }

    /**
     * unix_dgram_sendmsg (and the tail of unix_seqpacket_sendmsg): one message of at most the
     * send buffer less 32 bytes, to the named socket or the connected peer. A receiver with a
     * full queue (more than max_dgram_qlen) that is not connected back makes the sender wait
     * (SO_SNDTIMEO) or fail with EAGAIN.
     */
    private long dgramSendmsg(Task t, MsgHdr msg, long len) {
        Scm scm = Scm.send(t, this, msg, false);
        UnixSkb skb = null;
        Deferred d = new Deferred();
        try {
            if ((msg.flags & Socket.MSG_OOB) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
            if (msg.namelen != 0) validateAddr(msg.name, msg.namelen);
            if (passcred && addr == null) autobind(t);
            if (len > sndbuf - 32) throw ErrnoException.of(Errno.EMSGSIZE);
            boolean noblock = (msg.flags & Socket.MSG_DONTWAIT) != 0;
            if (len > DGRAM_MAX_ALLOC) throw ErrnoException.of(Errno.ENOBUFS);
            skb = allocSendSkb(t, (int) len, noblock);
            scmToSkb(t, scm, skb, true);
            if (msg.iter.copyFrom(skb.data, 0, (int) len) != len) throw ErrnoException.of(Errno.EFAULT);
            long timeo = sndtimeo(noblock);
            lookup:
            while (true) {
                UnixSock other;
                if (msg.namelen != 0) {
                    other = findOther(t, msg.name, msg.namelen);
                } else {
                    synchronized (LOCK) {
                        other = peer;
                    }
                    if (other == null) throw ErrnoException.of(Errno.ENOTCONN);
                }
                maybeAddCreds(t, skb, this, other);
                while (true) {
                    synchronized (LOCK) {
                        if (!(other.peer == null || other.peer == this)) throw ErrnoException.of(Errno.EPERM);
                        if (other.dead) {
                            if (type == Socket.SOCK_SEQPACKET) throw ErrnoException.of(Errno.EPIPE);
                            if (peer == other) {
                                peer = null;
                                peerWakeDisconnectWakeup(other);
                                state = TCP_CLOSE;
                                dgramDisconnected(other, d);
                                throw ErrnoException.of(Errno.ECONNREFUSED);
                            }
                            if (msg.namelen == 0) throw ErrnoException.of(Errno.ECONNRESET);
                            continue lookup;
                        }
                        if ((other.shutdown & RCV_SHUTDOWN) != 0) throw ErrnoException.of(Errno.EPIPE);
                        if (skb.fp != null && !other.scmRights) throw ErrnoException.of(Errno.EPERM);
                        if (other != this && other.peer != this && other.recvqFull()) {
                            if (timeo == 0) {
                                // Pollers of this socket learn when the receiver makes room.
                                if (peer == other) peerWakeMe(other);
                                throw ErrnoException.of(Errno.EAGAIN);
                            }
                        } else {
                            if (other.rcvtstamp) skb.tstamp = t.kernel.clock().realtimeNanos();
                            other.enqueue(skb);
                            skb = null;
                            other.dataReady();
                            return len;
                        }
                    }
                    // unix_wait_for_peer
                    final UnixSock o = other;
                    timeo = waitTimeo(t, o.peerWait,
                            () -> o.dead || (o.shutdown & RCV_SHUTDOWN) != 0 || !o.recvqFullLocked(), timeo);
                    if (t.signalPending()) throw ErrnoException.of(intrErrno(timeo));
                }
            }
        } finally {
            if (skb != null) dropSkb(skb);
            scm.destroy();
            d.run();
        }
    }

    // ---- recvmsg

    @Override
    public long recvmsg(Task t, MsgHdr msg, long len, int flags) {
        return switch (type) {
            case Socket.SOCK_STREAM -> streamRecvmsg(t, msg, len, flags);
            case Socket.SOCK_SEQPACKET -> {
                if (state != TCP_ESTABLISHED) throw ErrnoException.of(Errno.ENOTCONN);
                yield dgramRecvmsg(t, msg, len, flags);
            }
            default -> dgramRecvmsg(t, msg, len, flags);
        };
    }

    /**
     * __skb_try_recv_from_queue: the first message (MSG_PEEK with SO_PEEK_OFF skips whole
     * messages the offset is past); unlinked unless peeking. off[0] is the peek offset in and
     * the offset within the message out. Call with LOCK held.
     */
    private UnixSkb tryRecvFromQueue(int flags, int[] off) {
        boolean peek = (flags & Socket.MSG_PEEK) != 0;
        boolean peekAtOff = peek && off[0] >= 0;
        int o = peekAtOff ? off[0] : 0;
        for (UnixSkb skb = rq.peek(); skb != null; skb = skb.next) {
            if (peek) {
                if (peekAtOff && o >= skb.len && (o != 0 || skb.peeked)) {
                    o -= skb.len;
                    continue;
                }
                if (skb.len == 0) skb.peeked = true;
            } else {
                rq.unlinkHead(skb);
            }
            off[0] = o;
            return skb;
        }
        return null;
    }

    /** What waitForMorePackets returns when the caller should look at the queue again. */
    private static final int AGAIN = Integer.MIN_VALUE;

    /**
     * __skb_wait_for_more_packets: a pending error, something new in the queue (no sleep),
     * RCV_SHUTDOWN (0: end of file), a SEQPACKET socket not connected (ENOTCONN) or a
     * signal end it; otherwise it sleeps up to timeo[0] jiffies and asks for another look.
     * Returns AGAIN or the (negative) error to stop with.
     */
    private int waitForMorePackets(Task t, long seq, long[] timeo) {
        synchronized (LOCK) {
            int e = sockError();
            if (e != 0) return -e;
            if (rq.seq != seq) return AGAIN;
            if ((shutdown & RCV_SHUTDOWN) != 0) return 0;
            if (connectionBased() && state != TCP_ESTABLISHED && state != TCP_LISTEN) return -Errno.ENOTCONN;
        }
        if (t.signalPending()) return -intrErrno(timeo[0]);
        timeo[0] = waitTimeo(t, wq, () -> rq.seq != seq || err != 0 || (shutdown & RCV_SHUTDOWN) != 0
                || (connectionBased() && state != TCP_ESTABLISHED && state != TCP_LISTEN), timeo[0]);
        return AGAIN;
    }

    /**
     * __unix_dgram_recvmsg: one message; a shorter buffer truncates it (MSG_TRUNC in
     * msg_flags, and the full length returned with MSG_TRUNC in flags). A pending error comes
     * first. A SEQPACKET socket whose peer is gone reads 0.
     */
    private long dgramRecvmsg(Task t, MsgHdr msg, long size, int flags) {
        if ((flags & Socket.MSG_OOB) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        boolean peek = (flags & Socket.MSG_PEEK) != 0;
        long[] timeo = {rcvtimeo((flags & Socket.MSG_DONTWAIT) != 0)};
        UnixSkb skb = null;
        int[] off = new int[1];
        int error;
        while (true) {
            long seq;
            iolock.lock();
            synchronized (LOCK) {
                off[0] = peekOffset(flags);
                int e = sockError();
                if (e != 0) {
                    error = -e;
                } else {
                    skb = tryRecvFromQueue(flags, off);
                    error = skb == null ? -Errno.EAGAIN : 0;
                    if (skb != null && !peek && skb.fp != null) nrFds -= skb.fp.size();
                }
                seq = rq.seq;
            }
            if (skb != null) break;
            iolock.unlock();
            if (error != -Errno.EAGAIN || timeo[0] == 0) break;
            int w = waitForMorePackets(t, seq, timeo);
            if (w != AGAIN) {
                error = w;
                break;
            }
        }
        if (skb == null) {
            if (type == Socket.SOCK_SEQPACKET && error == -Errno.EAGAIN && (shutdown & RCV_SHUTDOWN) != 0) error = 0;
            if (error < 0) throw ErrnoException.of(-error);
            return 0;
        }
        Deferred d = new Deferred();
        try {
            peerWait.wakeAll(POLL_OUT);
            if (msg.name != null) copyAddr(msg, skb.sk);
            int skip = off[0];
            long avail = skb.len - skip;
            if (size > avail) size = avail;
            else if (size < avail) msg.flags |= Socket.MSG_TRUNC;
            if (msg.iter.copyTo(skb.data, skip, (int) size) != size) {
                if (!peek) {
                    synchronized (LOCK) {
                        freeSkb(skb, d);
                    }
                }
                throw ErrnoException.of(Errno.EFAULT);
            }
            if (rcvtstamp) putTimestamp(t, msg, skb);
            Scm scm = new Scm();
            skbToScm(skb, scm);
            synchronized (LOCK) {
                if (!peek) {
                    if (skb.fp != null) {
                        UnixGc.detach(skb);
                        scm.fp = skb.fp;
                        skb.fp = null;
                    }
                    peekOffsetBwd(skb.len);
                    freeSkb(skb, d);
                } else {
                    peekOffsetFwd((int) size);
                    if (skb.fp != null) scm.fp = Scm.fpDup(skb.fp);
                }
            }
            long ret = (flags & Socket.MSG_TRUNC) != 0 ? skb.len - skip : size;
            scm.recvUnix(t, this, msg);
            return ret;
        } finally {
            iolock.unlock();
            d.run();
        }
    }

    /** SO_TIMESTAMP(NS): when the message was queued. */
    private void putTimestamp(Task t, MsgHdr msg, UnixSkb skb) {
        putTimestamp(t, msg, skb.tstamp != 0 ? skb.tstamp : t.kernel.clock().realtimeNanos());
    }

    /**
     * unix_stream_read_generic: bytes from as many buffers as it takes to reach the target
     * (1, SO_RCVLOWAT, or everything with MSG_WAITALL); then end of file once the peer is
     * gone or shut down. Files end a read, and with SO_PASSCRED so does another writer.
     */
    private long streamRecvmsg(Task t, MsgHdr msg, long size, int flags) {
        if (state != TCP_ESTABLISHED) throw ErrnoException.of(Errno.EINVAL);
        if ((flags & Socket.MSG_OOB) != 0) return recvUrg(t, msg, flags);
        boolean peek = (flags & Socket.MSG_PEEK) != 0;
        int target = rcvlowat((flags & Socket.MSG_WAITALL) != 0, size);
        long timeo = rcvtimeo((flags & Socket.MSG_DONTWAIT) != 0);
        Scm scm = new Scm();
        scm.uid = 0; // the cookie starts zeroed: a read that saw no writer reports pid 0, uid 0, gid 0
        scm.gid = 0;
        boolean checkCreds = false;
        long copied = 0;
        int error = 0;
        Deferred d = new Deferred();
        try {
            redo:
            while (true) {
                iolock.lock();
                boolean locked = true;
                try {
                    int skip = Math.max(peekOffset(flags), 0);
                    UnixSkb skb = null;
                    boolean fromHead = true;
                    while (true) {
                        long seq;
                        synchronized (LOCK) {
                            if (dead) {
                                error = Errno.ECONNRESET;
                                break;
                            }
                            if (fromHead) skb = rq.peek();
                            seq = rq.seq;
                            if (skb != null) {
                                skb = manageOob(skb, flags, copied, d);
                                if (skb == null && copied != 0) break;
                            }
                            while (skb != null && skip >= skb.unixLen()) {
                                skip -= skb.unixLen();
                                skb = skb.next;
                            }
                            if (skb == null) {
                                if (copied >= target) break;
                                error = sockError();
                                if (error != 0) break;
                                if ((shutdown & RCV_SHUTDOWN) != 0) break;
                            }
                        }
                        if (skb == null) {
                            if (timeo == 0) {
                                error = Errno.EAGAIN;
                                break;
                            }
                            iolock.unlock();
                            locked = false;
                            timeo = waitTimeo(t, wq, () -> rq.seq != seq || err != 0 || (shutdown & RCV_SHUTDOWN) != 0 || dead, timeo);
                            if (t.signalPending()) {
                                error = intrErrno(timeo);
                                scm.destroy();
                                if (copied != 0) return copied;
                                throw ErrnoException.of(error);
                            }
                            continue redo;
                        }
                        if (checkCreds) {
                            if (!skbScmEq(skb, scm)) break;
                        } else if (passcred) {
                            skbToScm(skb, scm);
                            checkCreds = true;
                        }
                        if (msg.name != null) copyAddr(msg, skb.sk);
                        int chunk = (int) Math.min(skb.unixLen() - skip, size);
                        if (msg.iter.copyTo(skb.data, skb.consumed + skip, chunk) != chunk) {
                            if (copied == 0) copied = -Errno.EFAULT;
                            break;
                        }
                        copied += chunk;
                        size -= chunk;
                        if (!peek) {
                            boolean whole;
                            synchronized (LOCK) {
                                skb.consumed += chunk;
                                peekOffsetBwd(chunk);
                                if (skb.fp != null) detachFds(skb, scm);
                                whole = skb.unixLen() == 0;
                                if (whole) {
                                    rq.unlinkHead(skb);
                                    freeSkb(skb, d);
                                }
                            }
                            if (!whole || scm.fp != null) break;
                            fromHead = true;
                        } else {
                            boolean hasFp;
                            synchronized (LOCK) {
                                hasFp = skb.fp != null;
                                if (hasFp) {
                                    scm.destroy();
                                    scm.fp = Scm.fpDup(skb.fp);
                                }
                                peekOffsetFwd(chunk);
                                skb = skb.next;
                            }
                            if (hasFp || skb == null) break;
                            skip = 0;
                            fromHead = false;
                        }
                        if (size == 0) break;
                    }
                } finally {
                    if (locked) iolock.unlock();
                }
                break;
            }
            scm.recvUnix(t, this, msg);
            if (copied != 0) {
                if (copied < 0) throw ErrnoException.of((int) -copied);
                return copied;
            }
            if (error != 0) throw ErrnoException.of(error);
            return 0;
        } finally {
            scm.destroy();
            d.run();
        }
    }
}
