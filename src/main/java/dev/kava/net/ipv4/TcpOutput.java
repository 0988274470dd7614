package dev.kava.net.ipv4;

import dev.kava.abi.In;
import dev.kava.abi.Tcp;
import dev.kava.kernel.ErrnoException;
import dev.kava.lib.Checksum;
import dev.kava.net.core.Dst;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv6.Ip6Output;
import dev.kava.net.ipv6.Rt6Info;

/**
 * TCP output (net/ipv4/tcp_output.c): building segments with their options and checksum
 * (tcp_transmit_skb), what may be sent now (tcp_write_xmit: the peer's window, the congestion
 * window, Nagle and corking), SYN, SYN-ACK, ACK, FIN and RST, window selection and the
 * window updates a reader's progress triggers (tcp_cleanup_rbuf).
 *
 * <p>Everything here runs under the socket's lock and only queues segments; {@link #flush}
 * sends them after the lock is dropped.
 */
final class TcpOutput {
    private TcpOutput() {}

    /** The Nagle modes of tcp_push: TCP_NAGLE_OFF (push all), on, TCP_NAGLE_CORK (hold partial), TCP_NAGLE_PUSH (force). */
    static final int NAGLE_ON = 0, NAGLE_OFF = 1, NAGLE_CORK = 2, NAGLE_PUSH = 4, NAGLE_MORE = 8;

    /** A segment ready for IP, waiting for the lock to be dropped. */
    record Pending(SkBuff skb, Rtable rt, IpOutput.Params params, Rt6Info rt6, Ip6Output.Params params6) {
        Pending(SkBuff skb, Rtable rt, IpOutput.Params params) {
            this(skb, rt, params, null, null);
        }

        Pending(SkBuff skb, Rt6Info rt6, Ip6Output.Params params6) {
            this(skb, null, null, rt6, params6);
        }
    }

    // ---- sending queued segments

    /**
     * Sends what the socket queued, in order; one thread at a time per socket (another that
     * finds the queue being drained leaves its segments to that thread, as qdisc_run does).
     */
    static void flush(TcpSock tp) {
        synchronized (tp) {
            if (tp.outRunning || tp.outq.isEmpty()) return;
            tp.outRunning = true;
        }
        while (true) {
            Pending p;
            synchronized (tp) {
                p = tp.outq.pollFirst();
                if (p == null) {
                    tp.outRunning = false;
                    return;
                }
            }
            send(tp.net, p);
        }
    }

    static void send(dev.kava.net.core.Net net, Pending p) {
        try {
            if (p.rt6 != null) net.ipv6.out.buildAndSend(p.skb, p.rt6, p.params6);
            else net.ipv4.out.buildAndSend(p.skb, p.rt, p.params);
        } catch (RuntimeException e) {
            net.oops("tcp transmit", e);
        }
    }

    /** The route of a connection (its cached dst, else a fresh lookup); null if there is none now. */
    static Dst route(TcpSock tp) {
        if (tp.v6ops()) return TcpIpv6.route(tp);
        Rtable rt = tp.dst;
        if (rt != null && rt.dev.isUp()) return rt;
        Flow4 fl = new Flow4(tp.daddr, tp.saddr, tp.boundDevIf, tp.tos & Ip.IPTOS_TOS_MASK, In.IPPROTO_TCP);
        fl.flags = tp.flowFlags();
        try {
            rt = Route.output(tp.net, fl);
        } catch (ErrnoException e) {
            return null;
        }
        tp.dst = rt;
        return rt;
    }

    // ---- MSS and windows

    /** The MSS we announce (tcp_advertise_mss): the route's MTU less the headers, within TCP_MAXSEG. */
    static int advmss(TcpSock tp, Dst rt) {
        int mss = (rt != null ? rt.mtu() : 1500) - tp.netHdrLen() - Tcp.HDR_LEN;
        if (tp.userMss > 0 && tp.userMss < mss) mss = tp.userMss;
        return Math.max(mss, Tcp.TCP_MIN_MSS);
    }

    /** The option bytes every data segment carries (tcp_header_len - sizeof(tcphdr)). */
    static int optLen(TcpSock tp) {
        return tp.tsOk ? Tcp.TCPOLEN_TSTAMP_ALIGNED : 0;
    }

    /**
     * tcp_sync_mss / tcp_current_mss: the payload of a full segment: the peer's MSS within
     * our MTU and TCP_MAXSEG, less the options, bounded to half the largest window the peer
     * offered (tcp_bound_to_half_wnd).
     */
    static int mssNow(TcpSock tp) {
        int mss = tp.mssClamp;
        Dst rt = tp.curDst();
        int pmtuMss = (rt != null ? rt.mtu() : 65536) - tp.netHdrLen() - Tcp.HDR_LEN;
        mss = Math.min(mss, pmtuMss);
        if (tp.userMss > 0) mss = Math.min(mss, tp.userMss);
        mss -= optLen(tp);
        int cutoff = tp.maxWindow > Tcp.TCP_MSS_DEFAULT ? tp.maxWindow >> 1 : tp.maxWindow;
        if (cutoff > 0 && mss > cutoff) mss = Math.max(cutoff, 68 - optLen(tp) - Tcp.HDR_LEN);
        mss = Math.max(mss, 48);
        tp.mssCache = mss;
        return mss;
    }

    /** tcp_space: the receive window the free buffer allows (half of it: Linux's initial scaling_ratio). */
    static int space(TcpSock tp) {
        long free = (long) tp.rcvbuf - tp.recvq.size() - tp.oooBytes;
        return (int) Math.max(0, free >> 1);
    }

    static int fullSpace(TcpSock tp) {
        return tp.rcvbuf >> 1;
    }

    /** tcp_receive_window: what is left of the window last advertised. */
    static int receiveWindow(TcpSock tp) {
        long w = tp.rcvWup + tp.rcvWnd - tp.rcvNxt;
        return (int) Math.max(0, w);
    }

    /**
     * __tcp_select_window: the window to advertise from the free buffer: nothing below one
     * MSS when the buffer is short (silly window avoidance), a multiple of the scale unit, and
     * never a right edge to the left of the one already offered.
     */
    static int selectWindowRaw(TcpSock tp) {
        int mss = Math.max(1, tp.rcvMss);
        int full = Math.min(fullSpace(tp), tp.windowClamp > 0 ? tp.windowClamp : Integer.MAX_VALUE);
        int free = Math.min(space(tp), full);
        int maxWin = Tcp.U16_MAX << tp.rcvWscale;
        if (free < (full >> 1) && free < mss) return 0;
        int win = Math.min(free, maxWin);
        if (tp.rcvWscale > 0) win = (win >> tp.rcvWscale) << tp.rcvWscale;
        else if (win > mss && win < maxWin) win = (win / mss) * mss;
        return win;
    }

    /** tcp_select_window: the window field of an outgoing segment, and rcv_wnd/rcv_wup updated. */
    static int selectWindow(TcpSock tp) {
        int cur = receiveWindow(tp);
        int win = selectWindowRaw(tp);
        if (win < cur) {
            int unit = 1 << tp.rcvWscale;
            win = (cur + unit - 1) / unit * unit;
        }
        tp.rcvWnd = win;
        tp.rcvWup = tp.rcvNxt;
        win >>= tp.rcvWscale;
        return Math.min(win, Tcp.U16_MAX);
    }

    /** tcp_select_initial_window: the SYN's window and our window scale. */
    static void initialWindow(TcpSock tp, int mss) {
        int space = fullSpace(tp);
        if (tp.windowClamp > 0) space = Math.min(space, tp.windowClamp);
        if (space > mss) space = space / mss * mss;
        int wnd = Math.min(space, Tcp.U16_MAX);
        int ws = 0;
        if (tp.tn.windowScaling != 0) {
            long s = Math.max((long) tp.tn.rmem[2], tp.rcvbuf);
            s = Math.min(s, 1L << 30);
            while (s > Tcp.U16_MAX && ws < Tcp.TCP_MAX_WSCALE) {
                s >>= 1;
                ws++;
            }
        }
        if (mss > (1 << ws)) {
            int initCwnd = 10;
            if (mss > 1460) initCwnd = Math.max(1460 * initCwnd / mss, 2);
            wnd = Math.min(wnd, initCwnd * mss);
        }
        tp.rcvWnd = wnd;
        tp.rcvWscale = ws;
        if (tp.windowClamp == 0) tp.windowClamp = Tcp.U16_MAX << ws;
    }

    // ---- building a segment (tcp_transmit_skb)

    /**
     * Builds and queues one segment: payload len bytes of the send queue from seq (0 for
     * none), the flags, the options this connection uses, the window, the checksum. A segment
     * with ACK acknowledges rcv_nxt and ends a pending delayed ACK.
     */
    static void transmit(TcpSock tp, long seq, int len, int flags, boolean synOpts) {
        Dst rt = route(tp);
        if (rt == null) return;
        boolean syn = (flags & Tcp.TCPHDR_SYN) != 0;
        int mssOpt = 0, ws = -1;
        boolean sackPerm = false, ts;
        if (syn) {
            mssOpt = tp.advmss;
            ts = tp.tsOk;
            sackPerm = tp.sackOk;
            ws = tp.wscaleOk ? tp.rcvWscale : -1;
        } else {
            ts = tp.tsOk;
        }
        int[] sacks = null;
        int nsacks = 0;
        if (!syn && tp.sackOk && !tp.ooo.isEmpty()) {
            sacks = new int[8];
            int max = ts ? 3 : 4;
            for (var e : tp.ooo.entrySet()) {
                if (nsacks == max) break;
                sacks[2 * nsacks] = (int) (long) e.getKey();
                sacks[2 * nsacks + 1] = (int) (e.getKey() + e.getValue().length);
                nsacks++;
            }
        }
        int olen = TcpOptions.size(mssOpt, sackPerm, ts, ws, nsacks);
        int hlen = Tcp.HDR_LEN + olen;
        SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER, hlen + len);
        int th = skb.put(hlen);
        if (len > 0) {
            int at = skb.put(len);
            tp.sendq.get((int) (seq - tp.sendqSeq), skb.buf, at, len);
        }
        boolean ack = (flags & Tcp.TCPHDR_ACK) != 0;
        int window = syn ? Math.min(tp.rcvWnd, Tcp.U16_MAX) : selectWindow(tp);
        if (syn && ack) tp.rcvWup = tp.rcvNxt;
        // ECN (tcp_ecn_send): ECT on new data, CWR once after a reduction, ECE while the peer must be told of CE.
        int ecnBits = 0;
        if (tp.ecnOk && !syn) {
            if (len > 0 && seq >= tp.sndMax) {
                ecnBits = Ip.INET_ECN_ECT_0;
                if (tp.ecnQueueCwr) {
                    tp.ecnQueueCwr = false;
                    flags |= Tcp.TCPHDR_CWR;
                }
            }
            if (tp.ecnDemandCwr) flags |= Tcp.TCPHDR_ECE;
        }
        long urgOff = 0;
        if (tp.sndUp > seq && tp.sndUp <= seq + 0xffffL + len && len > 0) {
            urgOff = tp.sndUp - seq;
            flags |= Tcp.TCPHDR_URG;
        }
        skb.put16(th + Tcp.SOURCE, tp.sport);
        skb.put16(th + Tcp.DEST, tp.dport);
        skb.put32(th + Tcp.SEQ, (int) seq);
        skb.put32(th + Tcp.ACK_SEQ, ack ? (int) tp.rcvNxt : 0);
        skb.put8(th + Tcp.DOFF, (hlen / 4) << 4);
        skb.put8(th + Tcp.FLAGS, flags & 0xff);
        skb.put16(th + Tcp.WINDOW, window);
        skb.put16(th + Tcp.URG_PTR, (int) Math.min(urgOff, 0xffff));
        TcpOptions.write(skb.buf, th + Tcp.HDR_LEN, mssOpt, sackPerm, ts, tp.tsNow(), tp.tsRecent, ws, sacks, nsacks);
        int tlen = hlen + len;
        long sum = Checksum.partial(skb.buf, th, tlen, 0);
        if (rt instanceof Rt6Info rt6) {
            tp.outq.addLast(TcpIpv6.pending(tp, skb, th, tlen, sum, rt6, ecnBits));
        } else {
            skb.put16(th + Tcp.CHECK, Checksum.tcpudpMagic(tp.saddr, tp.daddr, tlen, In.IPPROTO_TCP, sum));
            IpOutput.Params p = new IpOutput.Params(tp.saddr, tp.daddr, In.IPPROTO_TCP,
                    (tp.tos & ~Ip.INET_ECN_MASK) | ecnBits, tp.ttl());
            p.df = tp.dontFragment();
            p.id = tp.inetId.getAndIncrement();
            p.priority = tp.priority;
            p.mark = tp.mark;
            tp.outq.addLast(new Pending(skb, (Rtable) rt, p));
        }
        tp.segsOut++;
        tp.tn.outSegs.increment();
        if ((flags & Tcp.TCPHDR_RST) != 0) tp.tn.outRsts.increment();
        if (len > 0) {
            tp.dataSegsOut++;
            tp.bytesSent += len;
            tp.lastDataSentMs = tp.nowMs();
            // tcp_event_data_sent: data sent soon after data came in means an interactive exchange.
            if (tp.nowMs() - tp.lrcvtimeMs < tp.atoUs / 1000) tp.pingpong = true;
        }
        tp.lsndtimeMs = tp.nowMs();
        if (ack) {
            // tcp_event_ack_sent
            tp.ackPending = false;
            tp.delackTimer.del();
            if (tp.quickAcks > 0 && !syn) tp.quickAcks--;
        }
    }

    // ---- connection setup

    /** The options a new connection offers: from the sysctls and the route (tcp_connect_init). */
    static void connectInit(TcpSock tp) {
        Dst rt = route(tp);
        tp.tsOk = tp.tn.timestamps != 0;
        tp.sackOk = tp.tn.sack != 0;
        tp.wscaleOk = tp.tn.windowScaling != 0;
        tp.advmss = advmss(tp, rt);
        tp.rcvMss = Math.min(tp.advmss, Tcp.TCP_MSS_DEFAULT);
        initialWindow(tp, tp.advmss - (tp.tsOk ? Tcp.TCPOLEN_TSTAMP_ALIGNED : 0));
        if (!tp.wscaleOk) tp.rcvWscale = 0;
    }

    /** tcp_connect: the SYN (with ECE|CWR when net.ipv4.tcp_ecn asks for ECN) and the retransmit timer. */
    static void connect(TcpSock tp) {
        connectInit(tp);
        tp.sndUna = tp.sndNxt = tp.sndMax = tp.iss;
        tp.writeSeq = tp.sendqSeq = tp.iss + 1;
        tp.sndSml = tp.iss;
        tp.rcvNxt = 0;
        tp.rcvWup = 0;
        tp.copiedSeq = 0;
        tp.retransStampMs = tp.nowMs();
        int flags = Tcp.TCPHDR_SYN;
        if (tp.tn.ecn == 1) flags |= Tcp.TCPHDR_ECE | Tcp.TCPHDR_CWR;
        tp.synFlags = flags;
        transmit(tp, tp.iss, 0, flags, true);
        tp.sndNxt = tp.sndMax = tp.iss + 1;
        tp.timedSeq = tp.iss;
        tp.timedStartNs = tp.nowNs();
        TcpTimers.resetRetransmit(tp, TcpSock.ICSK_TIME_RETRANS, tp.rtoUs);
    }

    /** tcp_make_synack: the SYN-ACK of a connection in SYN_RECV (ECE when ECN was accepted). */
    static void sendSynAck(TcpSock tp) {
        int flags = Tcp.TCPHDR_SYN | Tcp.TCPHDR_ACK;
        if (tp.ecnOk) flags |= Tcp.TCPHDR_ECE;
        transmit(tp, tp.iss, 0, flags, true);
    }

    // ---- data (tcp_push, tcp_write_xmit)

    /** tcp_push: sends what the windows and the Nagle mode allow. */
    static void push(TcpSock tp, int nagle) {
        writeXmit(tp, nagle);
    }

    static boolean canSendData(int st) {
        return st == Tcp.TCP_ESTABLISHED || st == Tcp.TCP_CLOSE_WAIT || st == Tcp.TCP_FIN_WAIT1
                || st == Tcp.TCP_CLOSING || st == Tcp.TCP_LAST_ACK;
    }

    /**
     * tcp_write_xmit: new (or, after a timeout, resent) segments from snd_nxt while the
     * peer's window and the congestion window allow; a partial segment waits while corked, or
     * under Nagle while a small segment is unacknowledged (Minshall's variant). When nothing
     * can go because the peer's window is shut, the zero-window probe timer runs.
     */
    static void writeXmit(TcpSock tp, int nagle) {
        if (!canSendData(tp.state)) return;
        int mss = mssNow(tp);
        boolean sent = false;
        tp.cwndLimited = false;
        while (true) {
            // Skip what the peer already holds (a go-back after a timeout resends only the holes).
            var sk = tp.sacked.floorEntry(tp.sndNxt);
            if (sk != null && sk.getValue() > tp.sndNxt) tp.sndNxt = Math.min(sk.getValue(), tp.endSeqAll());
            long end = tp.endSeqAll();
            if (tp.sndNxt >= end) break;
            long dataLeft = Math.max(0, tp.writeSeq - tp.sndNxt);
            int len = (int) Math.min(mss, dataLeft);
            var next = tp.sacked.ceilingEntry(tp.sndNxt + 1);
            if (next != null && next.getKey() < tp.sndNxt + len) len = (int) (next.getKey() - tp.sndNxt);
            boolean fin = tp.finQueued && tp.sndNxt + len == tp.writeSeq;
            if (tp.packetsInFlight() >= tp.sndCwnd) {
                tp.cwndLimited = true;
                break;
            }
            long wndEnd = tp.sndUna + tp.sndWnd;
            if (tp.sndNxt + len > wndEnd) {
                long usable = wndEnd - tp.sndNxt;
                boolean nothingOut = tp.sndNxt == tp.sndUna;
                if (usable <= 0 || (usable < Math.min(mss, tp.maxWindow >> 1) && !nothingOut)) {
                    if (nothingOut && tp.sndNxt < end) TcpTimers.checkProbeTimer(tp);
                    break;
                }
                len = (int) usable;
                fin = false;
            }
            if (len < mss && !fin && len == dataLeft && tp.sndNxt >= tp.sndMax) {
                // A partial last segment of new data: corking and Nagle may hold it back.
                if ((nagle & NAGLE_PUSH) == 0) {
                    if ((nagle & (NAGLE_CORK | NAGLE_MORE)) != 0 || tp.corked || tp.moreHeld) break;
                    if ((nagle & NAGLE_OFF) == 0 && !tp.nodelay && tp.sndNxt > tp.sndUna && tp.sndSml > tp.sndUna) break;
                }
            }
            if (len == 0 && !fin) break;
            sendData(tp, tp.sndNxt, len, fin);
            sent = true;
        }
        if (sent && !tp.rtxTimer.pending()) TcpTimers.resetRetransmit(tp, TcpSock.ICSK_TIME_RETRANS, tp.rtoUs);
    }

    /** One data segment (and FIN) at seq; a resend below snd_max is counted as a retransmission. */
    static void sendData(TcpSock tp, long seq, int len, boolean fin) {
        int flags = Tcp.TCPHDR_ACK;
        if (fin) flags |= Tcp.TCPHDR_FIN;
        if (len > 0 && seq + len == tp.writeSeq) flags |= Tcp.TCPHDR_PSH;
        boolean retrans = seq < tp.sndMax;
        transmit(tp, seq, len, flags, false);
        long end = seq + len + (fin ? 1 : 0);
        if (retrans) {
            tp.totalRetrans++;
            tp.bytesRetrans += len;
            tp.tn.retransSegs.increment();
            tp.timedSeq = -1; // Karn: no RTT sample across a retransmission
            if (tp.retransStampMs == 0) tp.retransStampMs = tp.nowMs();
        } else if (tp.timedSeq < 0) {
            tp.timedSeq = seq;
            tp.timedStartNs = tp.nowNs();
        }
        if (seq == tp.sndNxt) tp.sndNxt = end;
        if (end > tp.sndMax) tp.sndMax = end;
        if (len > 0 && len < tp.mssCache) tp.sndSml = end;
    }

    /** tcp_retransmit_skb of the first segment not SACKed at or after from (fast retransmit and recovery). */
    static void retransmitFrom(TcpSock tp, long from) {
        long seq = from;
        var sk = tp.sacked.floorEntry(seq);
        if (sk != null && sk.getValue() > seq) seq = sk.getValue();
        if (seq >= tp.sndMax) return;
        int mss = mssNow(tp);
        long dataEnd = Math.min(tp.writeSeq, tp.sndMax);
        int len = (int) Math.max(0, Math.min(mss, dataEnd - seq));
        var next = tp.sacked.ceilingEntry(seq + 1);
        if (next != null && next.getKey() < seq + len) len = (int) (next.getKey() - seq);
        boolean fin = tp.finQueued && seq + len == tp.writeSeq && tp.sndMax > tp.writeSeq;
        if (len == 0 && !fin) return;
        sendData(tp, seq, len, fin);
    }

    /** tcp_send_fin: the FIN goes after the queued data, at once if nothing holds it. */
    static void sendFin(TcpSock tp) {
        tp.finQueued = true;
        tp.corked = false;
        tp.moreHeld = false;
        writeXmit(tp, NAGLE_PUSH);
    }

    // ---- ACKs

    /** tcp_send_ack */
    static void sendAck(TcpSock tp) {
        if (tp.state == Tcp.TCP_CLOSE || tp.state == Tcp.TCP_LISTEN) return;
        transmit(tp, tp.sndNxt, 0, Tcp.TCPHDR_ACK, false);
    }

    /** tcp_send_delayed_ack: the ACK waits up to the ATO (40 ms at first, 200 ms at most) for data to ride on. */
    static void sendDelayedAck(TcpSock tp) {
        tp.ackPending = true;
        if (!tp.delackTimer.pending()) {
            long ato = Math.min(Math.max(tp.atoUs, TcpSock.TCP_ATO_MIN_US), TcpSock.TCP_DELACK_MAX_US);
            tp.delackTimer.modIn(ato * 1000);
        }
    }

    /**
     * tcp_cleanup_rbuf: after the reader took copied bytes, an ACK that was held goes now if
     * the window reopens enough to matter (doubling what the peer was last offered), so a
     * sender stalled on a full window resumes without waiting for a probe.
     */
    static void cleanupRbuf(TcpSock tp, int copied) {
        if (tp.state == Tcp.TCP_CLOSE || tp.state == Tcp.TCP_LISTEN || tp.state == Tcp.TCP_SYN_SENT) return;
        boolean timeToAck = false;
        if (tp.ackPending && (tp.rcvNxt - tp.rcvWup > tp.rcvMss || tp.recvq.isEmpty() && !tp.pingpong)) timeToAck = true;
        if (copied > 0 && !timeToAck && (tp.shutdown & TcpSock.RCV_SHUTDOWN) == 0) {
            int now = receiveWindow(tp);
            if (2L * now <= (tp.windowClamp > 0 ? tp.windowClamp : Integer.MAX_VALUE)) {
                int nw = selectWindowRaw(tp);
                if (nw != 0 && nw >= 2L * now) timeToAck = true;
            }
        }
        if (timeToAck) sendAck(tp);
    }

    // ---- resets

    /** tcp_send_active_reset: RST|ACK at the sequence number the peer accepts. */
    static void sendActiveReset(TcpSock tp) {
        if (tp.daddr == 0 || tp.dport == 0) return;
        long wndEnd = tp.sndUna + tp.sndWnd;
        long seq = tp.sndNxt <= wndEnd || tp.sndWnd == 0 ? tp.sndNxt : wndEnd;
        transmit(tp, seq, 0, Tcp.TCPHDR_RST | Tcp.TCPHDR_ACK, false);
    }

    /**
     * tcp_v4_send_reset: the answer to a segment for no connection. A segment with ACK gets
     * RST at its ack number; one without gets RST|ACK acknowledging it. A RST is never
     * answered.
     */
    static void sendReset(TcpNet tn, TcpSeg seg) {
        if (seg.rst()) return;
        int seq, ack, flags;
        if (seg.ack()) {
            seq = seg.ackSeq;
            ack = 0;
            flags = Tcp.TCPHDR_RST;
        } else {
            seq = 0;
            ack = seg.endSeq();
            flags = Tcp.TCPHDR_RST | Tcp.TCPHDR_ACK;
        }
        if (seg.v6()) {
            TcpIpv6.sendBare(tn, seg.daddr6, seg.saddr6, seg.iif, seg.dport, seg.sport, seq, ack, flags, 0, false, 0, 0);
        } else {
            sendBare(tn, seg.daddr, seg.saddr, seg.dport, seg.sport, seq, ack, flags, 0, false, 0, 0);
        }
        tn.outRsts.increment();
    }

    /** tcp_v4_timewait_ack: a TIME_WAIT connection acknowledges what it has. */
    static void sendTwAck(TimeWaitSock tw, TcpSeg seg) {
        int win = Math.min(tw.rcvWnd >> tw.rcvWscale, Tcp.U16_MAX);
        int tsval = tw.tsOk ? (int) (tw.timer.now() / 1_000_000L) + tw.tsOffset : 0;
        int tsecr = seg.opt.sawTstamp ? seg.opt.tsval : tw.tsRecent;
        if (tw.laddr6 != null) {
            TcpIpv6.sendBare(tw.tn, tw.laddr6, tw.raddr6, tw.boundDevIf, tw.lport, tw.rport, (int) tw.sndNxt, (int) tw.rcvNxt,
                    Tcp.TCPHDR_ACK, win, tw.tsOk, tsval, tsecr);
            return;
        }
        sendBare(tw.tn, tw.laddr, tw.raddr, tw.lport, tw.rport, (int) tw.sndNxt, (int) tw.rcvNxt, Tcp.TCPHDR_ACK, win,
                tw.tsOk, tsval, tsecr);
    }

    /**
     * The TCP header (and timestamp option) of a segment sent from no socket, RST or TIME_WAIT
     * ACK, for either family (tcp_v4_send_reset/tcp_v4_send_ack and tcp_v6_send_response build
     * the same header); the checksum is left 0 for the caller's pseudo-header.
     */
    static SkBuff bareSegment(int sport, int dport, int seq, int ack, int flags, int window, boolean ts, int tsval,
                              int tsecr) {
        int olen = ts ? Tcp.TCPOLEN_TSTAMP_ALIGNED : 0;
        int hlen = Tcp.HDR_LEN + olen;
        SkBuff skb = SkBuff.alloc(SkBuff.MAX_HEADER, hlen);
        int th = skb.put(hlen);
        skb.put16(th + Tcp.SOURCE, sport);
        skb.put16(th + Tcp.DEST, dport);
        skb.put32(th + Tcp.SEQ, seq);
        skb.put32(th + Tcp.ACK_SEQ, ack);
        skb.put8(th + Tcp.DOFF, (hlen / 4) << 4);
        skb.put8(th + Tcp.FLAGS, flags);
        skb.put16(th + Tcp.WINDOW, window);
        if (ts) TcpOptions.write(skb.buf, th + Tcp.HDR_LEN, 0, false, true, tsval, tsecr, -1, null, 0);
        return skb;
    }

    /** A segment from no socket (ip_send_unicast_reply): RSTs and TIME_WAIT ACKs, sent at once. */
    static void sendBare(TcpNet tn, int saddr, int daddr, int sport, int dport, int seq, int ack, int flags, int window,
                         boolean ts, int tsval, int tsecr) {
        SkBuff skb = bareSegment(sport, dport, seq, ack, flags, window, ts, tsval, tsecr);
        int th = skb.data, hlen = skb.len();
        long sum = Checksum.partial(skb.buf, th, hlen, 0);
        skb.put16(th + Tcp.CHECK, Checksum.tcpudpMagic(saddr, daddr, hlen, In.IPPROTO_TCP, sum));
        Flow4 fl = new Flow4(daddr, saddr, 0, 0, In.IPPROTO_TCP);
        fl.flags = Flow4.FLOWI_FLAG_ANYSRC;
        Rtable rt;
        try {
            rt = Route.output(tn.net, fl);
        } catch (ErrnoException e) {
            return;
        }
        IpOutput.Params p = new IpOutput.Params(saddr, daddr, In.IPPROTO_TCP, 0, tn.net.ipv4.ipDefaultTtl);
        p.df = true;
        tn.outSegs.increment();
        send(tn.net, new Pending(skb, rt, p));
    }

    // ---- probes

    /**
     * tcp_write_wakeup: a zero-window or keepalive probe. If the window has room, new data is
     * sent; otherwise a segment with an old sequence number (snd_una - 1) that the peer
     * must answer with an ACK showing its window (tcp_xmit_probe_skb).
     */
    static void writeWakeup(TcpSock tp) {
        if (tp.state == Tcp.TCP_CLOSE) return;
        long wndEnd = tp.sndUna + tp.sndWnd;
        if (tp.sndNxt < tp.endSeqAll() && tp.sndNxt < wndEnd) {
            int mss = mssNow(tp);
            int len = (int) Math.min(Math.min(mss, wndEnd - tp.sndNxt), Math.max(0, tp.writeSeq - tp.sndNxt));
            boolean fin = tp.finQueued && tp.sndNxt + len == tp.writeSeq;
            if (len > 0 || fin) {
                sendData(tp, tp.sndNxt, len, fin);
                return;
            }
        }
        transmit(tp, tp.sndUna - 1, 0, Tcp.TCPHDR_ACK, false);
    }
}
