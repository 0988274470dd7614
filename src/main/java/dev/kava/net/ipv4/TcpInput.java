package dev.kava.net.ipv4;

import dev.kava.abi.In;
import dev.kava.abi.Signal;
import dev.kava.abi.Tcp;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;
import dev.kava.lib.Checksum;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;

import java.util.Map;

import static dev.kava.abi.Poll.POLLIN;
import static dev.kava.abi.Poll.POLLOUT;
import static dev.kava.abi.Poll.POLLPRI;
import static dev.kava.abi.Poll.POLLRDHUP;
import static dev.kava.abi.Poll.POLLRDNORM;
import static dev.kava.abi.Poll.POLLWRNORM;

/**
 * TCP input (net/ipv4/tcp_ipv4.c's tcp_v4_rcv, tcp_input.c, tcp_minisocks.c): segment
 * validation and socket lookup, the listener's SYN handling (a new connection in SYN_RECV),
 * the state machine (tcp_rcv_state_process), ACK processing with RTT estimation, SACK,
 * duplicate-ACK fast retransmit and congestion control, urgent data, in-order and
 * out-of-order data, FIN, and the choice between an immediate and a delayed ACK.
 */
final class TcpInput implements NetProtocol {
    static final TcpInput INSTANCE = new TcpInput();

    private TcpInput() {}

    /** PAWS_WINDOW-free check: a timestamp older than 24 days is not used to reject (TCP_PAWS_24DAYS). */
    static final long TCP_PAWS_24DAYS_MS = 24L * 24 * 3600 * 1000;

    static long unwrap(int wire, long ref) {
        return ref + (int) (wire - (int) ref);
    }

    // ---- tcp_v4_rcv

    @Override
    public int rcv(SkBuff skb) {
        Net net = skb.dev.net;
        TcpNet tn = TcpNet.of(net);
        int th = skb.transportHeader;
        int len = skb.tail - th;
        if (len < Tcp.HDR_LEN) {
            tn.inErrs.increment();
            skb.free();
            return 0;
        }
        int doff = (skb.get8(th + Tcp.DOFF) >>> 4) * 4;
        if (doff < Tcp.HDR_LEN || doff > len) {
            tn.inErrs.increment();
            skb.free();
            return 0;
        }
        int nh = skb.networkHeader;
        int saddr = skb.get32(nh + Ip.SADDR), daddr = skb.get32(nh + Ip.DADDR);
        if (skb.ipSummed != SkBuff.CHECKSUM_UNNECESSARY
                && Checksum.tcpudpMagic(saddr, daddr, len, In.IPPROTO_TCP, Checksum.partial(skb.buf, th, len, 0)) != 0) {
            tn.inCsumErrors.increment();
            tn.inErrs.increment();
            skb.free();
            return 0;
        }
        if (skb.dst instanceof Rtable rt && rt.isBroadcast()) {
            skb.free();
            return 0;
        }
        int iif = skb.cb instanceof IpCb cb ? cb.iif : skb.skbIif;
        TcpSeg seg = new TcpSeg(skb, saddr, daddr, skb.get8(nh + Ip.TOS) & Ip.INET_ECN_MASK, iif);
        deliver(tn, seg, skb.get8(nh + Ip.TTL));
        return 0;
    }

    /**
     * The part of tcp_v4_rcv and tcp_v6_rcv after validation: the socket of the segment (a
     * TIME_WAIT slot may hand a new SYN to the listener), or a RST; then the listener's or the
     * connection's processing. ttl is the IPv4 TTL (IP_MINTTL) or -1.
     */
    static void deliver(TcpNet tn, TcpSeg seg, int ttl) {
        tn.inSegs.increment();
        Object o = tn.lookup(seg);
        if (o instanceof TimeWaitSock tw) {
            if (!tw.process(seg)) return;
            o = tn.lookupListener(seg);
        }
        if (!(o instanceof TcpSock sk)) {
            TcpOutput.sendReset(tn, seg);
            return;
        }
        if (ttl >= 0 && sk.minTtl > 0 && ttl < sk.minTtl) return;
        TcpSock child = null;
        boolean reset = false;
        synchronized (sk) {
            sk.segsIn++;
            if (sk.state == Tcp.TCP_LISTEN) {
                child = listenRcv(sk, seg);
            } else {
                reset = stateProcess(sk, seg);
            }
        }
        if (reset) TcpOutput.sendReset(tn, seg);
        if (child != null) child.unlockWork();
        sk.unlockWork();
    }

    @Override
    public int err(SkBuff skb, int type, int code, int info) {
        // ICMP errors about TCP segments (tcp_v4_err): a connection being set up learns of
        // unreachability as a soft error; established connections ignore them (RFC 1122 4.2.3.9).
        Net net = skb.dev != null ? skb.dev.net : null;
        if (net == null || !skb.mayPull(Ip.HDR_LEN + 8)) return 0;
        int ih = skb.data;
        int ihl = (skb.get8(ih) & 0x0f) * 4;
        int saddr = skb.get32(ih + Ip.SADDR), daddr = skb.get32(ih + Ip.DADDR);
        if (!skb.mayPull(ihl + 8)) return 0;
        int sport = skb.get16(ih + ihl), dport = skb.get16(ih + ihl + 2);
        Object o = TcpNet.of(net).ehash.get(new TcpNet.Key(saddr, sport, daddr, dport));
        if (!(o instanceof TcpSock sk)) return 0;
        int e = icmpErrConvert(type, code);
        if (e == 0) return 0;
        synchronized (sk) {
            if (sk.state == Tcp.TCP_SYN_SENT || sk.state == Tcp.TCP_SYN_RECV) {
                if (sk.recverr || e == dev.kava.abi.Errno.ECONNREFUSED) {
                    sk.err = e;
                    sk.wake(dev.kava.abi.Poll.POLLERR);
                    sk.done();
                } else {
                    sk.errSoft = e;
                }
            } else if (sk.recverr) {
                sk.err = e;
                sk.wake(dev.kava.abi.Poll.POLLERR);
            } else {
                sk.errSoft = e;
            }
        }
        sk.unlockWork();
        return 0;
    }

    /** icmp_err_convert: the errno an ICMP error means for a connection (0: none). */
    static int icmpErrConvert(int type, int code) {
        return switch (type) {
            case dev.kava.abi.Icmp.ICMP_DEST_UNREACH -> switch (code) {
                case dev.kava.abi.Icmp.ICMP_NET_UNREACH -> dev.kava.abi.Errno.ENETUNREACH;
                case dev.kava.abi.Icmp.ICMP_PROT_UNREACH -> dev.kava.abi.Errno.ENOPROTOOPT;
                case dev.kava.abi.Icmp.ICMP_PORT_UNREACH -> dev.kava.abi.Errno.ECONNREFUSED;
                case dev.kava.abi.Icmp.ICMP_FRAG_NEEDED -> 0; // path MTU: segments are sized by the route already
                case dev.kava.abi.Icmp.ICMP_SR_FAILED -> dev.kava.abi.Errno.EOPNOTSUPP;
                default -> dev.kava.abi.Errno.EHOSTUNREACH;
            };
            case dev.kava.abi.Icmp.ICMP_TIME_EXCEEDED -> dev.kava.abi.Errno.EHOSTUNREACH;
            case dev.kava.abi.Icmp.ICMP_PARAMETERPROB -> dev.kava.abi.Errno.EPROTO;
            default -> 0;
        };
    }

    static void init() {
        InetProtos.add(In.IPPROTO_TCP, INSTANCE);
    }

    // ---- LISTEN (tcp_v4_conn_request, tcp_openreq_init, tcp_create_openreq_child)

    /**
     * A segment for a listener: a RST is ignored, an ACK is answered with a RST, a SYN makes a
     * connection in SYN_RECV (unless the SYN or accept queue is full: then it is dropped and
     * the client retries), whose SYN-ACK carries the options both sides support.
     */
    private static TcpSock listenRcv(TcpSock lsk, TcpSeg seg) {
        if (seg.rst()) return null;
        if (seg.ack()) {
            TcpOutput.sendReset(lsk.tn, seg);
            return null;
        }
        if (!seg.syn() || seg.fin()) return null;
        if (lsk.synQlen >= Math.max(lsk.maxAckBacklog, 1) || lsk.acceptqFull()) return null;
        TcpNet tn = lsk.tn;
        TcpSock c = new TcpSock(lsk);
        if (seg.v6()) {
            TcpIpv6.initChild(lsk, c, seg);
        } else {
            c.rcvSaddr = c.saddr = seg.daddr;
            c.daddr = seg.saddr;
            if (c.family == dev.kava.abi.Socket.AF_INET6) TcpIpv6.initMappedChild(lsk, c);
        }
        c.dport = seg.sport;
        c.num = lsk.num;
        c.sport = lsk.num;
        c.state = Tcp.TCP_SYN_RECV;
        c.parent = lsk;
        TcpNet.Key key = c.key();
        if (tn.ehash.putIfAbsent(key, c) != null) return null;
        tn.addBound(c, lsk.num);
        lsk.synQlen++;
        synchronized (c) {
            c.irs = Integer.toUnsignedLong(seg.seq);
            c.rcvNxt = c.irs + 1;
            c.copiedSeq = c.rcvWup = c.rcvNxt;
            TcpOptions o = seg.opt;
            c.tsOk = o.sawTstamp && tn.timestamps != 0;
            if (c.tsOk) {
                c.tsRecent = o.tsval;
                c.tsRecentStampMs = c.nowMs();
            }
            c.sackOk = o.sackOk && tn.sack != 0;
            c.wscaleOk = o.wscale >= 0 && tn.windowScaling != 0;
            c.sndWscale = c.wscaleOk ? o.wscale : 0;
            c.mssClamp = o.mss > 0 ? o.mss : Tcp.TCP_MSS_DEFAULT;
            int ecnReq = Tcp.TCPHDR_ECE | Tcp.TCPHDR_CWR;
            c.ecnOk = (seg.flags & ecnReq) == ecnReq && tn.ecn != 0;
            c.iss = Integer.toUnsignedLong(tn.secureSeq(key, c.nowNs()));
            c.tsOffset = tn.secureTsOff(key);
            c.inetId.set((int) c.iss);
            dev.kava.net.core.Dst rt = TcpOutput.route(c);
            c.advmss = TcpOutput.advmss(c, rt);
            c.rcvMss = Math.min(c.advmss, c.mssClamp);
            TcpOutput.initialWindow(c, c.advmss - (c.tsOk ? Tcp.TCPOLEN_TSTAMP_ALIGNED : 0));
            if (!c.wscaleOk) c.rcvWscale = 0;
            c.sndWnd = seg.window;
            c.maxWindow = c.sndWnd;
            c.sndWl1 = c.irs;
            c.sndUna = c.iss;
            c.sndNxt = c.sndMax = c.iss + 1;
            c.writeSeq = c.sendqSeq = c.iss + 1;
            c.sndSml = c.iss;
            c.retransStampMs = c.nowMs();
            c.lrcvtimeMs = c.nowMs();
            TcpOutput.sendSynAck(c);
            c.timedSeq = c.iss;
            c.timedStartNs = c.nowNs();
            TcpTimers.resetRetransmit(c, TcpSock.ICSK_TIME_RETRANS, TcpSock.TCP_TIMEOUT_INIT_US);
        }
        tn.passiveOpens.increment();
        return c;
    }

    /** A connection in SYN_RECV that never completed (SYN-ACK retries exhausted or reset): gone. */
    static void dropRequest(TcpSock c) {
        c.requestGone = true;
        c.orphan = true;
        c.done();
    }

    // ---- tcp_rcv_state_process

    /** Returns true when the caller should answer the segment with a RST (tcp_v4_send_reset). */
    static boolean stateProcess(TcpSock tp, TcpSeg seg) {
        switch (tp.state) {
            case Tcp.TCP_CLOSE -> {
                return !seg.rst();
            }
            case Tcp.TCP_SYN_SENT -> {
                return synSent(tp, seg);
            }
            default -> {
                return synchronizedState(tp, seg);
            }
        }
    }

    /**
     * tcp_rcv_synsent_state_process: our SYN is out. An ACK for something else is reset; a RST
     * with an acceptable ACK refuses the connection; a SYN-ACK completes it with the options
     * the peer echoed.
     */
    private static boolean synSent(TcpSock tp, TcpSeg seg) {
        if (seg.ack()) {
            long ack = unwrap(seg.ackSeq, tp.sndUna);
            if (ack <= tp.iss || ack > tp.sndMax) return !seg.rst();
            if (seg.rst()) {
                tp.resetByPeer();
                return false;
            }
            if (!seg.syn()) return false;
            // tcp_ecn_rcv_synack: the peer's SYN-ACK answers an ECN request with ECE alone.
            takeSynOptions(tp, seg, Tcp.TCPHDR_ECE);
            tp.sndWl1 = unwrap(seg.seq, tp.irs);
            tp.sndUna = ack;
            synAcked(tp, seg, ack);
            TcpOutput.sendAck(tp);
            TcpOutput.writeXmit(tp, TcpOutput.NAGLE_PUSH);
            return false;
        }
        if (seg.rst() || !seg.syn()) return false; // no ACK: a RST is ignored, and so is anything but a SYN
        // A SYN without ACK: a simultaneous open with crossed SYNs (or a socket connected to
        // itself). SYN_RECV, our SYN again with an ACK of theirs; their SYN-ACK completes it.
        TcpOptions o = seg.opt;
        if (tp.tsOk && tp.tsRecent != 0 && o.sawTstamp && o.tsval - tp.tsRecent < 0) return false; // PAWS
        tp.setState(Tcp.TCP_SYN_RECV);
        // tcp_ecn_rcv_syn: ECN stays on only if both SYNs asked for it (ECE|CWR).
        takeSynOptions(tp, seg, Tcp.TCPHDR_ECE | Tcp.TCPHDR_CWR);
        tp.sndWl1 = tp.irs;
        TcpOutput.sendSynAck(tp);
        return false;
    }

    /**
     * What the peer's SYN (or SYN-ACK) sets up, as tcp_rcv_synsent_state_process takes it in
     * both of its branches: the initial receive sequence, timestamps, SACK and window scaling
     * if both ends offered them, the MSS, ECN if our SYN asked (ECE|CWR) and the peer's flags
     * answer with {@code ecnAnswer}, and the send window (a SYN's window is never scaled).
     */
    private static void takeSynOptions(TcpSock tp, TcpSeg seg, int ecnAnswer) {
        tp.irs = Integer.toUnsignedLong(seg.seq);
        tp.rcvNxt = tp.irs + 1;
        tp.copiedSeq = tp.rcvWup = tp.rcvNxt;
        TcpOptions o = seg.opt;
        tp.tsOk &= o.sawTstamp;
        if (tp.tsOk) {
            tp.tsRecent = o.tsval;
            tp.tsRecentStampMs = tp.nowMs();
        }
        tp.sackOk &= o.sackOk;
        if (tp.wscaleOk && o.wscale >= 0) {
            tp.sndWscale = o.wscale;
        } else {
            tp.wscaleOk = false;
            tp.sndWscale = tp.rcvWscale = 0;
            tp.windowClamp = Math.min(tp.windowClamp, Tcp.U16_MAX);
        }
        tp.mssClamp = o.mss > 0 ? o.mss : Tcp.TCP_MSS_DEFAULT;
        tp.rcvMss = Math.min(tp.advmss, tp.mssClamp);
        int ecnAsk = Tcp.TCPHDR_ECE | Tcp.TCPHDR_CWR;
        tp.ecnOk = (tp.synFlags & ecnAsk) == ecnAsk && (seg.flags & ecnAsk) == ecnAnswer;
        tp.sndWnd = seg.window;
        tp.maxWindow = Math.max(tp.sndWnd, 1);
    }

    /**
     * Our SYN was acked (in SYN_SENT by the SYN-ACK, in SYN_RECV by the handshake's ACK): the
     * handshake's RTT sample, the retransmission state cleared, then ESTABLISHED.
     */
    private static void synAcked(TcpSock tp, TcpSeg seg, long ack) {
        rttSampleOnAck(tp, seg, ack);
        tp.retransmits = 0;
        tp.backoff = 0;
        tp.retransStampMs = 0;
        tp.rtxTimer.del();
        tp.pendingTimer = 0;
        tp.lrcvtimeMs = tp.lastAckRecvMs = tp.nowMs();
        establish(tp);
    }

    /** tcp_finish_connect / tcp_init_transfer: ESTABLISHED, the initial windows, the send buffer sized for them. */
    static void establish(TcpSock tp) {
        tp.setState(Tcp.TCP_ESTABLISHED);
        tp.everConnected = true;
        tp.sndCwnd = TcpSock.TCP_INIT_CWND;
        tp.quickAcks = Tcp.TCP_MAX_QUICKACKS;
        TcpOutput.mssNow(tp);
        if ((tp.userlocks & TcpSock.SOCK_SNDBUF_LOCK) == 0) {
            int mss = Math.max(tp.mssCache, tp.advmss);
            int perMss = Integer.highestOneBit(mss + TcpSock.SNDBUF_PER_MSS_OVERHEAD - 1) << 1;
            perMss += 256;
            int nrSegs = Math.max(TcpSock.TCP_INIT_CWND, Math.max(tp.sndCwnd, tp.reordering + 1));
            long sndmem = 2L * nrSegs * perMss;
            if (tp.sndbuf < sndmem) tp.sndbuf = (int) Math.min(sndmem, tp.tn.wmem[2]);
        }
        tp.rcvSpaceBytes = Math.min(tp.rcvWnd, 10L * tp.advmss);
        tp.rcvSpaceTimeMs = tp.nowMs();
        if (tp.keepalive) TcpTimers.setKeepalive(tp, true);
        tp.wake(POLLOUT | POLLWRNORM);
    }

    /** Whether a segment falls in the receive window (tcp_sequence). */
    private static boolean inWindow(TcpSock tp, long seq, long endSeq) {
        return endSeq >= tp.rcvWup && seq <= tp.rcvNxt + TcpOutput.receiveWindow(tp);
    }

    /** The synchronized states: SYN_RECV and everything after ESTABLISHED. */
    private static boolean synchronizedState(TcpSock tp, TcpSeg seg) {
        long seq = unwrap(seg.seq, tp.rcvNxt);
        long endSeq = seq + seg.len + (seg.syn() ? 1 : 0) + (seg.fin() ? 1 : 0);
        TcpOptions o = seg.opt;
        boolean synRecv = tp.state == Tcp.TCP_SYN_RECV;
        if (synRecv && seg.syn() && !seg.ack() && seq == tp.irs) {
            // The client's SYN again: our SYN-ACK was lost (tcp_check_req).
            TcpOutput.sendSynAck(tp);
            return false;
        }
        // PAWS (RFC 7323): a segment older than the last timestamp seen is a duplicate.
        if (tp.tsOk && o.sawTstamp && !seg.rst() && tp.tsRecent != 0 && o.tsval - tp.tsRecent < 0
                && tp.nowMs() - tp.tsRecentStampMs < TCP_PAWS_24DAYS_MS) {
            if (!synRecv) oowAck(tp);
            return false;
        }
        if (!inWindow(tp, seq, endSeq) && !(seg.len == 0 && !seg.syn() && !seg.fin() && seq == tp.rcvNxt)) {
            if (!seg.rst()) {
                if (synRecv) return false;
                oowAck(tp);
            }
            return false;
        }
        if (seg.rst()) {
            // RFC 5961: only a RST at exactly rcv_nxt resets; another in the window gets a challenge ACK.
            if (seq == tp.rcvNxt || synRecv) {
                if (synRecv && tp.parent != null) dropRequest(tp);
                else tp.resetByPeer();
            } else {
                oowAck(tp); // challenge ACK
            }
            return false;
        }
        if (tp.tsOk && o.sawTstamp && seq <= tp.rcvWup) {
            tp.tsRecent = o.tsval;
            tp.tsRecentStampMs = tp.nowMs();
        }
        // The SYN-ACK that completes a simultaneous open (it acks our SYN and carries the
        // peer's, already counted in rcv_nxt) goes on as an ACK; any other SYN is answered
        // with a challenge ACK (RFC 5961 4.2), or dropped in SYN_RECV.
        boolean simultaneousSynAck = synRecv && tp.parent == null && seg.ack() && seg.len == 0 && seq + 1 == tp.rcvNxt
                && unwrap(seg.ackSeq, tp.sndUna) == tp.sndNxt;
        if (seg.syn() && !simultaneousSynAck) {
            if (synRecv) return false;
            oowAck(tp); // challenge ACK
            return false;
        }
        if (!seg.ack()) return false;
        long ack = unwrap(seg.ackSeq, tp.sndUna);
        if (synRecv) {
            if (ack <= tp.sndUna || ack > tp.sndMax) return true;
            TcpSock lsk = tp.parent;
            if (lsk != null && lsk.deferAccept > 0 && seg.len == 0 && !seg.fin() && tp.retransmits < lsk.deferAccept) {
                // TCP_DEFER_ACCEPT: a bare ACK does not complete the connection; data will (tcp_check_req).
                tp.deferAcked = true;
                return false;
            }
            tp.sndUna = ack;
            tp.sndWnd = seg.window << tp.sndWscale;
            tp.maxWindow = Math.max(tp.maxWindow, tp.sndWnd);
            tp.sndWl1 = seq;
            synAcked(tp, seg, ack);
            if (tp.parent != null) tp.toAccept = true;
        } else {
            int r = ack(tp, seg, seq, ack);
            if (r < 0) {
                // An ACK of data never sent (RFC 793 3.9) or far too old: dropped; a challenge ACK at most.
                if (ack <= tp.sndMax) oowAck(tp);
                return false;
            }
        }
        boolean finAcked = tp.finQueued && tp.sndUna >= tp.writeSeq + 1;
        switch (tp.state) {
            case Tcp.TCP_FIN_WAIT1 -> {
                if (finAcked) {
                    tp.setState(Tcp.TCP_FIN_WAIT2);
                    tp.shutdown |= TcpSock.SEND_SHUTDOWN;
                    tp.wake(0);
                    if (tp.orphan) {
                        if (tp.linger2 < 0) {
                            TcpOutput.sendActiveReset(tp);
                            tp.done();
                            return false;
                        }
                        long tmo = tp.finTimeNs();
                        if (tmo > TcpSock.TCP_TIMEWAIT_LEN_NS) {
                            tp.keepaliveTimer.modIn(tmo - TcpSock.TCP_TIMEWAIT_LEN_NS);
                        } else if (seg.fin() || seg.len > 0) {
                            tp.keepaliveTimer.modIn(tmo);
                        } else {
                            timeWait(tp, Tcp.TCP_FIN_WAIT2, tmo);
                            return false;
                        }
                    }
                }
            }
            case Tcp.TCP_CLOSING -> {
                if (finAcked) {
                    timeWait(tp, Tcp.TCP_TIME_WAIT, TcpSock.TCP_TIMEWAIT_LEN_NS);
                    return false;
                }
            }
            case Tcp.TCP_LAST_ACK -> {
                if (finAcked) {
                    tp.done();
                    return false;
                }
            }
            default -> { }
        }
        if (seg.urg()) urg(tp, seg, seq);
        switch (tp.state) {
            case Tcp.TCP_CLOSE_WAIT, Tcp.TCP_CLOSING, Tcp.TCP_LAST_ACK -> {
                if (seq < tp.rcvNxt) dataQueue(tp, seg, seq);
            }
            case Tcp.TCP_FIN_WAIT1, Tcp.TCP_FIN_WAIT2 -> {
                if ((tp.shutdown & TcpSock.RCV_SHUTDOWN) != 0 && seg.len > 0 && seq + seg.len > tp.rcvNxt) {
                    // Data for a socket the user closed for reading: nobody will read it.
                    tp.resetByPeer();
                    return true;
                }
                dataQueue(tp, seg, seq);
            }
            case Tcp.TCP_ESTABLISHED -> dataQueue(tp, seg, seq);
            default -> { }
        }
        if (tp.state != Tcp.TCP_CLOSE) {
            TcpOutput.writeXmit(tp, tp.nodelay ? TcpOutput.NAGLE_OFF : TcpOutput.NAGLE_ON);
            ackSndCheck(tp);
        }
        return false;
    }

    /** net.ipv4.tcp_invalid_ratelimit (ms): the least time between ACKs for out-of-window segments. */
    static final long TCP_INVALID_RATELIMIT_MS = 500;

    /**
     * tcp_send_dupack / tcp_send_challenge_ack behind tcp_oow_rate_limited: an ACK answering an
     * unacceptable segment, at most one per 500 ms, so two confused ends cannot ACK each other
     * forever.
     */
    static void oowAck(TcpSock tp) {
        long now = tp.nowMs();
        if (tp.lastOowAckMs != 0 && now - tp.lastOowAckMs < TCP_INVALID_RATELIMIT_MS) return;
        tp.lastOowAckMs = now;
        TcpOutput.sendAck(tp);
    }

    // ---- ACK processing (tcp_ack)

    /** The RTT of the segment timed by this ACK (Karn's rule: none once a retransmission happened). */
    private static void rttSampleOnAck(TcpSock tp, TcpSeg seg, long ack) {
        long sampleUs = -1;
        if (tp.timedSeq >= 0 && ack > tp.timedSeq) {
            sampleUs = Math.max(1, (tp.nowNs() - tp.timedStartNs) / 1000);
            tp.timedSeq = -1;
        }
        if (sampleUs > 0) rttEstimator(tp, sampleUs);
        tp.cc.pktsAcked(tp, 1, sampleUs);
    }

    /** tcp_rtt_estimator and tcp_set_rto (RFC 6298 as Linux computes it, µs; RTO at least srtt + 200 ms). */
    static void rttEstimator(TcpSock tp, long mUs) {
        long m = Math.max(1, mUs);
        long srtt = tp.srttUs8;
        long rtoMin = tp.rtoMinUs();
        if (tp.minRttUs == 0 || m < tp.minRttUs) tp.minRttUs = m;
        if (srtt != 0) {
            m -= srtt >> 3;
            srtt += m;
            if (m < 0) {
                m = -m;
                m -= tp.mdevUs4 >> 2;
                if (m > 0) m >>= 3;
            } else {
                m -= tp.mdevUs4 >> 2;
            }
            tp.mdevUs4 += m;
            if (tp.mdevUs4 > tp.mdevMaxUs) {
                tp.mdevMaxUs = tp.mdevUs4;
                if (tp.mdevMaxUs > tp.rttvarUs) tp.rttvarUs = tp.mdevMaxUs;
            }
            if (tp.sndUna > tp.rttSeq) {
                if (tp.mdevMaxUs < tp.rttvarUs) tp.rttvarUs -= (tp.rttvarUs - tp.mdevMaxUs) >> 2;
                tp.rttSeq = tp.sndNxt;
                tp.mdevMaxUs = rtoMin;
            }
        } else {
            srtt = m << 3;
            tp.mdevUs4 = m << 1;
            tp.rttvarUs = Math.max(tp.mdevUs4, rtoMin);
            tp.mdevMaxUs = tp.rttvarUs;
            tp.rttSeq = tp.sndNxt;
        }
        tp.srttUs8 = Math.max(1, srtt);
        tp.rtoUs = Math.min((tp.srttUs8 >> 3) + tp.rttvarUs, TcpSock.TCP_RTO_MAX_US);
    }

    /** tcp_sacktag_write_queue (a simple scoreboard): the peer's SACK blocks above snd_una, merged. */
    private static void sack(TcpSock tp, TcpOptions o) {
        for (int k = 0; k < o.numSacks; k++) {
            long s = unwrap(o.sacks[2 * k], tp.sndUna), e = unwrap(o.sacks[2 * k + 1], tp.sndUna);
            if (e <= s || e > tp.sndMax || s < tp.sndUna) continue; // D-SACKs and nonsense are ignored
            var lo = tp.sacked.floorEntry(s);
            if (lo != null && lo.getValue() >= s) {
                s = lo.getKey();
                e = Math.max(e, lo.getValue());
                tp.sacked.remove(lo.getKey());
            }
            while (true) {
                var hi = tp.sacked.ceilingEntry(s);
                if (hi == null || hi.getKey() > e) break;
                e = Math.max(e, hi.getValue());
                tp.sacked.remove(hi.getKey());
            }
            tp.sacked.put(s, e);
        }
        recountSacked(tp);
    }

    private static void recountSacked(TcpSock tp) {
        long n = 0;
        for (Map.Entry<Long, Long> en : tp.sacked.entrySet()) n += en.getValue() - en.getKey();
        tp.sackedBytes = n;
    }

    /**
     * tcp_ack: -1 for an ACK of data never sent or far too old; otherwise the window is
     * updated, acknowledged data leaves the send queue, the RTT is sampled, congestion control
     * grows the window or (on three duplicate ACKs, or SACKed data past the reordering degree)
     * fast retransmit starts recovery; ECE cuts the window once per round trip.
     */
    static int ack(TcpSock tp, TcpSeg seg, long seq, long ack) {
        long priorUna = tp.sndUna;
        if (ack > tp.sndMax) return -1;
        if (ack < priorUna) {
            if (ack < priorUna - tp.maxWindow) return -1;
            return 0; // an old ACK: nothing to do
        }
        tp.lastAckRecvMs = tp.nowMs();
        tp.probesOut = 0;
        long nwin = (long) seg.window << tp.sndWscale;
        boolean windowChanged = false;
        if (ack > priorUna || seq > tp.sndWl1 || (seq == tp.sndWl1 && nwin > tp.sndWnd)) {
            windowChanged = nwin != tp.sndWnd;
            tp.sndWnd = (int) Math.min(nwin, Integer.MAX_VALUE);
            tp.sndWl1 = seq;
            if (tp.sndWnd > tp.maxWindow) tp.maxWindow = tp.sndWnd;
            if (tp.sndWnd > 0 && tp.pendingTimer == TcpSock.ICSK_TIME_PROBE0) {
                tp.rtxTimer.del();
                tp.pendingTimer = 0;
                tp.backoff = 0;
            }
        }
        if (tp.sackOk && seg.opt.numSacks > 0) sack(tp, seg.opt);
        long acked = ack - priorUna;
        boolean ece = tp.ecnOk && (seg.flags & Tcp.TCPHDR_ECE) != 0;
        if (acked > 0) {
            long dataEnd = Math.min(ack, tp.writeSeq);
            if (dataEnd > tp.sendqSeq) {
                int drop = (int) (dataEnd - tp.sendqSeq);
                tp.sendq.drop(drop);
                tp.sendqSeq = dataEnd;
            }
            tp.sndUna = ack;
            if (tp.sndNxt < ack) tp.sndNxt = ack;
            tp.bytesAcked += acked;
            int mss = Math.max(1, tp.mssCache);
            int segs = (int) Math.max(1, (acked + mss - 1) / mss);
            tp.delivered += segs;
            while (!tp.sacked.isEmpty() && tp.sacked.firstKey() < ack) {
                var en = tp.sacked.pollFirstEntry();
                if (en.getValue() > ack) tp.sacked.put(ack, en.getValue());
            }
            recountSacked(tp);
            rttSampleOnAck(tp, seg, ack);
            if (tp.timedSeq < 0 && tp.tsOk && seg.opt.sawTstamp && seg.opt.tsecr != 0 && tp.retransmits == 0
                    && tp.srttUs8 == 0) {
                int d = tp.tsNow() - seg.opt.tsecr;
                if (d >= 0) rttEstimator(tp, Math.max(1, d * 1000L));
            }
            tp.retransmits = 0;
            tp.backoff = 0;
            tp.retransStampMs = 0;
            tp.dupAcks = 0;
            switch (tp.caState) {
                case Tcp.TCP_CA_Recovery -> {
                    if (ack >= tp.highSeq) {
                        tp.caState = Tcp.TCP_CA_Open;
                        tp.sndCwnd = Math.max(Math.min(tp.sndCwnd, tp.sndSsthresh), 2);
                    } else {
                        TcpOutput.retransmitFrom(tp, tp.sndUna);
                    }
                }
                case Tcp.TCP_CA_Loss -> {
                    if (ack >= tp.highSeq) tp.caState = Tcp.TCP_CA_Open;
                    tp.cc.congAvoid(tp, ack, segs);
                }
                case Tcp.TCP_CA_CWR -> {
                    if (ack >= tp.cwrHighSeq) tp.caState = Tcp.TCP_CA_Open;
                }
                default -> tp.cc.congAvoid(tp, ack, segs);
            }
            if (ece && tp.caState == Tcp.TCP_CA_Open) {
                // tcp_enter_cwr: one reduction per window of data.
                tp.sndSsthresh = tp.cc.ssthresh(tp);
                tp.sndCwnd = Math.max(tp.sndSsthresh, 2);
                tp.caState = Tcp.TCP_CA_CWR;
                tp.cwrHighSeq = tp.sndMax;
                tp.ecnQueueCwr = true;
            }
            TcpTimers.rearmRto(tp);
            if (tp.streamWriteable()) tp.wake(POLLOUT | POLLWRNORM);
        } else if (seg.len == 0 && !seg.fin() && !windowChanged && tp.sndMax > tp.sndUna) {
            tp.dupAcks++;
            int mss = Math.max(1, tp.mssCache);
            boolean sackTrigger = tp.sackOk && tp.sackedBytes > (long) tp.reordering * mss;
            if ((tp.dupAcks >= tp.reordering || sackTrigger)
                    && (tp.caState == Tcp.TCP_CA_Open || tp.caState == Tcp.TCP_CA_CWR || tp.caState == Tcp.TCP_CA_Disorder)) {
                // Fast retransmit (RFC 5681 / 6675): the window halves (cubic: to 0.7), the hole goes again.
                tp.highSeq = tp.sndMax;
                tp.sndSsthresh = tp.cc.ssthresh(tp);
                tp.sndCwnd = Math.max(tp.sndSsthresh, 2);
                tp.caState = Tcp.TCP_CA_Recovery;
                TcpOutput.retransmitFrom(tp, tp.sndUna);
            } else if (tp.caState == Tcp.TCP_CA_Open && tp.sackOk && !tp.sacked.isEmpty()) {
                tp.caState = Tcp.TCP_CA_Disorder;
            }
        }
        return 1;
    }

    // ---- urgent data (tcp_check_urg, tcp_urg)

    private static void urg(TcpSock tp, TcpSeg seg, long seq) {
        int ptr = seg.urgPtr;
        if (ptr == 0) return;
        long urgSeq = seq + ptr - 1;
        if (urgSeq < tp.copiedSeq) return;
        if (tp.urgActive() && urgSeq <= tp.urgSeq) return;
        tp.sigurgPending = true; // sent by unlockWork: signals are not sent under the socket lock
        tp.urgSeq = urgSeq;
        tp.urgValid = false;
        tp.urgRead = false;
        long off = urgSeq - seq;
        if (off >= 0 && off < seg.len) {
            tp.urgData = seg.skb.buf[seg.dataOff + (int) off] & 0xff;
            tp.urgValid = true;
            tp.wake(POLLPRI | POLLIN | POLLRDNORM);
        }
    }

    /** sk_send_sigurg: SIGURG to the owner of the socket file (FIOSETOWN / F_SETOWN). */
    static void sendSigurg(TcpSock tp) {
        var f = tp.socket;
        var k = tp.net.kernel;
        int who = f == null ? 0 : f.owner();
        if (who == 0 || k == null) return;
        SigInfo si = SigInfo.user(Signal.SIGURG, SigInfo.SI_KERNEL, 0, 0);
        if (who > 0) {
            var g = k.findGroup(who);
            if (g != null) Signals.sendToGroup(g, si);
        } else {
            for (var g : k.groupsInPgid(-who)) Signals.sendToGroup(g, si);
        }
    }

    // ---- data (tcp_data_queue)

    /**
     * Queues the payload: in order it joins the receive queue (and pulls in what waited out of
     * order), out of order it waits in the out-of-order queue and is SACKed at once, old or
     * out-of-window data only gets a duplicate ACK; a FIN in sequence ends the stream.
     */
    static void dataQueue(TcpSock tp, TcpSeg seg, long seq) {
        if (seg.len == 0 && !seg.fin()) return;
        if (tp.ecnOk) {
            if (seg.ecn == Ip.INET_ECN_CE) {
                tp.ecnDemandCwr = true;
                tp.receivedCe++;
            }
            if (seg.ecn != Ip.INET_ECN_NOT_ECT) tp.ecnSeen = true;
        }
        if ((seg.flags & Tcp.TCPHDR_CWR) != 0) tp.ecnDemandCwr = false;
        tp.lrcvtimeMs = tp.nowMs();
        long end = seq + seg.len;
        if (seg.len > 0) tp.dataSegsIn++;
        if (seq <= tp.rcvNxt && end + (seg.fin() ? 1 : 0) > tp.rcvNxt) {
            // In sequence (perhaps overlapping what we have).
            int skip = (int) (tp.rcvNxt - seq);
            int n = seg.len - skip;
            if (n > 0) {
                if (TcpOutput.receiveWindow(tp) == 0 || (long) tp.recvq.size() + tp.oooBytes + n > (long) tp.rcvbuf * 2) {
                    // No room: drop it and tell the peer our window (tcp_prune_queue failing).
                    TcpOutput.sendAck(tp);
                    return;
                }
                tp.recvq.append(seg.skb.buf, seg.dataOff + skip, n);
                tp.rcvNxt += n;
                tp.bytesReceived += n;
                tp.lastDataRecvMs = tp.nowMs();
                tp.rcvMss = Math.max(tp.rcvMss, Math.min(seg.len, tp.advmss));
                tp.wake(POLLIN | POLLRDNORM);
            }
            boolean hadOoo = !tp.ooo.isEmpty();
            if (seg.fin() && tp.rcvNxt == end) fin(tp);
            else pullOoo(tp);
            if (hadOoo) tp.quickAcks = Math.max(tp.quickAcks, 1);
            tp.ackPending = true;
            return;
        }
        if (end + (seg.fin() ? 1 : 0) <= tp.rcvNxt) {
            // All old: a duplicate; say where we are at once.
            TcpOutput.sendAck(tp);
            return;
        }
        if (seq > tp.rcvNxt + TcpOutput.receiveWindow(tp)) {
            TcpOutput.sendAck(tp);
            return;
        }
        // Out of order.
        tp.rcvOoopack++;
        if ((long) tp.recvq.size() + tp.oooBytes + seg.len > (long) tp.rcvbuf * 2) {
            TcpOutput.sendAck(tp);
            return;
        }
        if (seg.len > 0) {
            byte[] data = new byte[seg.len];
            System.arraycopy(seg.skb.buf, seg.dataOff, data, 0, seg.len);
            oooInsert(tp, seq, data);
        }
        if (seg.fin()) tp.oooFinSeq = end;
        TcpOutput.sendAck(tp);
    }

    /** Adds [seq, seq+len) to the out-of-order queue, keeping only bytes not already held. */
    private static void oooInsert(TcpSock tp, long seq, byte[] data) {
        long s = seq, e = seq + data.length;
        var lo = tp.ooo.floorEntry(s);
        if (lo != null && lo.getKey() + lo.getValue().length >= e) return; // already have all of it
        if (lo != null && lo.getKey() + lo.getValue().length > s) {
            int cut = (int) (lo.getKey() + lo.getValue().length - s);
            s += cut;
        }
        // Drop entries the new data covers; stop it short of the next one it overlaps.
        while (true) {
            var hi = tp.ooo.ceilingEntry(s);
            if (hi == null || hi.getKey() >= e) break;
            long hiEnd = hi.getKey() + hi.getValue().length;
            if (hiEnd <= e) {
                tp.ooo.remove(hi.getKey());
                tp.oooBytes -= hi.getValue().length;
            } else {
                e = hi.getKey();
                break;
            }
        }
        if (e <= s) return;
        byte[] part = java.util.Arrays.copyOfRange(data, (int) (s - seq), (int) (e - seq));
        tp.ooo.put(s, part);
        tp.oooBytes += part.length;
    }

    /** tcp_ofo_queue: out-of-order data that now follows rcv_nxt moves to the receive queue. */
    private static void pullOoo(TcpSock tp) {
        while (!tp.ooo.isEmpty() && tp.ooo.firstKey() <= tp.rcvNxt) {
            var en = tp.ooo.pollFirstEntry();
            byte[] d = en.getValue();
            tp.oooBytes -= d.length;
            long end = en.getKey() + d.length;
            if (end > tp.rcvNxt) {
                int skip = (int) (tp.rcvNxt - en.getKey());
                tp.recvq.append(d, skip, d.length - skip);
                tp.bytesReceived += d.length - skip;
                tp.rcvNxt = end;
                tp.wake(POLLIN | POLLRDNORM);
            }
        }
        if (tp.oooFinSeq >= 0 && tp.oooFinSeq == tp.rcvNxt) fin(tp);
    }

    /**
     * tcp_fin: the peer will send no more. ESTABLISHED goes to CLOSE_WAIT, FIN_WAIT1 to CLOSING,
     * FIN_WAIT2 to TIME_WAIT; readers see EOF after the data.
     */
    static void fin(TcpSock tp) {
        tp.rcvNxt++;
        tp.finRcvd = true;
        tp.oooFinSeq = -1;
        tp.shutdown |= TcpSock.RCV_SHUTDOWN;
        tp.ackPending = true;
        switch (tp.state) {
            case Tcp.TCP_SYN_RECV, Tcp.TCP_ESTABLISHED -> {
                tp.setState(Tcp.TCP_CLOSE_WAIT);
                tp.pingpong = true;
            }
            case Tcp.TCP_FIN_WAIT1 -> {
                TcpOutput.sendAck(tp);
                tp.setState(Tcp.TCP_CLOSING);
            }
            case Tcp.TCP_FIN_WAIT2 -> {
                TcpOutput.sendAck(tp);
                timeWait(tp, Tcp.TCP_TIME_WAIT, TcpSock.TCP_TIMEWAIT_LEN_NS);
            }
            default -> { }
        }
        tp.ooo.clear();
        tp.oooBytes = 0;
        tp.wake(POLLIN | POLLRDNORM | POLLRDHUP);
    }

    /**
     * tcp_time_wait: the connection leaves its four-tuple (and port) to a TIME_WAIT entry for
     * timeo and is done; the user's socket, if still open, reads what is left and then EOF.
     */
    static void timeWait(TcpSock tp, int substate, long timeoNs) {
        TimeWaitSock tw = new TimeWaitSock(tp, substate);
        TcpNet tn = tp.tn;
        if (tn.ehash.replace(tw.key, tp, tw)) {
            tn.addBound(tw, tw.lport);
            tw.schedule(substate == Tcp.TCP_TIME_WAIT ? TcpSock.TCP_TIMEWAIT_LEN_NS : timeoNs);
        }
        tp.done();
    }

    /** tcp_ack_snd_check: an ACK now (more than a full segment unacknowledged, quick-ack mode, a hole) or delayed. */
    static void ackSndCheck(TcpSock tp) {
        if (!tp.ackPending) return;
        boolean quick = tp.quickAcks > 0 && !tp.pingpong;
        if ((tp.rcvNxt - tp.rcvWup > tp.rcvMss && TcpOutput.selectWindowRaw(tp) >= tp.rcvWnd) || quick
                || !tp.ooo.isEmpty() || tp.finRcvd && tp.state != Tcp.TCP_CLOSE_WAIT) {
            TcpOutput.sendAck(tp);
        } else {
            TcpOutput.sendDelayedAck(tp);
        }
    }

    /**
     * tcp_rcv_space_adjust (dynamic right-sizing, simplified): when the reader drained more
     * than the receive buffer's measure within a round trip, the buffer grows (to at most
     * tcp_rmem[2]) so the advertised window keeps up with it. A buffer set by SO_RCVBUF stays.
     */
    static void rcvSpaceAdjust(TcpSock tp) {
        long now = tp.nowMs();
        long rtt = Math.max(1, (tp.srttUs8 >> 3) / 1000);
        if (now - tp.rcvSpaceTimeMs < rtt) return;
        long copied = tp.rcvSpaceCopied;
        tp.rcvSpaceCopied = 0;
        tp.rcvSpaceTimeMs = now;
        if (copied <= tp.rcvSpaceBytes) return;
        tp.rcvSpaceBytes = copied;
        if (tp.tn.moderateRcvbuf == 0 || (tp.userlocks & TcpSock.SOCK_RCVBUF_LOCK) != 0) return;
        long want = 4 * copied + 16L * tp.advmss;
        int nb = (int) Math.min(want, tp.tn.rmem[2]);
        if (nb > tp.rcvbuf) tp.rcvbuf = nb;
    }
}
