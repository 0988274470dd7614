package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.Tcp;

/**
 * The TCP timers (net/ipv4/tcp_timer.c): retransmission (with SYN and SYN-ACK
 * retransmission and the zero-window probe, which share it as icsk_retransmit_timer does),
 * delayed ACK, and keepalive (which also ends an orphaned FIN_WAIT2). Each runs on the kernel's
 * timer thread, takes the socket's lock, and sends after dropping it.
 */
final class TcpTimers {
    private TcpTimers() {}

    static void clearAll(TcpSock tp) {
        tp.rtxTimer.del();
        tp.delackTimer.del();
        tp.keepaliveTimer.del();
        tp.pendingTimer = 0;
    }

    /** inet_csk_reset_xmit_timer */
    static void resetRetransmit(TcpSock tp, int what, long whenUs) {
        tp.pendingTimer = what;
        tp.rtxTimer.modIn(Math.min(whenUs, TcpSock.TCP_RTO_MAX_US) * 1000);
    }

    /** tcp_rearm_rto: a retransmit timer while data is out, none when all is acknowledged. */
    static void rearmRto(TcpSock tp) {
        if (tp.sndUna >= tp.sndMax) {
            if (tp.pendingTimer == TcpSock.ICSK_TIME_RETRANS) {
                tp.rtxTimer.del();
                tp.pendingTimer = 0;
            }
            return;
        }
        resetRetransmit(tp, TcpSock.ICSK_TIME_RETRANS, tp.rtoUs);
    }

    /** tcp_check_probe_timer: the zero-window probe starts when nothing is in flight and the window is shut. */
    static void checkProbeTimer(TcpSock tp) {
        if (!tp.rtxTimer.pending()) resetRetransmit(tp, TcpSock.ICSK_TIME_PROBE0, probe0When(tp));
    }

    /** tcp_probe0_when: the RTO backed off by the probes sent so far. */
    static long probe0When(TcpSock tp) {
        long when = tp.rtoUs << Math.min(tp.backoff, 20);
        return Math.min(Math.max(when, TcpSock.TCP_RESOURCE_PROBE_US / 5), TcpSock.TCP_RTO_MAX_US);
    }

    /** retransmits_timed_out: whether boundary retries from an RTO of rtoBase have been used up by elapsedMs. */
    static boolean timedOut(long elapsedMs, int boundary, long rtoBaseUs, int userTimeoutMs) {
        if (userTimeoutMs > 0) return elapsedMs >= userTimeoutMs;
        int thresh = 63 - Long.numberOfLeadingZeros(TcpSock.TCP_RTO_MAX_US / rtoBaseUs);
        long timeoutUs;
        if (boundary <= thresh) timeoutUs = ((2L << boundary) - 1) * rtoBaseUs;
        else timeoutUs = ((2L << thresh) - 1) * rtoBaseUs + (long) (boundary - thresh) * TcpSock.TCP_RTO_MAX_US;
        return elapsedMs * 1000 >= timeoutUs;
    }

    /** tcp_write_err: the connection timed out (ETIMEDOUT unless a soft error is known). */
    static void writeErr(TcpSock tp) {
        int soft = tp.errSoft;
        tp.err = soft != 0 ? soft : Errno.ETIMEDOUT;
        tp.wake(dev.kava.abi.Poll.POLLERR);
        tp.writeQueuePurge();
        tp.done();
    }

    static void retransmitTimer(TcpSock tp) {
        synchronized (tp) {
            int what = tp.pendingTimer;
            tp.pendingTimer = 0;
            if (tp.state == Tcp.TCP_CLOSE || tp.state == Tcp.TCP_LISTEN) return;
            if (what == TcpSock.ICSK_TIME_PROBE0) probeTimer(tp);
            else retransmit(tp);
        }
        tp.unlockWork();
    }

    /**
     * tcp_retransmit_timer: the oldest segment was not acknowledged in time. Too many tries
     * (tcp_syn_retries, tcp_synack_retries, tcp_retries2, TCP_USER_TIMEOUT) end the connection;
     * otherwise the window collapses to one segment (TCP_CA_Loss), sending starts over from
     * snd_una, and the RTO doubles.
     */
    static void retransmit(TcpSock tp) {
        int st = tp.state;
        long elapsed = tp.nowMs() - (tp.retransStampMs != 0 ? tp.retransStampMs : tp.nowMs());
        if (st == Tcp.TCP_SYN_SENT) {
            int retries = tp.synCnt > 0 ? tp.synCnt : tp.tn.synRetries;
            if (tp.retransmits >= retries || timedOut(elapsed, retries, TcpSock.TCP_TIMEOUT_INIT_US, tp.userTimeoutMs)) {
                writeErr(tp);
                return;
            }
            TcpOutput.transmit(tp, tp.iss, 0, tp.synFlags, true);
            tp.totalRetrans++;
            tp.tn.retransSegs.increment();
            tp.timedSeq = -1;
            backoff(tp);
            return;
        }
        if (st == Tcp.TCP_SYN_RECV && tp.parent != null || st == Tcp.TCP_SYN_RECV && !tp.everConnected) {
            // syn_ack_recalc: with TCP_DEFER_ACCEPT, a request the client ACKed waits quietly for
            // data, and gets a last SYN-ACK (to be ACKed again) when the deferral ends.
            TcpSock lsk = tp.parent;
            int defer = lsk != null ? lsk.deferAccept : 0;
            boolean expire = tp.retransmits >= tp.tn.synackRetries && (!tp.deferAcked || tp.retransmits >= defer);
            boolean resend = !tp.deferAcked || tp.retransmits >= defer - 1;
            if (expire) {
                TcpInput.dropRequest(tp);
                return;
            }
            if (!resend) {
                backoff(tp);
                return;
            }
            TcpOutput.sendSynAck(tp);
            tp.totalRetrans++;
            tp.tn.retransSegs.increment();
            tp.timedSeq = -1;
            backoff(tp);
            return;
        }
        if (tp.sndUna >= tp.sndMax) return;
        int retries = tp.orphan ? (tp.tn.orphanRetries > 0 ? tp.tn.orphanRetries : 8) : tp.tn.retries2;
        if (timedOut(elapsed, retries, tp.rtoMinUs(), tp.userTimeoutMs) && tp.retransStampMs != 0) {
            writeErr(tp);
            return;
        }
        if (tp.caState != Tcp.TCP_CA_Loss) {
            // tcp_enter_loss
            tp.sndSsthresh = tp.cc.ssthresh(tp);
            tp.caState = Tcp.TCP_CA_Loss;
            tp.cc.setState(tp, Tcp.TCP_CA_Loss);
        }
        tp.sndCwnd = 1;
        tp.sndCwndCnt = 0;
        tp.highSeq = tp.sndMax;
        tp.dupAcks = 0;
        tp.totalRto++;
        tp.sndNxt = tp.sndUna;
        if (tp.retransStampMs == 0) tp.retransStampMs = tp.nowMs();
        TcpOutput.writeXmit(tp, TcpOutput.NAGLE_PUSH);
        backoff(tp);
    }

    private static void backoff(TcpSock tp) {
        tp.backoff++;
        tp.retransmits++;
        tp.rtoUs = Math.min(tp.rtoUs << 1, TcpSock.TCP_RTO_MAX_US);
        resetRetransmit(tp, TcpSock.ICSK_TIME_RETRANS, tp.rtoUs);
    }

    /**
     * tcp_probe_timer: the peer's window is still shut. Probes that go unanswered for
     * tcp_retries2 tries (or TCP_USER_TIMEOUT) end the connection; otherwise one more probe
     * goes out with the interval doubled.
     */
    static void probeTimer(TcpSock tp) {
        if (tp.sndNxt > tp.sndUna || tp.sndNxt >= tp.endSeqAll()) {
            tp.probesOut = 0;
            tp.backoff = 0;
            return;
        }
        if (tp.probesOut == 0) tp.probeStartMs = tp.nowMs();
        int max = tp.orphan ? 8 : tp.tn.retries2;
        if (tp.userTimeoutMs > 0 ? tp.nowMs() - tp.probeStartMs >= tp.userTimeoutMs : tp.probesOut >= max) {
            writeErr(tp);
            return;
        }
        TcpOutput.writeWakeup(tp);
        tp.probesOut++;
        if (tp.backoff < 15) tp.backoff++;
        resetRetransmit(tp, TcpSock.ICSK_TIME_PROBE0, probe0When(tp));
    }

    /** tcp_delack_timer_handler: the held ACK goes; the ATO grows, or ping-pong mode ends. */
    static void delackTimer(TcpSock tp) {
        synchronized (tp) {
            if (tp.state == Tcp.TCP_CLOSE || tp.state == Tcp.TCP_LISTEN || !tp.ackPending) return;
            if (!tp.pingpong) {
                tp.atoUs = Math.min(tp.atoUs << 1, tp.rtoUs);
            } else {
                tp.pingpong = false;
                tp.atoUs = TcpSock.TCP_ATO_MIN_US;
            }
            TcpOutput.sendAck(tp);
        }
        tp.unlockWork();
    }

    static long keepaliveTimeNs(TcpSock tp) {
        return (tp.keepIdle > 0 ? tp.keepIdle : tp.tn.keepaliveTime) * 1_000_000_000L;
    }

    static long keepaliveIntvlNs(TcpSock tp) {
        return (tp.keepIntvl > 0 ? tp.keepIntvl : tp.tn.keepaliveIntvl) * 1_000_000_000L;
    }

    static int keepaliveProbes(TcpSock tp) {
        return tp.keepCnt > 0 ? tp.keepCnt : tp.tn.keepaliveProbes;
    }

    /** tcp_set_keepalive: SO_KEEPALIVE arms the keepalive timer of a connection, or stops it. */
    static void setKeepalive(TcpSock tp, boolean on) {
        if (tp.state == Tcp.TCP_CLOSE || tp.state == Tcp.TCP_LISTEN) return;
        if (on) {
            if (!tp.keepaliveTimer.pending()) tp.keepaliveTimer.modIn(keepaliveTimeNs(tp));
        } else if (!(tp.orphan && tp.state == Tcp.TCP_FIN_WAIT2)) {
            tp.keepaliveTimer.del();
        }
    }

    /**
     * tcp_keepalive_timer: an orphan in FIN_WAIT2 past its time goes to TIME_WAIT (or is
     * reset); an idle connection with SO_KEEPALIVE gets a probe every TCP_KEEPINTVL after
     * TCP_KEEPIDLE, and after TCP_KEEPCNT unanswered probes (or TCP_USER_TIMEOUT) is reset
     * with ETIMEDOUT.
     */
    static void keepaliveTimer(TcpSock tp) {
        synchronized (tp) {
            keepalive(tp);
        }
        tp.unlockWork();
    }

    private static void keepalive(TcpSock tp) {
        int st = tp.state;
        if (st == Tcp.TCP_LISTEN || st == Tcp.TCP_CLOSE) return;
        if (st == Tcp.TCP_FIN_WAIT2 && tp.orphan) {
            if (tp.linger2 >= 0) {
                long tmo = tp.finTimeNs() - TcpSock.TCP_TIMEWAIT_LEN_NS;
                if (tmo > 0) {
                    TcpInput.timeWait(tp, Tcp.TCP_FIN_WAIT2, tmo);
                    return;
                }
            }
            TcpOutput.sendActiveReset(tp);
            tp.done();
            return;
        }
        if (!tp.keepalive || st == Tcp.TCP_SYN_SENT || st == Tcp.TCP_SYN_RECV) return;
        long next = keepaliveTimeNs(tp);
        if (tp.sndMax > tp.sndUna || tp.sndNxt < tp.endSeqAll()) {
            tp.keepaliveTimer.modIn(next);
            return;
        }
        long idleMs = tp.nowMs() - Math.max(tp.lrcvtimeMs, tp.lastAckRecvMs);
        long idleNs = idleMs * 1_000_000L;
        if (idleNs >= next) {
            if ((tp.userTimeoutMs > 0 && idleMs >= tp.userTimeoutMs && tp.probesOut > 0)
                    || (tp.userTimeoutMs == 0 && tp.probesOut >= keepaliveProbes(tp))) {
                TcpOutput.sendActiveReset(tp);
                writeErr(tp);
                return;
            }
            TcpOutput.writeWakeup(tp);
            tp.probesOut++;
            next = keepaliveIntvlNs(tp);
        } else {
            next = next - idleNs;
        }
        tp.keepaliveTimer.modIn(next);
    }
}
