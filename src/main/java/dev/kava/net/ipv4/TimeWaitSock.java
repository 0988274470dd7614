package dev.kava.net.ipv4;

import dev.kava.abi.Tcp;
import dev.kava.kernel.time.TimerList;
import dev.kava.net.ipv6.Ip6Addr;

/**
 * A connection in TIME_WAIT (struct inet_timewait_sock / tcp_timewait_sock,
 * net/ipv4/tcp_minisocks.c): what is left of a closed connection for 2*MSL, holding its
 * four-tuple and port so that old duplicates are not taken for a new connection. Its
 * substate is FIN_WAIT2 for an orphaned connection still waiting for the peer's FIN.
 */
final class TimeWaitSock {
    final TcpNet tn;
    final int laddr, lport, raddr, rport;
    /** The IPv6 addresses of a connection over IPv6 (null over IPv4, v4-mapped ones included). */
    final byte[] laddr6, raddr6;
    /** tw_family, and the sk_v6 addresses /proc/net/tcp6 shows (v4-mapped for an IPv4 connection). */
    final int family;
    final byte[] procLaddr6, procRaddr6;
    /** IPV6_V6ONLY of the socket, for bind conflicts. */
    final boolean ipv6only;
    final boolean reuse, reuseport;
    final int uid, boundDevIf;
    /** tw_substate: TCP_TIME_WAIT or TCP_FIN_WAIT2. */
    int substate;
    long rcvNxt, sndNxt;
    int rcvWnd;
    int rcvWscale;
    /** tw_last_oow_ack_time (ms): when an out-of-window segment was last answered. */
    long lastOowAckMs;
    boolean tsOk;
    int tsRecent, tsOffset;
    long tsRecentStamp;
    final TcpNet.Key key;
    final TimerList timer;

    TimeWaitSock(TcpSock sk, int substate) {
        this.tn = sk.tn;
        this.laddr = sk.rcvSaddr != 0 ? sk.rcvSaddr : sk.saddr;
        this.lport = sk.num;
        this.raddr = sk.daddr;
        this.rport = sk.dport;
        boolean v6ops = sk.v6ops();
        this.laddr6 = v6ops ? (Ip6Addr.isAny(sk.v6.rcvSaddr) ? sk.v6.saddr : sk.v6.rcvSaddr) : null;
        this.raddr6 = v6ops ? sk.v6.daddr : null;
        this.ipv6only = sk.v6 != null && sk.v6.ipv6only;
        this.family = sk.family;
        this.procLaddr6 = sk.v6 != null ? sk.v6.rcvSaddr : null;
        this.procRaddr6 = sk.v6 != null ? sk.v6.daddr : null;
        this.reuse = sk.reuse;
        this.reuseport = sk.reuseport;
        this.uid = sk.uid;
        this.boundDevIf = sk.boundDevIf;
        this.substate = substate;
        this.rcvNxt = sk.rcvNxt;
        this.sndNxt = sk.sndNxt;
        this.rcvWnd = sk.rcvWnd;
        this.rcvWscale = sk.rcvWscale;
        this.tsOk = sk.tsOk;
        this.tsRecent = sk.tsRecent;
        this.tsOffset = sk.tsOffset;
        this.key = sk.key();
        this.timer = new TimerList(sk.net.kernel, this::expire);
    }

    /** inet_twsk_deschedule_put: the timer ran out (or the slot is reused): leave the tables. */
    void kill() {
        timer.del();
        if (tn.ehash.remove(key, this)) tn.putPort(this);
    }

    private void expire() {
        if (tn.ehash.remove(key, this)) tn.putPort(this);
    }

    /** Re-arms the TIME_WAIT timer (inet_twsk_reschedule). */
    void schedule(long nanos) {
        timer.modIn(nanos);
    }

    /** The seconds left, for /proc/net/tcp's timer column. */
    long expiresNanos() {
        return timer.expires();
    }

    /**
     * tcp_timewait_state_process: a segment for a connection in TIME_WAIT. In the FIN_WAIT2
     * substate an out-of-window segment gets a (rate-limited) ACK, a RST kills it, a duplicate
     * or bare ACK is dropped, the peer's FIN moves it to TIME_WAIT (acknowledged), and new data
     * get a reset. In TIME_WAIT an in-window bare ACK is dropped (it restarts the 2*MSL timer),
     * a RST kills it (RFC 1337 off), a new SYN beyond the old sequence space lets a new
     * connection take over (returns true: the caller looks for a listener), and anything else
     * restarts the timer and gets a duplicate ACK, at most one per tcp_invalid_ratelimit. Bare
     * ACKs are never answered: two ends that answered each other's ACKs would do so forever.
     */
    boolean process(TcpSeg seg) {
        int rcv = (int) rcvNxt;
        if (substate == Tcp.TCP_FIN_WAIT2) {
            // tcp_in_window(seq, end_seq, rcv_nxt, rcv_nxt + tw_rcv_wnd)
            if (!inWindow(seg.seq, seg.endSeq(), rcv, rcv + rcvWnd)) {
                oowAck(seg);
                return false;
            }
            if (seg.rst()) {
                kill();
                return false;
            }
            if (seg.syn() && seg.seq - rcv >= 0) {
                TcpOutput.sendReset(tn, seg);
                kill();
                return false;
            }
            // Dup ACK?
            if (!seg.ack() || seg.endSeq() - rcv <= 0 || seg.endSeq() == seg.seq) return false;
            // New data or FIN: data after the half-duplex close get a reset.
            if (!seg.fin() || seg.endSeq() != rcv + 1) {
                TcpOutput.sendReset(tn, seg);
                kill();
                return false;
            }
            rcvNxt = seg.endSeq() & 0xffffffffL;
            substate = Tcp.TCP_TIME_WAIT;
            schedule(TcpSock.TCP_TIMEWAIT_LEN_NS);
            TcpOutput.sendTwAck(this, seg);
            return false;
        }
        if (seg.seq == rcv && (seg.seq == seg.endSeq() || seg.rst())) {
            // In window: only a reset or a bare ACK.
            if (seg.rst()) {
                if (tn.rfc1337 == 0) kill();
            } else {
                schedule(TcpSock.TCP_TIMEWAIT_LEN_NS);
            }
            return false;
        }
        if (seg.syn() && !seg.rst() && !seg.ack() && seg.seq - rcv > 0) {
            kill();
            return true;
        }
        if (!seg.rst()) {
            if (seg.ack()) schedule(TcpSock.TCP_TIMEWAIT_LEN_NS);
            oowAck(seg);
        }
        return false;
    }

    /** tcp_in_window: the segment overlaps [s_win, e_win], or is empty at its left edge. */
    private static boolean inWindow(int seq, int endSeq, int sWin, int eWin) {
        if (seq == sWin) return true;
        if (endSeq - sWin > 0 && seq - eWin < 0) return true;
        return seq == eWin && seq == endSeq;
    }

    /** tcp_timewait_check_oow_rate_limit: a duplicate ACK, at most one per tcp_invalid_ratelimit. */
    private void oowAck(TcpSeg seg) {
        long now = TimerList.now(tn.net.kernel) / 1_000_000L;
        if (lastOowAckMs != 0 && now - lastOowAckMs < TcpInput.TCP_INVALID_RATELIMIT_MS) return;
        lastOowAckMs = now;
        TcpOutput.sendTwAck(this, seg);
    }
}
