package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.In;
import dev.kava.abi.Signal;
import dev.kava.abi.Socket;
import dev.kava.abi.Tcp;
import dev.kava.fs.Poll;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;
import dev.kava.kernel.time.TimerList;
import dev.kava.lib.ByteRing;
import dev.kava.net.MsgHdr;
import dev.kava.net.core.Net;

import java.util.ArrayDeque;
import java.util.TreeMap;

import static dev.kava.abi.Poll.POLLERR;
import static dev.kava.abi.Poll.POLLHUP;
import static dev.kava.abi.Poll.POLLIN;
import static dev.kava.abi.Poll.POLLOUT;
import static dev.kava.abi.Poll.POLLPRI;
import static dev.kava.abi.Poll.POLLRDHUP;
import static dev.kava.abi.Poll.POLLRDNORM;
import static dev.kava.abi.Poll.POLLWRNORM;

/**
 * A TCP socket (struct tcp_sock, include/linux/tcp.h, with inet_connection_sock's parts) and
 * TCP's socket operations (net/ipv4/tcp.c, af_inet.c's inet_stream_ops, tcp_ipv4.c's
 * connect). The segment processing is in {@link TcpInput}, segment building and the send
 * policy (windows, Nagle, congestion) in {@link TcpOutput}, the timers in {@link TcpTimers}.
 *
 * <p>Sequence numbers are kept unwrapped as longs (the wire carries their low 32 bits), so
 * comparisons are plain. The send queue holds the bytes from {@link #sendqSeq} (the oldest
 * unacknowledged data byte) to {@link #writeSeq}; a FIN queued by close or shutdown occupies
 * the sequence number {@link #writeSeq}. The receive queue holds the in-order bytes from
 * {@link #copiedSeq} to {@link #rcvNxt}; later bytes wait in {@link #ooo}.
 *
 * <p>Locking: the sock's monitor guards all of it. Segments to send are queued under the lock
 * and transmitted, and waiters woken, after it is released ({@link #release(Runnable)} style:
 * every locked section ends with {@link #unlockWork}), because a loopback transmit delivers to
 * the receiver on the same thread (see {@link dev.kava.net.core.Dev}).
 */
public final class TcpSock extends InetSock {
    // ---- include/net/tcp.h timing constants (µs unless named otherwise)
    static final long TCP_TIMEWAIT_LEN_NS = 60_000_000_000L;
    static final long TCP_RTO_MAX_US = 120_000_000L;
    static final long TCP_TIMEOUT_INIT_US = 1_000_000L;
    static final long TCP_DELACK_MAX_US = 200_000L;
    static final long TCP_ATO_MIN_US = 40_000L;
    static final long TCP_RESOURCE_PROBE_US = 500_000L;
    static final int TCP_INIT_CWND = 10;
    static final int TCP_INFINITE_SSTHRESH = 0x7fffffff;
    /** MAX_TCP_HEADER + skb_shared_info, as tcp_sndbuf_expand counts per segment. */
    static final int SNDBUF_PER_MSS_OVERHEAD = 320 + 320;

    final TcpNet tn;

    // ---- send sequence space
    long iss, sndUna, sndNxt, sndMax, writeSeq, sendqSeq;
    boolean finQueued;
    /** The flags of our SYN (ECE|CWR when asking for ECN), for its retransmissions. */
    int synFlags;
    final ByteRing sendq = new ByteRing(4096);
    int sndWnd, maxWindow;
    long sndWl1;
    /** snd_sml: the end of the last small segment sent (Minshall's Nagle). */
    long sndSml;

    // ---- receive sequence space
    long irs, rcvNxt, copiedSeq, rcvWup;
    int rcvWnd;
    /** SOCK_DONE: the peer's FIN arrived (it is in sequence at rcvNxt - 1). */
    boolean finRcvd;
    /** The reader saw the EOF (recvmsg's found_fin_ok moves copied_seq past the FIN). */
    boolean finConsumed;
    final ByteRing recvq = new ByteRing(4096);
    /** Out-of-order data by unwrapped sequence number. */
    final TreeMap<Long, byte[]> ooo = new TreeMap<>();
    int oooBytes;
    long oooFinSeq = -1;

    // ---- options
    int userMss, mssClamp = 65535, advmss, mssCache = Tcp.TCP_MSS_DEFAULT, rcvMss = Tcp.TCP_MSS_DEFAULT;
    boolean tsOk, sackOk, wscaleOk;
    int sndWscale, rcvWscale;
    int tsRecent, tsOffset;
    long tsRecentStampMs;
    int windowClamp;

    // ---- congestion control
    int sndCwnd = TCP_INIT_CWND, sndSsthresh = TCP_INFINITE_SSTHRESH, sndCwndCnt, sndCwndClamp = 0xffff_fff;
    int caState = Tcp.TCP_CA_Open;
    TcpCong cc;
    boolean cwndLimited;
    /** high_seq: the recovery point of fast recovery or loss. */
    long highSeq;
    int dupAcks;
    /** The SACK scoreboard: ranges [start, end) the peer holds above snd_una. */
    final TreeMap<Long, Long> sacked = new TreeMap<>();
    long sackedBytes;
    int reordering = 3;

    // ---- RTT and retransmission (tcp_rtt_estimator, RFC 6298)
    long srttUs8, mdevUs4, mdevMaxUs, rttvarUs, rttSeq;
    long rtoUs = TCP_TIMEOUT_INIT_US;
    long minRttUs;
    long timedSeq = -1, timedStartNs;
    int backoff, retransmits, totalRetrans, probesOut, totalRto;
    /** retrans_stamp: when the oldest unacknowledged segment was first retransmitted (ms), 0 if none. */
    long retransStampMs;
    long probeStartMs;
    long lastRetransSeqCnt;

    // ---- delayed ACKs (icsk_ack)
    boolean ackPending;
    int quickAcks;
    boolean pingpong;
    long atoUs = TCP_ATO_MIN_US;
    long lrcvtimeMs, lsndtimeMs;
    /** tp->last_oow_ack_time: when the last ACK to an out-of-window segment went (rate limit). */
    long lastOowAckMs;

    // ---- ECN (RFC 3168)
    boolean ecnOk, ecnDemandCwr, ecnQueueCwr, ecnSeen;
    int receivedCe, deliveredCe;
    long cwrHighSeq;

    // ---- user settings
    volatile boolean nodelay, corked;
    volatile int keepIdle, keepIntvl, keepCnt, userTimeoutMs, synCnt, linger2, deferAccept, notsentLowat;
    boolean moreHeld;
    boolean thinLto, recvInq;
    int saveSyn;

    // ---- urgent data (tcp_urg)
    /** The out-of-band byte and whether it is valid and not yet read (TCP_URG_VALID / TCP_URG_READ). */
    int urgData = -1;
    boolean urgValid, urgRead;
    long urgSeq = -1;

    // ---- listener
    final ArrayDeque<TcpSock> acceptq = new ArrayDeque<>();
    int synQlen, maxAckBacklog;
    /** The listener a connection in SYN_RECV came from, until accept() takes it. */
    TcpSock parent;
    /** Set under the lock for {@link #unlockWork}: join the parent's accept queue; or leave its SYN queue. */
    boolean toAccept, requestGone;
    /** inet_rsk(req)->acked: the client ACKed our SYN-ACK without data while TCP_DEFER_ACCEPT holds it back. */
    boolean deferAcked;
    /** Urgent data arrived: SIGURG to the owner once the lock is dropped. */
    boolean sigurgPending;
    /** SOCK_DEAD: the user closed it; it lives on for the protocol alone. */
    boolean orphan;
    boolean everConnected;

    // ---- statistics (tcp_info)
    long bytesAcked, bytesReceived, bytesSent, bytesRetrans;
    int segsIn, segsOut, dataSegsIn, dataSegsOut, rcvOoopack, delivered;
    long lastDataSentMs, lastDataRecvMs, lastAckRecvMs;
    long rcvSpaceBytes, rcvSpaceTimeMs, rcvSpaceCopied;

    // ---- timers
    final TimerList rtxTimer, delackTimer, keepaliveTimer;
    /** icsk_pending: what the retransmit timer is armed for (ICSK_TIME_RETRANS or ICSK_TIME_PROBE0). */
    int pendingTimer;
    static final int ICSK_TIME_RETRANS = 1, ICSK_TIME_DACK = 2, ICSK_TIME_PROBE0 = 3, ICSK_TIME_KEEPOPEN = 4;

    // ---- work done after the lock is dropped
    /** Segments built under the lock, sent in order after it by whichever thread drains first. */
    final ArrayDeque<TcpOutput.Pending> outq = new ArrayDeque<>();
    boolean outRunning;
    /** Poll events to wake waiters with once unlocked (0: none). */
    int wakeMask;
    boolean wakeAny;
    Rtable dst;
    /** The cached route of a connection over IPv6. */
    dev.kava.net.ipv6.Rt6Info dst6;
    /**
     * An AF_INET6 socket whose connection is over IPv4 (its peer v4-mapped): it uses the IPv4
     * af_ops, ipv6_mapped in tcp_ipv6.c.
     */
    boolean mapped;

    TcpSock(Net net, int family) {
        super(net, family, Socket.SOCK_STREAM, In.IPPROTO_TCP);
        this.tn = TcpNet.of(net);
        this.rtxTimer = new TimerList(net.kernel, () -> TcpTimers.retransmitTimer(this));
        this.delackTimer = new TimerList(net.kernel, () -> TcpTimers.delackTimer(this));
        this.keepaliveTimer = new TimerList(net.kernel, () -> TcpTimers.keepaliveTimer(this));
        // tcp_init_sock
        sndbuf = tn.wmem[1];
        rcvbuf = tn.rmem[1];
        cc = TcpCong.create(tn.congestionControl);
        if (cc == null) cc = new TcpCubic();
        reordering = tn.reordering;
    }

    /** The sock of a connection a listener accepted (inet_csk_clone_lock / tcp_create_openreq_child). */
    TcpSock(TcpSock listener) {
        this(listener.net, listener.family);
        uid = listener.uid;
        reuse = listener.reuse;
        reuseport = listener.reuseport;
        boundDevIf = listener.boundDevIf;
        sndbuf = listener.sndbuf;
        rcvbuf = listener.rcvbuf;
        userlocks = listener.userlocks;
        keepalive = listener.keepalive;
        linger = listener.linger;
        lingertime = listener.lingertime;
        rcvlowat = listener.rcvlowat;
        rcvtimeo = listener.rcvtimeo;
        sndtimeo = listener.sndtimeo;
        priority = listener.priority;
        mark = listener.mark;
        oobinline = listener.oobinline;
        tos = listener.tos;
        ucTtl = listener.ucTtl;
        nodelay = listener.nodelay;
        keepIdle = listener.keepIdle;
        keepIntvl = listener.keepIntvl;
        keepCnt = listener.keepCnt;
        userTimeoutMs = listener.userTimeoutMs;
        linger2 = listener.linger2;
        userMss = listener.userMss;
        windowClamp = listener.windowClamp;
        notsentLowat = listener.notsentLowat;
        TcpCong c = TcpCong.create(listener.cc.name());
        cc = c != null ? c : new TcpCubic();
        pmtudisc = listener.pmtudisc;
    }

    // ---- time

    long nowNs() {
        return TimerList.now(net.kernel);
    }

    /** tcp_jiffies32 in this implementation: milliseconds since boot. */
    long nowMs() {
        return nowNs() / 1_000_000L;
    }

    /** tcp_time_stamp_ts: the timestamp clock (ms) with the connection's offset. */
    int tsNow() {
        return (int) nowMs() + tsOffset;
    }

    TcpNet.Key key() {
        return keyFor(num);
    }

    /** The four-tuple this connection would have with local port lport. */
    TcpNet.Key keyFor(int lport) {
        if (v6ops()) {
            byte[] l = dev.kava.net.ipv6.Ip6Addr.isAny(v6.rcvSaddr) ? v6.saddr : v6.rcvSaddr;
            return TcpNet.Key.of6(l, lport, v6.daddr, dport);
        }
        return new TcpNet.Key(rcvSaddr != 0 ? rcvSaddr : saddr, lport, daddr, dport);
    }

    /** The cached route of the connection's family. */
    dev.kava.net.core.Dst curDst() {
        return v6ops() ? dst6 : dst;
    }

    /** The network header's length: 40 over IPv6, 20 over IPv4 (icsk_af_ops->net_header_len). */
    int netHdrLen() {
        return v6ops() ? dev.kava.abi.In6.IPV6_HDR_LEN : Ip.HDR_LEN;
    }

    /** Whether the connection runs over IPv6 (an AF_INET6 socket not using the v4-mapped ops). */
    boolean v6ops() {
        return family == Socket.AF_INET6 && !mapped;
    }

    // ---- small helpers of the send side

    boolean inSlowStart() {
        return sndCwnd < sndSsthresh;
    }

    boolean isCwndLimited() {
        return cwndLimited;
    }

    /** Segments in flight (packets_out - sacked_out, roughly): bytes sent and not acknowledged or SACKed, in MSS units. */
    int packetsInFlight() {
        long bytes = sndNxt - sndUna - sackedBytes;
        if (bytes <= 0) return 0;
        int mss = Math.max(1, mssCache);
        return (int) Math.min(Integer.MAX_VALUE, (bytes + mss - 1) / mss);
    }

    /** The sequence number just past everything queued: data, and the FIN if one is queued. */
    long endSeqAll() {
        return writeSeq + (finQueued ? 1 : 0);
    }

    /** sk_wmem_queued: the bytes of the send queue. */
    int wmemQueued() {
        return sendq.size();
    }

    /** sk_stream_memory_free (with TCP_NOTSENT_LOWAT). */
    boolean memoryFree() {
        if (wmemQueued() >= sndbuf) return false;
        int lowat = notsentLowat;
        return lowat == 0 || writeSeq - Math.max(sndNxt, sendqSeq) < lowat;
    }

    /** __sk_stream_is_writeable: free space at least a third of the buffer (sk_stream_wspace >= sk_stream_min_wspace). */
    boolean streamWriteable() {
        int q = wmemQueued();
        return sndbuf - q >= (q >> 1) && memoryFree();
    }

    @Override
    public long wmemAlloc() {
        return sendq.size();
    }

    @Override
    public long rmemAlloc() {
        return recvq.size() + oooBytes;
    }

    // ---- locking discipline: work after the lock

    /** Marks waiters to be woken with these poll events once the lock is dropped. */
    void wake(int mask) {
        wakeMask |= mask;
        wakeAny = true;
    }

    /**
     * What every locked section is followed by: the queued segments go out (one thread at a
     * time per socket, in order), then waiters are woken. Called without the lock.
     */
    void unlockWork() {
        TcpOutput.flush(this);
        int mask;
        boolean any;
        TcpSock p = null;
        boolean accept = false, gone = false, sigurg;
        synchronized (this) {
            sigurg = sigurgPending;
            sigurgPending = false;
            mask = wakeMask;
            any = wakeAny;
            wakeMask = 0;
            wakeAny = false;
            if (toAccept || requestGone) {
                p = parent;
                accept = toAccept;
                gone = requestGone;
                toAccept = requestGone = false;
                if (gone) parent = null;
            }
        }
        if (sigurg) TcpInput.sendSigurg(this);
        if (any) wq.wakeAll(mask);
        if (p != null) p.childEvent(this, accept, gone);
    }

    /**
     * A connection from this listener completed its handshake (inet_csk_complete_hashdance +
     * inet_csk_reqsk_queue_add: it joins the accept queue), or died before it did (it leaves
     * the SYN queue). A listener that closed meanwhile resets the newcomer.
     */
    void childEvent(TcpSock c, boolean established, boolean gone) {
        boolean orphaned = false;
        synchronized (this) {
            if (synQlen > 0) synQlen--;
            if (established && !gone) {
                if (state == Tcp.TCP_LISTEN) {
                    acceptq.addLast(c);
                    wake(POLLIN | POLLRDNORM);
                } else {
                    orphaned = true;
                }
            }
        }
        unlockWork();
        if (orphaned) {
            synchronized (c) {
                c.parent = null;
                c.orphan = true;
                TcpOutput.sendActiveReset(c);
                c.done();
            }
            c.unlockWork();
        }
    }

    // ---- state changes (tcp_set_state)

    void setState(int st) {
        int old = state;
        if (old == st) return;
        if (st == Tcp.TCP_CLOSE) {
            if (old == Tcp.TCP_CLOSE_WAIT || old == Tcp.TCP_ESTABLISHED) tn.estabResets.increment();
            unhash();
        }
        state = st;
        wake(0);
    }

    /** tcp_done: the connection is over; the user sees it shut down both ways. */
    void done() {
        if (state == Tcp.TCP_SYN_SENT || state == Tcp.TCP_SYN_RECV) tn.attemptFails.increment();
        setState(Tcp.TCP_CLOSE);
        TcpTimers.clearAll(this);
        shutdown = SHUTDOWN_MASK;
        wake(0);
        if (orphan) destroy();
    }

    /** inet_csk_destroy_sock: an orphan's last reference: the queues are dropped. */
    void destroy() {
        unhashAll();
        TcpTimers.clearAll(this);
        sendq.clear();
        recvq.clear();
        ooo.clear();
        oooBytes = 0;
        sacked.clear();
        sackedBytes = 0;
    }

    /**
     * tcp_reset: the peer reset the connection. The error is ECONNREFUSED in SYN_SENT, EPIPE
     * in CLOSE_WAIT (the peer had closed; we could only write), ECONNRESET otherwise.
     */
    void resetByPeer() {
        int e = switch (state) {
            case Tcp.TCP_SYN_SENT -> Errno.ECONNREFUSED;
            case Tcp.TCP_CLOSE_WAIT -> Errno.EPIPE;
            case Tcp.TCP_CLOSE -> 0;
            default -> Errno.ECONNRESET;
        };
        if (e == 0) return;
        err = e;
        wake(POLLERR);
        writeQueuePurge();
        done();
    }

    void writeQueuePurge() {
        sendq.clear();
        sendqSeq = writeSeq;
        sacked.clear();
        sackedBytes = 0;
    }

    // ---- struct proto: hashing and ports

    @Override
    protected void getPort(Task t, int snum) {
        if (!tn.getPort(this, snum, localPortRange())) throw ErrnoException.of(Errno.EADDRINUSE);
    }

    /** tcp_set_state(CLOSE)'s unhash and inet_put_port for a port that was not bound by the user. */
    @Override
    protected void unhash() {
        if (state == Tcp.TCP_LISTEN) tn.removeListener(this);
        tn.ehash.remove(key(), this);
        if (num != 0 && (userlocks & SOCK_BINDPORT_LOCK) == 0) {
            tn.putPort(this);
            num = 0; // inet_sport stays: a RST sent while closing still carries it
        }
    }

    /** Leaves every table, the user-bound port included (the socket is gone). */
    void unhashAll() {
        if (state == Tcp.TCP_LISTEN) tn.removeListener(this);
        tn.ehash.remove(key(), this);
        if (num != 0) tn.putPort(this);
    }

    @Override
    public void disconnect(Task t) {
        synchronized (this) {
            disconnectLocked();
        }
        unlockWork();
    }

    /**
     * tcp_disconnect: back to CLOSE from any state. A connection that would lose data or was
     * synchronized is reset (ECONNRESET for the user); a listener drops its queues; the
     * queues, timers and sequence state are cleared; the port stays bound if the user bound
     * it.
     */
    void disconnectLocked() {
        int old = state;
        if (old != Tcp.TCP_CLOSE) setState(Tcp.TCP_CLOSE);
        if (old == Tcp.TCP_LISTEN) {
            listenStop();
        } else if (needReset(old) || (sndNxt != writeSeq && (old == Tcp.TCP_CLOSING || old == Tcp.TCP_LAST_ACK))) {
            TcpOutput.sendActiveReset(this);
            err = Errno.ECONNRESET;
        } else if (old == Tcp.TCP_SYN_SENT) {
            err = Errno.ECONNRESET;
        }
        TcpTimers.clearAll(this);
        writeQueuePurge();
        recvq.clear();
        ooo.clear();
        oooBytes = 0;
        oooFinSeq = -1;
        finRcvd = false;
        finQueued = false;
        urgValid = false;
        urgData = -1;
        dport = 0;
        daddr = 0;
        if ((userlocks & SOCK_BINDADDR_LOCK) == 0) {
            rcvSaddr = 0;
            saddr = 0;
        }
        if (v6 != null) {
            v6.daddr = dev.kava.net.ipv6.Ip6Addr.ANY;
            v6.flowinfo = 0;
            if ((userlocks & SOCK_BINDADDR_LOCK) == 0) {
                v6.rcvSaddr = dev.kava.net.ipv6.Ip6Addr.ANY;
                v6.saddr = dev.kava.net.ipv6.Ip6Addr.ANY;
            }
            mapped = false;
        }
        dst6 = null;
        shutdown = 0;
        sndCwnd = TCP_INIT_CWND;
        sndSsthresh = TCP_INFINITE_SSTHRESH;
        sndCwndCnt = 0;
        caState = Tcp.TCP_CA_Open;
        srttUs8 = mdevUs4 = rttvarUs = 0;
        rtoUs = TCP_TIMEOUT_INIT_US;
        backoff = retransmits = probesOut = 0;
        retransStampMs = 0;
        dupAcks = 0;
        dst = null;
        if (socket != null) socket.state = Socket.SS_UNCONNECTED;
        wake(0);
    }

    /** tcp_need_reset */
    static boolean needReset(int st) {
        return st == Tcp.TCP_ESTABLISHED || st == Tcp.TCP_CLOSE_WAIT || st == Tcp.TCP_FIN_WAIT1
                || st == Tcp.TCP_FIN_WAIT2 || st == Tcp.TCP_SYN_RECV;
    }

    // ---- bind, getname

    @Override
    public void bind(Task t, byte[] addr, int len) {
        if (family == Socket.AF_INET6) TcpIpv6.bind(this, t, addr, len);
        else bind4(t, addr, len);
    }

    @Override
    public int getname(byte[] out, boolean peer) {
        if (family == Socket.AF_INET6) return dev.kava.net.ipv6.Inet6Sk.getname(this, out, peer);
        return getname4(out, peer);
    }

    // ---- connect (inet_stream_connect, tcp_v4_connect)

    @Override
    public void connect(Task t, byte[] addr, int len, int fileFlags) {
        if (len < 2) throw ErrnoException.of(Errno.EINVAL);
        if (family(addr) == Socket.AF_UNSPEC) {
            synchronized (this) {
                disconnectLocked();
                if (socket != null) socket.state = Socket.SS_UNCONNECTED;
            }
            unlockWork();
            return;
        }
        var sock = socket;
        int err;
        boolean pending;
        synchronized (this) {
            int ss = sock == null ? Socket.SS_UNCONNECTED : sock.state;
            switch (ss) {
                case Socket.SS_CONNECTED -> throw ErrnoException.of(Errno.EISCONN);
                case Socket.SS_CONNECTING -> err = Errno.EALREADY;
                case Socket.SS_UNCONNECTED -> {
                    if (state != Tcp.TCP_CLOSE) throw ErrnoException.of(Errno.EISCONN);
                    if (family == Socket.AF_INET6) TcpIpv6.connect(this, t, addr, len);
                    else v4Connect(t, addr, len);
                    if (sock != null) sock.state = Socket.SS_CONNECTING;
                    err = Errno.EINPROGRESS;
                }
                default -> throw ErrnoException.of(Errno.EINVAL);
            }
            // Linux decides under the socket lock, before the SYN-ACK (held in the backlog) is processed.
            pending = state == Tcp.TCP_SYN_SENT || state == Tcp.TCP_SYN_RECV;
        }
        unlockWork();
        long timeo = sndtimeo((fileFlags & dev.kava.abi.Fcntl.O_NONBLOCK) != 0);
        if (pending && timeo == 0) throw ErrnoException.of(err);
        if (state == Tcp.TCP_SYN_SENT || state == Tcp.TCP_SYN_RECV) {
            timeo = waitTimeo(t, wq, () -> state != Tcp.TCP_SYN_SENT && state != Tcp.TCP_SYN_RECV, timeo);
            if (state == Tcp.TCP_SYN_SENT || state == Tcp.TCP_SYN_RECV) {
                if (t.signalPending()) throw ErrnoException.of(intrErrno(timeo));
                throw ErrnoException.of(err);
            }
        }
        synchronized (this) {
            if (state == Tcp.TCP_CLOSE) {
                int e = sockError();
                if (sock != null) sock.state = Socket.SS_UNCONNECTED;
                disconnectLocked();
                err = e != 0 ? e : Errno.ECONNABORTED;
            } else {
                if (sock != null) sock.state = Socket.SS_CONNECTED;
                err = 0;
            }
        }
        unlockWork();
        if (err != 0) throw ErrnoException.of(err);
    }

    /**
     * tcp_v4_connect: at least a sockaddr_in (EINVAL) of AF_INET (EAFNOSUPPORT); a route to
     * the destination (ENETUNREACH; multicast and broadcast too); the source address from the
     * route unless bound; an ephemeral port (EADDRNOTAVAIL when none is free); then the
     * ISN, and the SYN goes out. Holds the lock.
     */
    void v4Connect(Task t, byte[] a, int len) {
        if (len < In.SOCKADDR_IN_SIZE) throw ErrnoException.of(Errno.EINVAL);
        if (family(a) != Socket.AF_INET) throw ErrnoException.of(Errno.EAFNOSUPPORT);
        int nexthop = dev.kava.net.core.SkBuff.get32(a, In.SIN_ADDR);
        int port = dev.kava.net.core.SkBuff.get16(a, In.SIN_PORT);
        Flow4 fl = new Flow4(nexthop, saddr, boundDevIf, tos & Ip.IPTOS_TOS_MASK, In.IPPROTO_TCP);
        fl.flags = flowFlags();
        Rtable rt = Route.output(net, fl);
        if ((rt.flags & (Rtable.RTCF_MULTICAST | Rtable.RTCF_BROADCAST)) != 0) throw ErrnoException.of(Errno.ENETUNREACH);
        if (saddr == 0) saddr = fl.saddr;
        if (rcvSaddr == 0) rcvSaddr = fl.saddr;
        daddr = fl.daddr;
        dport = port;
        setState(Tcp.TCP_SYN_SENT);
        if (num == 0) {
            if (!tn.connectPort(this, localPortRange())) {
                setState(Tcp.TCP_CLOSE);
                daddr = 0;
                dport = 0;
                throw ErrnoException.of(Errno.EADDRNOTAVAIL);
            }
            sport = num;
        }
        if (tn.ehash.putIfAbsent(key(), this) != null) {
            Object other = tn.ehash.get(key());
            if (other instanceof TimeWaitSock tw) {
                tw.kill();
                tn.ehash.put(key(), this);
            } else {
                setState(Tcp.TCP_CLOSE);
                daddr = 0;
                dport = 0;
                throw ErrnoException.of(Errno.EADDRNOTAVAIL);
            }
        }
        dst = rt;
        TcpNet.Key k = key();
        iss = Integer.toUnsignedLong(tn.secureSeq(k, nowNs()));
        tsOffset = tn.secureTsOff(k);
        inetId.set(tn.secureSeq(k, 0) ^ (int) iss);
        tn.activeOpens.increment();
        TcpOutput.connect(this);
    }

    // ---- listen and accept

    @Override
    public void listen(Task t, int backlog) {
        var sock = socket;
        synchronized (this) {
            if (sock != null && sock.state != Socket.SS_UNCONNECTED) throw ErrnoException.of(Errno.EINVAL);
            int old = state;
            if (old != Tcp.TCP_CLOSE && old != Tcp.TCP_LISTEN) throw ErrnoException.of(Errno.EINVAL);
            maxAckBacklog = backlog;
            if (old != Tcp.TCP_LISTEN) {
                // inet_csk_listen_start: the port is (re)checked against other listeners.
                state = Tcp.TCP_LISTEN;
                if (num == 0) {
                    if (!tn.getPort(this, 0, localPortRange())) {
                        state = Tcp.TCP_CLOSE;
                        throw ErrnoException.of(Errno.EADDRINUSE);
                    }
                } else {
                    tn.putPort(this);
                    if (!tn.getPort(this, num, localPortRange())) {
                        state = Tcp.TCP_CLOSE;
                        tn.addBound(this, num);
                        throw ErrnoException.of(Errno.EADDRINUSE);
                    }
                }
                sport = num;
                tn.addListener(this);
            }
        }
    }

    /** inet_csk_listen_stop: connections not yet accepted are reset and dropped. */
    void listenStop() {
        for (TcpSock c : acceptq) {
            synchronized (c) {
                c.parent = null;
                c.orphan = true;
                TcpOutput.sendActiveReset(c);
                c.done();
            }
            c.unlockWork();
        }
        acceptq.clear();
    }

    /** sk_acceptq_is_full */
    boolean acceptqFull() {
        return acceptq.size() > maxAckBacklog;
    }

    @Override
    public TcpSock accept(Task t, int fileFlags) {
        long timeo = rcvtimeo((fileFlags & dev.kava.abi.Fcntl.O_NONBLOCK) != 0);
        while (true) {
            synchronized (this) {
                if (state != Tcp.TCP_LISTEN) throw ErrnoException.of(Errno.EINVAL);
                TcpSock c = acceptq.pollFirst();
                if (c != null) {
                    synchronized (c) {
                        c.parent = null;
                    }
                    return c;
                }
            }
            if (timeo == 0) throw ErrnoException.of(Errno.EAGAIN);
            timeo = waitTimeo(t, wq, () -> !acceptq.isEmpty() || state != Tcp.TCP_LISTEN, timeo);
            if (t.signalPending() && acceptqEmpty()) throw ErrnoException.of(intrErrno(timeo));
        }
    }

    private synchronized boolean acceptqEmpty() {
        return acceptq.isEmpty();
    }

    // ---- poll (tcp_poll)

    @Override
    public synchronized int poll(Task t, Poll.Table pt) {
        if (pt != null) pt.wait(wq);
        int st = state;
        if (st == Tcp.TCP_LISTEN) return acceptq.isEmpty() ? 0 : POLLIN | POLLRDNORM;
        int mask = 0;
        int sh = shutdown;
        if (sh == SHUTDOWN_MASK || st == Tcp.TCP_CLOSE) mask |= POLLHUP;
        if ((sh & RCV_SHUTDOWN) != 0) mask |= POLLIN | POLLRDNORM | POLLRDHUP;
        if (st != Tcp.TCP_SYN_SENT && st != Tcp.TCP_SYN_RECV) {
            int target = rcvlowat(false, Integer.MAX_VALUE);
            if (readable(target)) mask |= POLLIN | POLLRDNORM;
            if ((sh & SEND_SHUTDOWN) == 0) {
                if (streamWriteable()) mask |= POLLOUT | POLLWRNORM;
            } else {
                mask |= POLLOUT | POLLWRNORM;
            }
            if (urgValid) mask |= POLLPRI;
        }
        if (err != 0) mask |= POLLERR;
        return mask;
    }

    /** tcp_stream_is_readable: at least target bytes (the urgent byte out of line not counted). */
    private boolean readable(int target) {
        long avail = rcvNxt - copiedSeq - (finRcvd ? 1 : 0);
        if (urgValid && !oobinline && urgSeq >= copiedSeq && urgSeq < rcvNxt) avail--;
        return avail > 0 && avail >= target;
    }

    // ---- sendmsg (tcp_sendmsg_locked)

    static void sigpipe(Task t) {
        Signals.sendToTask(t, SigInfo.user(Signal.SIGPIPE, SigInfo.SI_USER, t.group.tgid, t.group.cred.uid()));
    }

    /** sk_stream_error: EPIPE becomes the pending error if there is one; a plain EPIPE raises SIGPIPE unless MSG_NOSIGNAL. */
    private long streamError(Task t, int flags, int e) {
        if (e == Errno.EPIPE) {
            int se = sockError();
            if (se != 0) e = se;
        }
        if (e == Errno.EPIPE && (flags & Socket.MSG_NOSIGNAL) == 0) sigpipe(t);
        return -e;
    }

    @Override
    public long sendmsg(Task t, MsgHdr msg, long len) {
        int flags = msg.flags;
        long timeo = sndtimeo((flags & Socket.MSG_DONTWAIT) != 0);
        long copied = 0;
        // Wait for a connection to finish (sk_stream_wait_connect).
        while (state != Tcp.TCP_ESTABLISHED && state != Tcp.TCP_CLOSE_WAIT) {
            int se = sockError();
            if (se != 0) return streamError(t, flags, se);
            if (state != Tcp.TCP_SYN_SENT && state != Tcp.TCP_SYN_RECV) return streamError(t, flags, Errno.EPIPE);
            if (timeo == 0) return -Errno.EAGAIN;
            if (t.signalPending()) return -intrErrno(timeo);
            timeo = waitTimeo(t, wq, () -> (state != Tcp.TCP_SYN_SENT && state != Tcp.TCP_SYN_RECV) || err != 0, timeo);
        }
        boolean oob = (flags & Socket.MSG_OOB) != 0;
        byte[] chunk = new byte[(int) Math.min(Math.max(len, 1), 256 * 1024)];
        try {
            while (true) {
                int e = 0;
                synchronized (this) {
                    if (err != 0 || (shutdown & SEND_SHUTDOWN) != 0) {
                        e = Errno.EPIPE;
                    } else if (copied >= len) {
                        moreHeld = (flags & Socket.MSG_MORE) != 0;
                        if (oob) urgMark();
                        TcpOutput.push(this, oob ? TcpOutput.NAGLE_PUSH : nagleMode(flags));
                    } else if (memoryFree()) {
                        int room = Math.max(0, sndbuf - wmemQueued());
                        int n = (int) Math.min(Math.min(len - copied, chunk.length), Math.max(room, Math.min(mssCache, chunk.length)));
                        int got = msg.iter.copyFrom(chunk, 0, n);
                        if (got > 0) {
                            sendq.append(chunk, 0, got);
                            writeSeq += got;
                            copied += got;
                        }
                        if (got < n) {
                            e = Errno.EFAULT;
                        } else {
                            if (copied < len) TcpOutput.push(this, TcpOutput.NAGLE_MORE);
                            continue;
                        }
                    }
                }
                unlockWork();
                if (e != 0) {
                    if (copied > 0) return copied;
                    return streamError(t, flags, e);
                }
                if (copied >= len) return copied;
                // sk_stream_wait_memory
                synchronized (this) {
                    TcpOutput.push(this, TcpOutput.NAGLE_PUSH);
                }
                unlockWork();
                if (timeo == 0) return copied > 0 ? copied : -Errno.EAGAIN;
                if (t.signalPending()) return copied > 0 ? copied : -intrErrno(timeo);
                timeo = waitTimeo(t, wq, () -> memoryFree() || err != 0 || (shutdown & SEND_SHUTDOWN) != 0, timeo);
            }
        } finally {
            unlockWork();
        }
    }

    /** The Nagle mode of a write: TCP_NODELAY pushes, TCP_CORK and MSG_MORE hold partial segments. */
    private int nagleMode(int flags) {
        if (corked || (flags & Socket.MSG_MORE) != 0) return TcpOutput.NAGLE_CORK;
        return nodelay ? TcpOutput.NAGLE_OFF : TcpOutput.NAGLE_ON;
    }

    /** tcp_mark_urg: the last byte written is urgent; the urgent pointer points past it. */
    private void urgMark() {
        sndUp = writeSeq;
    }

    /** snd_up: the urgent pointer (the sequence number after the urgent byte), 0 if none. */
    long sndUp;

    // ---- recvmsg (tcp_recvmsg_locked)

    @Override
    public long recvmsg(Task t, MsgHdr msg, long len, int flags) {
        if ((flags & Socket.MSG_ERRQUEUE) != 0) return -Errno.EAGAIN;
        if ((flags & Socket.MSG_OOB) != 0) return recvUrg(msg, len, flags);
        boolean peek = (flags & Socket.MSG_PEEK) != 0;
        boolean trunc = (flags & Socket.MSG_TRUNC) != 0;
        long timeo = rcvtimeo((flags & Socket.MSG_DONTWAIT) != 0);
        int target = rcvlowat((flags & Socket.MSG_WAITALL) != 0, len);
        long copied = 0;
        /** The sequence number the next byte is read (or peeked) from. */
        long[] seqRef = new long[1];
        synchronized (this) {
            if (state == Tcp.TCP_LISTEN) return -Errno.ENOTCONN;
            seqRef[0] = copiedSeq;
            if (peek && peekOff >= 0) seqRef[0] += Math.min(peekOff, recvqAvail());
        }
        byte[] buf = new byte[(int) Math.min(Math.max(len, 1), 256 * 1024)];
        try {
            while (copied < len) {
                int n = 0;
                int e = 0;
                boolean stop = false;
                synchronized (this) {
                    if (!peek) seqRef[0] = copiedSeq;
                    long seq = seqRef[0];
                    // The urgent mark ends a read that copied something; out of line, its byte is skipped.
                    if (urgActive() && !oobinline && seq == urgSeq) {
                        if (copied > 0) {
                            stop = true;
                        } else {
                            seq++;
                            seqRef[0] = seq;
                            if (!peek) {
                                copiedSeq++;
                                recvq.drop(1);
                            }
                        }
                    }
                    long avail = rcvNxt - (finRcvd ? 1 : 0) - seq;
                    if (!stop && avail > 0) {
                        long lim = Math.min(avail, len - copied);
                        if (urgActive() && !oobinline && urgSeq > seq && urgSeq < seq + lim) lim = urgSeq - seq;
                        n = (int) Math.min(lim, buf.length);
                        recvq.get((int) (seq - copiedSeq), buf, 0, n);
                    } else if (!stop) {
                        if (copied >= target) {
                            stop = true;
                        } else if (copied > 0) {
                            if (err != 0 || state == Tcp.TCP_CLOSE || (shutdown & RCV_SHUTDOWN) != 0 || timeo == 0
                                    || t.signalPending()) stop = true;
                        } else if (finRcvd || (shutdown & RCV_SHUTDOWN) != 0 && err == 0) {
                            if (finRcvd && !peek && seq == rcvNxt - 1) finConsumed = true;
                            stop = true;
                        } else if (err != 0) {
                            e = sockError();
                        } else if (state == Tcp.TCP_CLOSE) {
                            e = Errno.ENOTCONN;
                        } else if (timeo == 0) {
                            e = Errno.EAGAIN;
                        } else if (t.signalPending()) {
                            e = intrErrno(timeo);
                        }
                        if (e != 0) stop = true;
                    }
                }
                if (n > 0) {
                    int put = trunc ? n : msg.iter.copyTo(buf, 0, n);
                    if (put == 0 && copied == 0) return -Errno.EFAULT;
                    synchronized (this) {
                        if (peek) {
                            seqRef[0] += put;
                            if (peekOff >= 0) peekOffsetFwd(put);
                        } else {
                            recvq.drop(put);
                            copiedSeq += put;
                            if (urgActive() && copiedSeq > urgSeq) clearUrg();
                            if (peekOff >= 0) peekOffsetBwd(put);
                            rcvSpaceCopied += put;
                            TcpInput.rcvSpaceAdjust(this);
                            TcpOutput.cleanupRbuf(this, put);
                        }
                    }
                    unlockWork();
                    copied += put;
                    if (put < n) break;
                    continue;
                }
                if (stop) {
                    if (e != 0 && copied == 0) return -e;
                    break;
                }
                timeo = waitTimeo(t, wq, () -> rcvNxt - (finRcvd ? 1 : 0) > (peek ? seqRef[0] : copiedSeq)
                        || err != 0 || (shutdown & RCV_SHUTDOWN) != 0 || finRcvd || state == Tcp.TCP_CLOSE, timeo);
            }
        } finally {
            unlockWork();
        }
        return copied;
    }

    /** urg_data != 0: an urgent byte is announced, valid or already read. */
    boolean urgActive() {
        return urgValid || urgRead;
    }

    void clearUrg() {
        urgValid = false;
        urgRead = false;
        urgData = -1;
    }

    private long recvqAvail() {
        return rcvNxt - copiedSeq - (finRcvd ? 1 : 0);
    }

    /**
     * tcp_recv_urg: the out-of-band byte. EINVAL with SO_OOBINLINE, when there is none or it
     * was read; EAGAIN when the peer announced urgent data not yet arrived; 0 at EOF.
     */
    private long recvUrg(MsgHdr msg, long len, int flags) {
        synchronized (this) {
            if (oobinline || !urgValid) return -Errno.EINVAL;
            if (state == Tcp.TCP_CLOSE && !finRcvd) return -Errno.ENOTCONN;
            {
                boolean peek = (flags & Socket.MSG_PEEK) != 0;
                if (!peek) {
                    urgValid = false;
                    urgRead = true;
                }
                if (len > 0) {
                    msg.iter.copyTo(new byte[]{(byte) urgData}, 0, 1);
                    return 1;
                }
                msg.flags |= Socket.MSG_TRUNC;
                return 0;
            }
        }
    }

    // ---- shutdown (inet_shutdown + tcp_shutdown)

    @Override
    public void shutdown(Task t, int how) {
        how++;
        if ((how & ~SHUTDOWN_MASK) != 0 || how == 0) throw ErrnoException.of(Errno.EINVAL);
        int e = 0;
        var sock = socket;
        synchronized (this) {
            if (sock != null && sock.state == Socket.SS_CONNECTING) {
                if (state == Tcp.TCP_SYN_SENT || state == Tcp.TCP_SYN_RECV || state == Tcp.TCP_CLOSE) {
                    sock.state = Socket.SS_DISCONNECTING;
                } else {
                    sock.state = Socket.SS_CONNECTED;
                }
            }
            switch (state) {
                case Tcp.TCP_CLOSE -> {
                    e = Errno.ENOTCONN;
                    shutdown |= how;
                }
                case Tcp.TCP_LISTEN -> {
                    if ((how & RCV_SHUTDOWN) != 0) {
                        disconnectLocked();
                        if (sock != null) sock.state = Socket.SS_UNCONNECTED;
                    }
                }
                case Tcp.TCP_SYN_SENT -> {
                    disconnectLocked();
                    if (sock != null) sock.state = Socket.SS_UNCONNECTED;
                }
                default -> {
                    shutdown |= how;
                    if ((how & SEND_SHUTDOWN) != 0 && (state == Tcp.TCP_ESTABLISHED || state == Tcp.TCP_SYN_RECV
                            || state == Tcp.TCP_CLOSE_WAIT)) {
                        if (closeState()) TcpOutput.sendFin(this);
                    }
                }
            }
            wake(0);
        }
        unlockWork();
        if (e != 0) throw ErrnoException.of(e);
    }

    /**
     * tcp_close_state: the state a close moves to (new_state[]), and whether a FIN is due:
     * ESTABLISHED and SYN_RECV to FIN_WAIT1, CLOSE_WAIT to LAST_ACK (FIN sent); SYN_SENT and
     * LISTEN to CLOSE; later states stay.
     */
    boolean closeState() {
        int next;
        boolean fin;
        switch (state) {
            case Tcp.TCP_ESTABLISHED, Tcp.TCP_SYN_RECV -> {
                next = Tcp.TCP_FIN_WAIT1;
                fin = true;
            }
            case Tcp.TCP_CLOSE_WAIT -> {
                next = Tcp.TCP_LAST_ACK;
                fin = true;
            }
            case Tcp.TCP_SYN_SENT, Tcp.TCP_LISTEN, Tcp.TCP_CLOSE -> {
                next = Tcp.TCP_CLOSE;
                fin = false;
            }
            default -> {
                next = state;
                fin = false;
            }
        }
        setState(next);
        return fin;
    }

    // ---- close (tcp_close)

    @Override
    public void release() {
        release(null);
    }

    /**
     * The socket file closed (sock_close -> inet_release -> tcp_close): a listener resets its
     * pending connections; unread data resets the connection (RFC 2525); SO_LINGER with zero
     * time aborts it; otherwise a FIN goes out. With SO_LINGER and a time, the closing task
     * (not one that is exiting: inet_release's PF_EXITING check) then waits until the FIN is
     * acknowledged, the time runs out or a signal comes (sk_stream_wait_close; close() still
     * returns 0). Then the sock lives on as an orphan until the protocol is done with it.
     */
    @Override
    public void release(Task closer) {
        long timeo = closer != null && linger && !closer.exiting() ? lingertime : 0;
        boolean wait;
        synchronized (this) {
            shutdown = SHUTDOWN_MASK;
            if (state == Tcp.TCP_LISTEN) {
                setState(Tcp.TCP_CLOSE);
                listenStop();
            } else {
                long unread = recvqAvail() + oooBytes;
                if (unread > 0) {
                    setState(Tcp.TCP_CLOSE);
                    TcpOutput.sendActiveReset(this);
                } else if (linger && lingertime == 0) {
                    disconnectLocked();
                } else if (closeState()) {
                    TcpOutput.sendFin(this);
                }
            }
            wait = timeo > 0 && streamClosing();
            if (!wait) orphanLocked();
        }
        unlockWork();
        if (!wait) return;
        waitTimeo(closer, wq, () -> !streamClosing(), timeo);
        synchronized (this) {
            orphanLocked();
        }
        unlockWork();
    }

    /** sk_stream_closing: our FIN is not acknowledged yet. */
    private boolean streamClosing() {
        int st = state;
        return st == Tcp.TCP_FIN_WAIT1 || st == Tcp.TCP_CLOSING || st == Tcp.TCP_LAST_ACK;
    }

    /** The adjudge_to_death part of __tcp_close: the sock is orphaned and finishes on its own. */
    private void orphanLocked() {
        orphan = true;
        socket = null;
        if (state == Tcp.TCP_FIN_WAIT2) {
            if (linger2 < 0) {
                TcpOutput.sendActiveReset(this);
                done();
            } else {
                long tmo = finTimeNs();
                if (tmo > TCP_TIMEWAIT_LEN_NS) keepaliveTimer.modIn(tmo - TCP_TIMEWAIT_LEN_NS);
                else TcpInput.timeWait(this, Tcp.TCP_FIN_WAIT2, tmo);
            }
        }
        if (state == Tcp.TCP_CLOSE) {
            unhashAll();
            destroy();
        }
    }

    /** tcp_fin_time: TCP_LINGER2 or net.ipv4.tcp_fin_timeout, at least the RTO-based minimum. */
    long finTimeNs() {
        long fin = linger2 > 0 ? linger2 * 1_000_000_000L : tn.finTimeout * 1_000_000_000L;
        long rto3 = (rtoUs * 7 / 2) * 1000;
        return Math.max(fin, rto3);
    }

    // ---- ioctls (tcp_ioctl)

    @Override
    protected long protoIoctl(Task t, int cmd, long arg) {
        int answ;
        synchronized (this) {
            switch (cmd) {
                case Socket.SIOCINQ -> {
                    if (state == Tcp.TCP_LISTEN) throw ErrnoException.of(Errno.EINVAL);
                    answ = (int) Math.max(0, recvqAvail() - (urgValid && !oobinline && urgSeq >= copiedSeq && urgSeq < rcvNxt ? 1 : 0));
                }
                case Socket.SIOCATMARK -> answ = urgValid && urgSeq == copiedSeq ? 1 : 0;
                case Socket.SIOCOUTQ -> {
                    if (state == Tcp.TCP_LISTEN) throw ErrnoException.of(Errno.EINVAL);
                    answ = state == Tcp.TCP_SYN_SENT || state == Tcp.TCP_SYN_RECV ? 0 : (int) (writeSeq - Math.max(sndUna, sendqSeq));
                }
                case dev.kava.abi.Sockios.SIOCOUTQNSD -> {
                    if (state == Tcp.TCP_LISTEN) throw ErrnoException.of(Errno.EINVAL);
                    answ = state == Tcp.TCP_SYN_SENT || state == Tcp.TCP_SYN_RECV ? 0 : (int) (writeSeq - Math.max(sndNxt, sendqSeq));
                }
                default -> throw ErrnoException.of(Errno.ENOIOCTLCMD);
            }
        }
        t.mem.write32(arg, answ);
        return 0;
    }

    // ---- options

    @Override
    public void sockSetsockopt(Task t, int optname, long optval, int optlen) {
        super.sockSetsockopt(t, optname, optval, optlen);
        if (optname == Socket.SO_KEEPALIVE) {
            synchronized (this) {
                TcpTimers.setKeepalive(this, keepalive);
            }
        } else if (optname == Socket.SO_SNDBUF || optname == Socket.SO_SNDBUFFORCE) {
            synchronized (this) {
                wake(POLLOUT);
            }
            unlockWork();
        } else if (optname == Socket.SO_RCVBUF || optname == Socket.SO_RCVBUFFORCE) {
            synchronized (this) {
                windowClamp = windowClamp == 0 ? 0 : windowClamp;
            }
        }
    }

    @Override
    public void setsockopt(Task t, int level, int optname, long optval, int optlen) {
        if (level == Socket.SOL_TCP) {
            TcpSockopt.set(this, t, optname, optval, optlen);
            unlockWork();
            return;
        }
        if (level == Socket.SOL_IP) {
            ipSetsockopt(t, optname, optval, optlen);
            return;
        }
        if (level == Socket.SOL_IPV6 && family == Socket.AF_INET6) {
            dev.kava.net.ipv6.Inet6Sk.setsockopt(this, t, optname, optval, optlen);
            return;
        }
        throw ErrnoException.of(Errno.ENOPROTOOPT);
    }

    @Override
    public void getsockopt(Task t, int level, int optname, long optval, long optlen) {
        if (level == Socket.SOL_TCP) {
            TcpSockopt.get(this, t, optname, optval, optlen);
            return;
        }
        if (level == Socket.SOL_IP) {
            ipGetsockopt(t, optname, optval, optlen);
            return;
        }
        if (level == Socket.SOL_IPV6 && family == Socket.AF_INET6) {
            dev.kava.net.ipv6.Inet6Sk.getsockopt(this, t, optname, optval, optlen);
            return;
        }
        throw ErrnoException.of(Errno.ENOPROTOOPT);
    }

    /** tcp_rto_min_us: net.ipv4.tcp_rto_min_us (200 ms). */
    long rtoMinUs() {
        return tn.minRtoMs * 1000L;
    }

    /** The retransmit timeout in jiffies (HZ=250) as the user sees it (icsk_rto). */
    long rtoJiffies() {
        return (rtoUs * HZ + 999_999) / 1_000_000;
    }
}
