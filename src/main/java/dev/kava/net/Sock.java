package dev.kava.net;

import dev.kava.abi.Errno;
import dev.kava.abi.Socket;
import dev.kava.fs.Poll;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.sched.WaitQueue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The network-layer half of a socket (struct sock, include/net/sock.h) with the operations
 * of its protocol (struct proto_ops): a family subclasses it and overrides what it supports;
 * the rest fail as Linux's sock_no_* defaults do. The SOL_SOCKET options every family shares
 * (net/core/sock.c's sk_setsockopt and sk_getsockopt) live here too.
 */
public abstract class Sock {
    // ---- include/net/tcp_states.h: the states every family uses for sk_state

    public static final int TCP_ESTABLISHED = 1;
    public static final int TCP_CLOSE = 7;
    public static final int TCP_LISTEN = 10;

    // ---- include/net/sock.h

    /** sk_shutdown bits. */
    public static final int RCV_SHUTDOWN = 1;
    public static final int SEND_SHUTDOWN = 2;
    public static final int SHUTDOWN_MASK = 3;

    /** CONFIG_HZ: jiffies per second, which socket timeouts are counted in (250, as Debian's kernels). */
    public static final int HZ = 250;
    /** MAX_SCHEDULE_TIMEOUT: wait forever. */
    public static final long MAX_SCHEDULE_TIMEOUT = Long.MAX_VALUE;

    /** net.core.wmem_default, net.core.rmem_default, net.core.wmem_max, net.core.rmem_max (SK_WMEM_MAX, SK_RMEM_MAX). */
    public static final int WMEM_DEFAULT = 212992;
    public static final int RMEM_DEFAULT = 212992;
    public static final int WMEM_MAX = 212992;
    public static final int RMEM_MAX = 212992;
    /** net.core.optmem_max: the most ancillary data one sendmsg may pass (sock_kmalloc's limit). */
    public static final int OPTMEM_MAX = 131072;
    /**
     * SKB_TRUESIZE's overhead: SKB_DATA_ALIGN(sizeof(struct sk_buff)) + SKB_DATA_ALIGN(sizeof(struct
     * skb_shared_info)) on a 64-bit kernel, charged to the sender's sk_wmem_alloc with the data.
     */
    public static final int SKB_OVERHEAD = 256 + 320;
    /** TCP_SKB_MIN_TRUESIZE, SOCK_MIN_SNDBUF, SOCK_MIN_RCVBUF. */
    public static final int TCP_SKB_MIN_TRUESIZE = 2048 + 256;
    public static final int SOCK_MIN_SNDBUF = TCP_SKB_MIN_TRUESIZE * 2;
    public static final int SOCK_MIN_RCVBUF = TCP_SKB_MIN_TRUESIZE;
    /** sk_userlocks */
    public static final int SOCK_SNDBUF_LOCK = 1;
    public static final int SOCK_RCVBUF_LOCK = 2;
    public static final int SOCK_BUF_LOCK_MASK = SOCK_SNDBUF_LOCK | SOCK_RCVBUF_LOCK;
    /** IFNAMSIZ */
    private static final int IFNAMSIZ = 16;
    /** SKF_AD_MAX: what SO_BPF_EXTENSIONS reports. */
    private static final int SKF_AD_MAX = 64;
    /** SK_MEMINFO_VARS */
    private static final int SK_MEMINFO_VARS = 9;

    private static final AtomicLong COOKIES = new AtomicLong();

    public final int family;
    /** sk_type (SOCK_RAW AF_UNIX sockets are SOCK_DGRAM ones). */
    public final int type;
    public final int protocol;
    /** sk_socket: the socket file, null for a socket not yet accepted or already closed. */
    public volatile SocketFile socket;
    /** The socket's wait queue (sk_sleep): readers, writers and pollers wait here. */
    public final WaitQueue wq = new WaitQueue();

    public volatile int state = TCP_CLOSE;
    public volatile int shutdown;
    /** sk_err: a pending error, reported once (sock_error). */
    public volatile int err;
    public volatile int errSoft;

    public volatile int sndbuf = WMEM_DEFAULT, rcvbuf = RMEM_DEFAULT;
    public volatile int userlocks;
    public volatile int rcvlowat = 1;
    /** In jiffies; MAX_SCHEDULE_TIMEOUT for none, 0 for "never wait". */
    public volatile long rcvtimeo = MAX_SCHEDULE_TIMEOUT, sndtimeo = MAX_SCHEDULE_TIMEOUT;
    public volatile int peekOff = -1;

    public volatile boolean reuse, reuseport, keepalive, linger, debug, dontroute, broadcast, oobinline, noCheck;
    public volatile boolean passcred, passsec, rxqOvfl, wifiStatus, nofcs, selectErrQueue, lockFilter, rcvmark;
    /** SOCK_RCVTSTAMP, SOCK_RCVTSTAMPNS, SOCK_TSTAMP_NEW */
    public volatile boolean rcvtstamp, rcvtstampns, tstampNew;
    public volatile long lingertime;
    public volatile int priority, mark, boundDevIf;
    public volatile int incomingCpu = -1;
    public volatile long maxPacingRate = -1L;
    private volatile long cookie;

    /** sk_peer_pid and sk_peer_cred: who is at the other end, from connect, listen or socketpair. */
    public volatile PeerCred peerCred;

    /** A process's identity at one moment: its tgid and credentials (and groups, for SO_PEERGROUPS). */
    public record PeerCred(int pid, Cred cred, int[] groups) {
        public static PeerCred of(Task t) {
            return new PeerCred(t.group.tgid, t.group.cred, t.group.groups.clone());
        }
    }

    protected Sock(int family, int type, int protocol) {
        this.family = family;
        this.type = type;
        this.protocol = protocol;
    }

    // ---- struct proto_ops; the defaults are sock_no_*

    /** release: the socket file is closing (its last reference is gone). */
    public abstract void release();

    /**
     * release by a close of task closer (null when no task waits, as at exit): a protocol
     * that lingers (tcp_close with SO_LINGER) waits in it; the others ignore it.
     */
    public void release(dev.kava.kernel.Task closer) {
        release();
    }

    public void bind(Task t, byte[] addr, int len) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** connect; fileFlags are the file's f_flags (O_NONBLOCK). */
    public void connect(Task t, byte[] addr, int len, int fileFlags) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    public void socketpair(Task t, Sock other) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** accept: the new connection's sock, to be grafted onto a new socket file. */
    public Sock accept(Task t, int fileFlags) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** getname: fills out (a sockaddr_storage) with the local or peer address; returns its length. */
    public abstract int getname(byte[] out, boolean peer);

    public abstract int poll(Task t, Poll.Table pt);

    /** The protocol's ioctls; ENOIOCTLCMD for the ones it does not know. */
    public long ioctl(Task t, int cmd, long arg) {
        throw ErrnoException.of(Errno.ENOIOCTLCMD);
    }

    public void listen(Task t, int backlog) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    public void shutdown(Task t, int how) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** setsockopt below SOL_SOCKET (or SOL_SOCKET itself for families that take it over). */
    public void setsockopt(Task t, int level, int optname, long optval, int optlen) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    public void getsockopt(Task t, int level, int optname, long optval, long optlen) {
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** Whether the family takes SOL_SOCKET options first (SOCK_CUSTOM_SOCKOPT). */
    public boolean customSolSocket() {
        return false;
    }

    public abstract long sendmsg(Task t, MsgHdr msg, long len);

    public abstract long recvmsg(Task t, MsgHdr msg, long len, int flags);

    /** Whether the family has set_peek_off (SO_PEEK_OFF). */
    public boolean hasSetPeekOff() {
        return false;
    }

    /** sk_write_space: room may have appeared (SO_SNDBUF grew). */
    protected void writeSpace() {}

    /** sk_wmem_alloc_get: bytes of sent buffers not yet freed. */
    public long wmemAlloc() {
        return 0;
    }

    /** The queued receive memory, for SO_MEMINFO. */
    public long rmemAlloc() {
        return 0;
    }

    // ---- helpers every family uses

    /** sock_error: the pending error, cleared; 0 if none. */
    public int sockError() {
        if (err == 0) return 0;
        synchronized (this) {
            int e = err;
            err = 0;
            return e;
        }
    }

    /** sock_rcvtimeo / sock_sndtimeo */
    public long rcvtimeo(boolean noblock) {
        return noblock ? 0 : rcvtimeo;
    }

    public long sndtimeo(boolean noblock) {
        return noblock ? 0 : sndtimeo;
    }

    /** sock_rcvlowat: how much a stream read waits for (MSG_WAITALL: all of it). */
    public int rcvlowat(boolean waitall, long len) {
        long v = waitall ? len : Math.min(rcvlowat, len);
        return (int) Math.max(1, Math.min(v, Integer.MAX_VALUE));
    }

    /** sock_intr_errno: a wait without a timeout is restarted after the handler; one with a timeout is EINTR. */
    public static int intrErrno(long timeo) {
        return timeo == MAX_SCHEDULE_TIMEOUT ? Errno.ERESTARTSYS : Errno.EINTR;
    }

    /**
     * Sleeps on q until cond holds, a signal arrives or timeo jiffies pass (schedule_timeout
     * with a condition). Returns the jiffies left: 0 when the time is up; the caller checks
     * {@link Task#signalPending} for a signal.
     */
    public static long waitTimeo(Task t, WaitQueue q, BooleanSupplier cond, long timeo) {
        if (timeo <= 0) return 0;
        long now = t.kernel.clock().monotonicNanos();
        long deadline = timeo == MAX_SCHEDULE_TIMEOUT || timeo > Long.MAX_VALUE / (1_000_000_000L / HZ)
                ? Long.MAX_VALUE : now + timeo * (1_000_000_000L / HZ);
        int r = t.waitEvent(q, cond, deadline);
        if (deadline == Long.MAX_VALUE) return MAX_SCHEDULE_TIMEOUT;
        if (r == -Errno.ETIMEDOUT) return 0;
        long left = deadline - t.kernel.clock().monotonicNanos();
        if (left <= 0) return r == 0 ? 1 : 0;
        return Math.max(1, (left + (1_000_000_000L / HZ) - 1) / (1_000_000_000L / HZ));
    }

    /** sk_peek_offset: where a MSG_PEEK starts (-1: SO_PEEK_OFF off). */
    public int peekOffset(int flags) {
        return (flags & Socket.MSG_PEEK) != 0 ? peekOff : 0;
    }

    /** sk_peek_offset_bwd */
    public void peekOffsetBwd(int val) {
        int off = peekOff;
        if (off >= 0) peekOff = Math.max(off - val, 0);
    }

    /** sk_peek_offset_fwd */
    public void peekOffsetFwd(int val) {
        int off = peekOff;
        if (off >= 0) peekOff = off + val;
    }

    /** sock_gen_cookie: a number no other socket has, made on first use. */
    public synchronized long cookie() {
        if (cookie == 0) cookie = COOKIES.incrementAndGet();
        return cookie;
    }

    // ---- net/core/sock.c: sk_setsockopt

    private static boolean capable(Task t) {
        return t.group.cred.euid() == 0;
    }

    /** sk_setsockopt: the SOL_SOCKET options; optlen is already known to be >= 0. */
    public void sockSetsockopt(Task t, int optname, long optval, int optlen) {
        if (optname == Socket.SO_BINDTODEVICE) {
            setBindToDevice(t, optval, optlen);
            return;
        }
        if (optlen < 4) throw ErrnoException.of(Errno.EINVAL);
        int val = t.mem.read32(optval);
        boolean valbool = val != 0;
        switch (optname) {
            case Socket.SO_DEBUG -> {
                if (val != 0 && !capable(t)) throw ErrnoException.of(Errno.EACCES);
                debug = valbool;
            }
            case Socket.SO_REUSEADDR -> reuse = valbool;
            case Socket.SO_REUSEPORT -> {
                if (valbool && !isInet()) throw ErrnoException.of(Errno.EOPNOTSUPP);
                reuseport = valbool;
            }
            case Socket.SO_TYPE, Socket.SO_PROTOCOL, Socket.SO_DOMAIN, Socket.SO_ERROR -> throw ErrnoException.of(Errno.ENOPROTOOPT);
            case Socket.SO_DONTROUTE -> dontroute = valbool;
            case Socket.SO_BROADCAST -> broadcast = valbool;
            case Socket.SO_SNDBUF -> setSndbuf((int) Math.min(Integer.toUnsignedLong(val), WMEM_MAX));
            case Socket.SO_SNDBUFFORCE -> {
                if (!capable(t)) throw ErrnoException.of(Errno.EPERM);
                setSndbuf(Math.max(val, 0));
            }
            case Socket.SO_RCVBUF -> setRcvbuf((int) Math.min(Integer.toUnsignedLong(val), RMEM_MAX));
            case Socket.SO_RCVBUFFORCE -> {
                if (!capable(t)) throw ErrnoException.of(Errno.EPERM);
                setRcvbuf(Math.max(val, 0));
            }
            case Socket.SO_KEEPALIVE -> keepalive = valbool;
            case Socket.SO_OOBINLINE -> oobinline = valbool;
            case Socket.SO_NO_CHECK -> noCheck = valbool;
            case Socket.SO_PRIORITY -> {
                if (!(val >= 0 && val <= 6) && !capable(t)) throw ErrnoException.of(Errno.EPERM);
                priority = val;
            }
            case Socket.SO_LINGER -> {
                if (optlen < Socket.LINGER_SIZE) throw ErrnoException.of(Errno.EINVAL);
                byte[] l = t.mem.read(optval, Socket.LINGER_SIZE);
                int onoff = Uaccess.getInt(l, 0), secs = Uaccess.getInt(l, 4);
                if (onoff == 0) {
                    linger = false;
                } else {
                    lingertime = Integer.toUnsignedLong(secs) * HZ;
                    linger = true;
                }
            }
            case Socket.SO_BSDCOMPAT -> { }
            case Socket.SO_PASSCRED -> {
                if (family != Socket.AF_UNIX && family != Socket.AF_NETLINK) throw ErrnoException.of(Errno.EOPNOTSUPP);
                passcred = valbool;
            }
            case Socket.SO_TIMESTAMP_OLD -> setTimestamps(valbool, false, false);
            case Socket.SO_TIMESTAMP_NEW -> setTimestamps(valbool, true, false);
            case Socket.SO_TIMESTAMPNS_OLD -> setTimestamps(valbool, false, true);
            case Socket.SO_TIMESTAMPNS_NEW -> setTimestamps(valbool, true, true);
            case Socket.SO_RCVLOWAT -> {
                if (val < 0) val = Integer.MAX_VALUE;
                rcvlowat = val == 0 ? 1 : val;
            }
            case Socket.SO_RCVTIMEO_OLD, Socket.SO_RCVTIMEO_NEW -> rcvtimeo = timeout(t, optval, optlen);
            case Socket.SO_SNDTIMEO_OLD, Socket.SO_SNDTIMEO_NEW -> sndtimeo = timeout(t, optval, optlen);
            case Socket.SO_PASSSEC -> passsec = valbool;
            case Socket.SO_MARK -> {
                if (!capable(t)) throw ErrnoException.of(Errno.EPERM);
                mark = val;
            }
            case Socket.SO_RCVMARK -> rcvmark = valbool;
            case Socket.SO_RXQ_OVFL -> rxqOvfl = valbool;
            case Socket.SO_WIFI_STATUS -> wifiStatus = valbool;
            case Socket.SO_PEEK_OFF -> {
                if (!hasSetPeekOff()) throw ErrnoException.of(Errno.EOPNOTSUPP);
                peekOff = val;
            }
            case Socket.SO_NOFCS -> nofcs = valbool;
            case Socket.SO_SELECT_ERR_QUEUE -> selectErrQueue = valbool;
            case Socket.SO_LOCK_FILTER -> {
                if (lockFilter && !valbool) throw ErrnoException.of(Errno.EPERM);
                lockFilter = valbool;
            }
            case Socket.SO_INCOMING_CPU -> incomingCpu = val;
            case Socket.SO_CNX_ADVICE -> { }
            // Only TCP, UDP and RDS sockets take MSG_ZEROCOPY, and kava's have no zerocopy path yet.
            case Socket.SO_ZEROCOPY -> throw ErrnoException.of(Errno.EOPNOTSUPP);
            case Socket.SO_BINDTOIFINDEX -> bindToIndex(t, val);
            case Socket.SO_BUF_LOCK -> {
                if ((val & ~SOCK_BUF_LOCK_MASK) != 0) throw ErrnoException.of(Errno.EINVAL);
                userlocks = val | (userlocks & ~SOCK_BUF_LOCK_MASK);
            }
            case Socket.SO_MAX_PACING_RATE -> {
                long ulval = val == -1 ? -1L : Integer.toUnsignedLong(val);
                if (optlen >= 8) ulval = t.mem.read64(optval);
                maxPacingRate = ulval;
            }
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
    }

    /** Whether this is an AF_INET or AF_INET6 socket (sk_is_inet). */
    protected boolean isInet() {
        return family == Socket.AF_INET || family == Socket.AF_INET6;
    }

    private void setSndbuf(int val) {
        val = Math.min(val, Integer.MAX_VALUE / 2);
        userlocks |= SOCK_SNDBUF_LOCK;
        sndbuf = Math.max(val * 2, SOCK_MIN_SNDBUF);
        writeSpace();
    }

    /** __sock_set_rcvbuf: doubled, for the struct sk_buff overhead applications do not count. */
    private void setRcvbuf(int val) {
        val = Math.min(val, Integer.MAX_VALUE / 2);
        userlocks |= SOCK_RCVBUF_LOCK;
        rcvbuf = Math.max(val * 2, SOCK_MIN_RCVBUF);
    }

    /** __sock_set_timestamps */
    private void setTimestamps(boolean val, boolean isNew, boolean ns) {
        if (val) {
            tstampNew = isNew;
            rcvtstampns = ns;
            rcvtstamp = true;
        } else {
            rcvtstamp = false;
            rcvtstampns = false;
        }
    }

    /** sock_set_timeout: a struct timeval (two longs on 64-bit) in jiffies. */
    private static long timeout(Task t, long optval, int optlen) {
        if (optlen < 16) throw ErrnoException.of(Errno.EINVAL);
        byte[] tv = t.mem.read(optval, 16);
        long sec = Uaccess.getLong(tv, 0), usec = Uaccess.getLong(tv, 8);
        if (usec < 0 || usec >= 1_000_000) throw ErrnoException.of(Errno.EDOM);
        if (sec < 0) return 0;
        long val = MAX_SCHEDULE_TIMEOUT;
        if ((sec != 0 || usec != 0) && sec < MAX_SCHEDULE_TIMEOUT / HZ - 1) {
            long per = 1_000_000 / HZ;
            val = sec * HZ + (usec + per - 1) / per;
        }
        return val;
    }

    /** The ifindex of the device called name in the caller's network namespace, 0 if none. */
    private static int ifindexOf(Task t, String name) {
        dev.kava.net.core.NetDevice d = dev.kava.net.core.Net.of(t.kernel).devByName(name);
        return d == null ? 0 : d.ifindex;
    }

    private static String ifname(Task t, int ifindex) {
        dev.kava.net.core.NetDevice d = dev.kava.net.core.Net.of(t.kernel).devByIndex(ifindex);
        return d == null ? null : d.name;
    }

    private void setBindToDevice(Task t, long optval, int optlen) {
        if (optlen < 0) throw ErrnoException.of(Errno.EINVAL);
        int n = Math.min(optlen, IFNAMSIZ - 1);
        byte[] name = t.mem.read(optval, n);
        int len = 0;
        while (len < n && name[len] != 0) len++;
        int index = 0;
        if (len > 0) {
            index = ifindexOf(t, new String(name, 0, len, StandardCharsets.ISO_8859_1));
            if (index == 0) throw ErrnoException.of(Errno.ENODEV);
        }
        bindToIndex(t, index);
    }

    /** sock_bindtoindex_locked: changing a binding needs CAP_NET_RAW. */
    private void bindToIndex(Task t, int ifindex) {
        if (boundDevIf != 0 && !capable(t)) throw ErrnoException.of(Errno.EPERM);
        if (ifindex < 0) throw ErrnoException.of(Errno.EINVAL);
        if (ifindex != 0 && ifname(t, ifindex) == null) throw ErrnoException.of(Errno.ENODEV);
        boundDevIf = ifindex;
    }

    // ---- net/core/sock.c: sk_getsockopt

    /** sk_getsockopt: the SOL_SOCKET options. */
    public void sockGetsockopt(Task t, int optname, long optval, long optlenAddr) {
        int len = t.mem.read32(optlenAddr);
        if (len < 0) throw ErrnoException.of(Errno.EINVAL);
        byte[] v = new byte[16];
        int lv = 4;
        int val = 0;
        switch (optname) {
            case Socket.SO_DEBUG -> val = b(debug);
            case Socket.SO_DONTROUTE -> val = b(dontroute);
            case Socket.SO_BROADCAST -> val = b(broadcast);
            case Socket.SO_SNDBUF -> val = sndbuf;
            case Socket.SO_RCVBUF -> val = rcvbuf;
            case Socket.SO_REUSEADDR -> val = b(reuse);
            case Socket.SO_REUSEPORT -> val = b(reuseport);
            case Socket.SO_KEEPALIVE -> val = b(keepalive);
            case Socket.SO_TYPE -> val = type;
            case Socket.SO_PROTOCOL -> val = protocol;
            case Socket.SO_DOMAIN -> val = family;
            case Socket.SO_ERROR -> {
                val = sockError();
                if (val == 0) {
                    synchronized (this) {
                        val = errSoft;
                        errSoft = 0;
                    }
                }
            }
            case Socket.SO_OOBINLINE -> val = b(oobinline);
            case Socket.SO_NO_CHECK -> val = b(noCheck);
            case Socket.SO_PRIORITY -> val = priority;
            case Socket.SO_LINGER -> {
                lv = Socket.LINGER_SIZE;
                Uaccess.putInt(v, 0, b(linger));
                Uaccess.putInt(v, 4, (int) (lingertime / HZ));
            }
            case Socket.SO_BSDCOMPAT -> { }
            case Socket.SO_TIMESTAMP_OLD -> val = b(rcvtstamp && !tstampNew && !rcvtstampns);
            case Socket.SO_TIMESTAMPNS_OLD -> val = b(rcvtstampns && !tstampNew);
            case Socket.SO_TIMESTAMP_NEW -> val = b(rcvtstamp && tstampNew);
            case Socket.SO_TIMESTAMPNS_NEW -> val = b(rcvtstampns && tstampNew);
            case Socket.SO_RCVTIMEO_OLD, Socket.SO_RCVTIMEO_NEW -> lv = putTimeout(v, rcvtimeo);
            case Socket.SO_SNDTIMEO_OLD, Socket.SO_SNDTIMEO_NEW -> lv = putTimeout(v, sndtimeo);
            case Socket.SO_RCVLOWAT -> val = rcvlowat;
            case Socket.SO_SNDLOWAT -> val = 1;
            case Socket.SO_PASSCRED -> val = b(passcred);
            case Socket.SO_PEERCRED -> {
                byte[] uc = new byte[Socket.UCRED_SIZE];
                PeerCred pc = peerCred;
                Uaccess.putInt(uc, 0, pc == null ? 0 : pc.pid());
                Uaccess.putInt(uc, 4, pc == null ? -1 : pc.cred().euid());
                Uaccess.putInt(uc, 8, pc == null ? -1 : pc.cred().egid());
                len = Math.min(len, Socket.UCRED_SIZE);
                t.mem.write(optval, uc, 0, len);
                t.mem.write32(optlenAddr, len);
                return;
            }
            case Socket.SO_PEERGROUPS -> {
                PeerCred pc = peerCred;
                if (pc == null) throw ErrnoException.of(Errno.ENODATA);
                int n = pc.groups().length;
                if (len < n * 4) {
                    t.mem.write32(optlenAddr, n * 4);
                    throw ErrnoException.of(Errno.ERANGE);
                }
                byte[] g = new byte[n * 4];
                for (int i = 0; i < n; i++) Uaccess.putInt(g, 4 * i, pc.groups()[i]);
                t.mem.write(optval, g);
                t.mem.write32(optlenAddr, n * 4);
                return;
            }
            case Socket.SO_PEERNAME -> {
                byte[] address = new byte[Socket.SOCKADDR_STORAGE_SIZE];
                int alen;
                try {
                    alen = getname(address, true);
                } catch (ErrnoException e) {
                    throw ErrnoException.of(Errno.ENOTCONN);
                }
                if (alen < len) throw ErrnoException.of(Errno.EINVAL);
                t.mem.write(optval, address, 0, len);
                t.mem.write32(optlenAddr, len);
                return;
            }
            case Socket.SO_ACCEPTCONN -> val = b(state == TCP_LISTEN);
            case Socket.SO_PASSSEC -> val = b(passsec);
            case Socket.SO_MARK -> val = mark;
            case Socket.SO_RCVMARK -> val = b(rcvmark);
            case Socket.SO_RXQ_OVFL -> val = b(rxqOvfl);
            case Socket.SO_WIFI_STATUS -> val = b(wifiStatus);
            case Socket.SO_PEEK_OFF -> {
                if (!hasSetPeekOff()) throw ErrnoException.of(Errno.EOPNOTSUPP);
                val = peekOff;
            }
            case Socket.SO_NOFCS -> val = b(nofcs);
            case Socket.SO_BINDTODEVICE -> {
                if (boundDevIf == 0) {
                    t.mem.write32(optlenAddr, 0);
                    return;
                }
                if (len < IFNAMSIZ) throw ErrnoException.of(Errno.EINVAL);
                String dn = ifname(t, boundDevIf);
                if (dn == null) throw ErrnoException.of(Errno.ENODEV);
                byte[] name = (dn + "\0").getBytes(StandardCharsets.ISO_8859_1);
                t.mem.write(optval, name);
                t.mem.write32(optlenAddr, name.length);
                return;
            }
            case Socket.SO_LOCK_FILTER -> val = b(lockFilter);
            case Socket.SO_BPF_EXTENSIONS -> val = SKF_AD_MAX;
            case Socket.SO_SELECT_ERR_QUEUE -> val = b(selectErrQueue);
            case Socket.SO_BUSY_POLL, Socket.SO_PREFER_BUSY_POLL, Socket.SO_INCOMING_NAPI_ID -> val = 0;
            case Socket.SO_MAX_PACING_RATE -> {
                if (len >= 8) {
                    lv = 8;
                    Uaccess.putLong(v, 0, maxPacingRate);
                } else {
                    val = Long.compareUnsigned(maxPacingRate, 0xffffffffL) > 0 ? -1 : (int) maxPacingRate;
                }
            }
            case Socket.SO_INCOMING_CPU -> val = incomingCpu;
            case Socket.SO_MEMINFO -> {
                byte[] m = new byte[SK_MEMINFO_VARS * 4];
                Uaccess.putInt(m, 0, (int) rmemAlloc());
                Uaccess.putInt(m, 4, rcvbuf);
                Uaccess.putInt(m, 8, (int) wmemAlloc());
                Uaccess.putInt(m, 12, sndbuf);
                len = Math.min(len, m.length);
                t.mem.write(optval, m, 0, len);
                t.mem.write32(optlenAddr, len);
                return;
            }
            case Socket.SO_COOKIE -> {
                lv = 8;
                if (len < lv) throw ErrnoException.of(Errno.EINVAL);
                Uaccess.putLong(v, 0, cookie());
            }
            case Socket.SO_ZEROCOPY -> val = 0;
            case Socket.SO_BINDTOIFINDEX -> val = boundDevIf;
            case Socket.SO_NETNS_COOKIE -> {
                lv = 8;
                if (len != lv) throw ErrnoException.of(Errno.EINVAL);
                Uaccess.putLong(v, 0, 1); // init_net's cookie: kava has one network namespace
            }
            case Socket.SO_BUF_LOCK -> val = userlocks & SOCK_BUF_LOCK_MASK;
            default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
        }
        if (lv == 4 && optname != Socket.SO_LINGER) Uaccess.putInt(v, 0, val);
        if (len > lv) len = lv;
        t.mem.write(optval, v, 0, len);
        t.mem.write32(optlenAddr, len);
    }

    private static int b(boolean v) {
        return v ? 1 : 0;
    }

    /** sock_get_timeout: jiffies back to a struct timeval; no timeout reads as zero. */
    private static int putTimeout(byte[] v, long timeo) {
        long sec = 0, usec = 0;
        if (timeo != MAX_SCHEDULE_TIMEOUT) {
            sec = timeo / HZ;
            usec = (timeo % HZ) * 1_000_000 / HZ;
        }
        Uaccess.putLong(v, 0, sec);
        Uaccess.putLong(v, 8, usec);
        return 16;
    }

    /**
     * __sock_recv_timestamp: the SO_TIMESTAMP / SO_TIMESTAMPNS control message (old or new
     * format, as the option was set) for a message received at ns (CLOCK_REALTIME).
     */
    public void putTimestamp(Task t, MsgHdr msg, long ns) {
        byte[] v = new byte[16];
        Uaccess.putLong(v, 0, Math.floorDiv(ns, 1_000_000_000L));
        long frac = Math.floorMod(ns, 1_000_000_000L);
        Uaccess.putLong(v, 8, rcvtstampns ? frac : frac / 1000);
        int kind = tstampNew ? (rcvtstampns ? Socket.SO_TIMESTAMPNS_NEW : Socket.SO_TIMESTAMP_NEW)
                : (rcvtstampns ? Socket.SO_TIMESTAMPNS_OLD : Socket.SO_TIMESTAMP_OLD);
        Scm.putCmsg(t, msg, Socket.SOL_SOCKET, kind, v);
    }

    /** What a sendmsg's SOL_SOCKET control messages set (struct sockcm_cookie's mark and priority; -1: not given). */
    public static class SockcmCookie {
        public int mark = -1;
        public int priority = -1;
    }

    /**
     * __sock_cmsg_send: SO_MARK (CAP_NET_RAW or CAP_NET_ADMIN: root), SO_PRIORITY (0..6, or
     * any with those capabilities), each a u32; SCM_RIGHTS and SCM_CREDENTIALS are skipped on
     * sockets that pass neither; anything else, SO_TIMESTAMPING and SCM_TXTIME included (kava
     * has no transmit timestamps), is EINVAL.
     */
    public static void sockCmsgSend(Task t, int type, byte[] ctl, int data, int dataLen, SockcmCookie sockc) {
        boolean capable = t.group.cred.euid() == 0;
        switch (type) {
            case Socket.SO_MARK -> {
                if (!capable) throw ErrnoException.of(Errno.EPERM);
                if (dataLen != 4) throw ErrnoException.of(Errno.EINVAL);
                sockc.mark = Uaccess.getInt(ctl, data);
            }
            case Socket.SO_PRIORITY -> {
                if (dataLen != 4) throw ErrnoException.of(Errno.EINVAL);
                int p = Uaccess.getInt(ctl, data);
                // sk_set_prio_allowed: TC_PRIO_BESTEFFORT..TC_PRIO_INTERACTIVE for everyone.
                if (!(p >= 0 && p <= 6) && !capable) throw ErrnoException.of(Errno.EPERM);
                sockc.priority = p;
            }
            case Socket.SCM_RIGHTS, Socket.SCM_CREDENTIALS -> { }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
    }
}
