package dev.kava.net.ipv4;

import dev.kava.abi.Errno;
import dev.kava.abi.Tcp;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

import java.nio.charset.StandardCharsets;

/**
 * The SOL_TCP options (do_tcp_setsockopt and do_tcp_getsockopt, net/ipv4/tcp.c), with
 * struct tcp_info (tcp_get_info). Options of features kava's TCP does not have are refused
 * as a kernel built without them refuses them: TCP-MD5 and TCP-AO (ENOPROTOOPT), Fast Open
 * and repair mode (EOPNOTSUPP, EPERM without CAP_NET_ADMIN).
 */
final class TcpSockopt {
    private TcpSockopt() {}

    /** TCP_FIN_TIMEOUT_MAX (s) */
    static final int TCP_FIN_TIMEOUT_MAX = 120;

    private static boolean netAdmin(Task t) {
        return t.group.cred.euid() == 0;
    }

    static void set(TcpSock tp, Task t, int optname, long optval, int optlen) {
        switch (optname) {
            case Tcp.TCP_CONGESTION -> {
                int n = Math.min(optlen, Tcp.TCP_CA_NAME_MAX - 1);
                if (n < 0) throw ErrnoException.of(Errno.EFAULT);
                byte[] b = t.mem.read(optval, n);
                int l = 0;
                while (l < n && b[l] != 0) l++;
                String name = new String(b, 0, l, StandardCharsets.ISO_8859_1);
                TcpCong cc = TcpCong.create(name);
                if (cc == null) throw ErrnoException.of(Errno.ENOENT);
                synchronized (tp) {
                    if (!cc.name().equals(tp.cc.name())) tp.cc = cc;
                }
                return;
            }
            case Tcp.TCP_ULP -> throw ErrnoException.of(Errno.ENOENT);
            case Tcp.TCP_MD5SIG, Tcp.TCP_MD5SIG_EXT -> throw ErrnoException.of(Errno.ENOPROTOOPT);
            case Tcp.TCP_FASTOPEN_KEY -> throw ErrnoException.of(netAdmin(t) ? Errno.EOPNOTSUPP : Errno.EPERM);
            default -> { }
        }
        if (optlen < 4) throw ErrnoException.of(Errno.EINVAL);
        int val = t.mem.read32(optval);
        synchronized (tp) {
            switch (optname) {
                case Tcp.TCP_MAXSEG -> {
                    if (val != 0 && (val < Tcp.TCP_MIN_MSS || val > Tcp.MAX_TCP_WINDOW)) throw ErrnoException.of(Errno.EINVAL);
                    tp.userMss = val;
                }
                case Tcp.TCP_NODELAY -> {
                    tp.nodelay = val != 0;
                    if (val != 0) TcpOutput.push(tp, TcpOutput.NAGLE_PUSH);
                }
                case Tcp.TCP_CORK -> {
                    tp.corked = val != 0;
                    if (val == 0) {
                        tp.moreHeld = false;
                        TcpOutput.push(tp, TcpOutput.NAGLE_PUSH);
                    }
                }
                case Tcp.TCP_THIN_LINEAR_TIMEOUTS -> {
                    if (val < 0 || val > 1) throw ErrnoException.of(Errno.EINVAL);
                    tp.thinLto = val != 0;
                }
                case Tcp.TCP_THIN_DUPACK -> {
                    if (val < 0 || val > 1) throw ErrnoException.of(Errno.EINVAL);
                }
                case Tcp.TCP_REPAIR, Tcp.TCP_REPAIR_QUEUE, Tcp.TCP_QUEUE_SEQ, Tcp.TCP_REPAIR_OPTIONS,
                     Tcp.TCP_REPAIR_WINDOW, Tcp.TCP_TIMESTAMP -> {
                    if (optname == Tcp.TCP_REPAIR && !netAdmin(t)) throw ErrnoException.of(Errno.EPERM);
                    if (optname != Tcp.TCP_REPAIR) throw ErrnoException.of(Errno.EPERM); // not in repair mode
                    throw ErrnoException.of(Errno.EOPNOTSUPP);
                }
                case Tcp.TCP_KEEPIDLE -> {
                    if (val < 1 || val > Tcp.MAX_TCP_KEEPIDLE) throw ErrnoException.of(Errno.EINVAL);
                    tp.keepIdle = val;
                    if (tp.keepalive && tp.state != Tcp.TCP_CLOSE && tp.state != Tcp.TCP_LISTEN) {
                        long idle = (tp.nowMs() - Math.max(tp.lrcvtimeMs, tp.lastAckRecvMs)) * 1_000_000L;
                        long left = TcpTimers.keepaliveTimeNs(tp) - idle;
                        tp.keepaliveTimer.modIn(Math.max(left, 0));
                    }
                }
                case Tcp.TCP_KEEPINTVL -> {
                    if (val < 1 || val > Tcp.MAX_TCP_KEEPINTVL) throw ErrnoException.of(Errno.EINVAL);
                    tp.keepIntvl = val;
                }
                case Tcp.TCP_KEEPCNT -> {
                    if (val < 1 || val > Tcp.MAX_TCP_KEEPCNT) throw ErrnoException.of(Errno.EINVAL);
                    tp.keepCnt = val;
                }
                case Tcp.TCP_SYNCNT -> {
                    if (val < 1 || val > Tcp.MAX_TCP_SYNCNT) throw ErrnoException.of(Errno.EINVAL);
                    tp.synCnt = val;
                }
                case Tcp.TCP_SAVE_SYN -> {
                    if (val < 0 || val > 1) throw ErrnoException.of(Errno.EINVAL);
                    tp.saveSyn = val;
                }
                case Tcp.TCP_LINGER2 -> {
                    if (val < 0) tp.linger2 = -1;
                    else tp.linger2 = Math.min(val, TCP_FIN_TIMEOUT_MAX);
                }
                case Tcp.TCP_DEFER_ACCEPT -> tp.deferAccept = secsToRetrans(val, 1, 120);
                case Tcp.TCP_WINDOW_CLAMP -> {
                    if (val == 0) {
                        if (tp.state != Tcp.TCP_CLOSE) throw ErrnoException.of(Errno.EINVAL);
                        tp.windowClamp = 0;
                    } else {
                        tp.windowClamp = Math.max(val, TcpSock.SOCK_MIN_RCVBUF / 2);
                    }
                }
                case Tcp.TCP_QUICKACK -> {
                    if ((val & 1) != 0) {
                        tp.pingpong = false;
                        tp.quickAcks = Tcp.TCP_MAX_QUICKACKS;
                        if (tp.ackPending) TcpOutput.sendAck(tp);
                    } else {
                        tp.pingpong = true;
                    }
                }
                case Tcp.TCP_USER_TIMEOUT -> {
                    if (val < 0) throw ErrnoException.of(Errno.EINVAL);
                    tp.userTimeoutMs = val;
                }
                case Tcp.TCP_NOTSENT_LOWAT -> {
                    tp.notsentLowat = val;
                    tp.wake(dev.kava.abi.Poll.POLLOUT);
                }
                case Tcp.TCP_INQ -> {
                    if (val > 1 || val < 0) throw ErrnoException.of(Errno.EINVAL);
                    tp.recvInq = val != 0;
                }
                case Tcp.TCP_TX_DELAY -> {
                    if (val != 0 && !netAdmin(t)) throw ErrnoException.of(Errno.EPERM);
                    if (val != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
                }
                case Tcp.TCP_FASTOPEN, Tcp.TCP_FASTOPEN_CONNECT, Tcp.TCP_FASTOPEN_NO_COOKIE ->
                        throw ErrnoException.of(Errno.EOPNOTSUPP);
                default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
            }
        }
    }

    /** secs_to_retrans: TCP_DEFER_ACCEPT's seconds as SYN-ACK retransmissions. */
    static int secsToRetrans(int seconds, int timeout, int rtoMax) {
        int res = 0;
        if (seconds > 0) {
            int period = timeout;
            res = 1;
            while (seconds > period && res < 255) {
                res++;
                timeout <<= 1;
                if (timeout > rtoMax) timeout = rtoMax;
                period += timeout;
            }
        }
        return res;
    }

    /** retrans_to_secs */
    static int retransToSecs(int retrans, int timeout, int rtoMax) {
        int period = 0;
        if (retrans > 0) {
            period = timeout;
            while (--retrans > 0) {
                timeout <<= 1;
                if (timeout > rtoMax) timeout = rtoMax;
                period += timeout;
            }
        }
        return period;
    }

    static void get(TcpSock tp, Task t, int optname, long optval, long optlenAddr) {
        int len = t.mem.read32(optlenAddr);
        if (len < 0) throw ErrnoException.of(Errno.EINVAL);
        int val;
        synchronized (tp) {
            switch (optname) {
                case Tcp.TCP_MAXSEG -> {
                    val = tp.mssCache;
                    if (tp.userMss != 0 && (tp.state == Tcp.TCP_CLOSE || tp.state == Tcp.TCP_LISTEN)) val = tp.userMss;
                }
                case Tcp.TCP_NODELAY -> val = tp.nodelay ? 1 : 0;
                case Tcp.TCP_CORK -> val = tp.corked ? 1 : 0;
                case Tcp.TCP_KEEPIDLE -> val = (int) (TcpTimers.keepaliveTimeNs(tp) / 1_000_000_000L);
                case Tcp.TCP_KEEPINTVL -> val = (int) (TcpTimers.keepaliveIntvlNs(tp) / 1_000_000_000L);
                case Tcp.TCP_KEEPCNT -> val = TcpTimers.keepaliveProbes(tp);
                case Tcp.TCP_SYNCNT -> val = tp.synCnt > 0 ? tp.synCnt : tp.tn.synRetries;
                case Tcp.TCP_LINGER2 -> val = tp.linger2 >= 0 ? (tp.linger2 != 0 ? tp.linger2 : tp.tn.finTimeout) : tp.linger2;
                case Tcp.TCP_DEFER_ACCEPT -> val = retransToSecs(tp.deferAccept, 1, 120);
                case Tcp.TCP_WINDOW_CLAMP -> val = tp.windowClamp;
                case Tcp.TCP_INFO -> {
                    byte[] info = info(tp);
                    len = Math.min(len, info.length);
                    t.mem.write32(optlenAddr, len);
                    t.mem.write(optval, info, 0, len);
                    return;
                }
                case Tcp.TCP_CC_INFO, Tcp.TCP_ULP, Tcp.TCP_SAVED_SYN -> {
                    // cubic and reno export no info; no upper layer protocol; no SYN saved.
                    t.mem.write32(optlenAddr, 0);
                    return;
                }
                case Tcp.TCP_QUICKACK -> val = tp.pingpong ? 0 : 1;
                case Tcp.TCP_CONGESTION -> {
                    len = Math.min(len, Tcp.TCP_CA_NAME_MAX);
                    byte[] name = new byte[Tcp.TCP_CA_NAME_MAX];
                    byte[] n = tp.cc.name().getBytes(StandardCharsets.ISO_8859_1);
                    System.arraycopy(n, 0, name, 0, n.length);
                    t.mem.write32(optlenAddr, len);
                    t.mem.write(optval, name, 0, len);
                    return;
                }
                case Tcp.TCP_THIN_LINEAR_TIMEOUTS -> val = tp.thinLto ? 1 : 0;
                case Tcp.TCP_THIN_DUPACK, Tcp.TCP_REPAIR, Tcp.TCP_FASTOPEN, Tcp.TCP_FASTOPEN_CONNECT,
                     Tcp.TCP_FASTOPEN_NO_COOKIE, Tcp.TCP_TX_DELAY -> val = 0;
                case Tcp.TCP_REPAIR_WINDOW, Tcp.TCP_QUEUE_SEQ, Tcp.TCP_REPAIR_QUEUE -> throw ErrnoException.of(Errno.EPERM);
                case Tcp.TCP_USER_TIMEOUT -> val = tp.userTimeoutMs;
                case Tcp.TCP_NOTSENT_LOWAT -> val = tp.notsentLowat;
                case Tcp.TCP_INQ -> val = tp.recvInq ? 1 : 0;
                case Tcp.TCP_SAVE_SYN -> val = tp.saveSyn;
                case Tcp.TCP_TIMESTAMP -> val = tp.tsNow();
                default -> throw ErrnoException.of(Errno.ENOPROTOOPT);
            }
        }
        len = Math.min(len, 4);
        byte[] b = new byte[4];
        Uaccess.putInt(b, 0, val);
        t.mem.write32(optlenAddr, len);
        t.mem.write(optval, b, 0, len);
    }

    /** jiffies_to_usecs of a µs value rounded up to HZ=250 jiffies, as tcp_info reports timers. */
    private static int jiffiesUs(long us) {
        long j = (us * TcpSock.HZ + 999_999) / 1_000_000;
        return (int) (j * (1_000_000 / TcpSock.HZ));
    }

    /** tcp_get_info: struct tcp_info of this socket. */
    static byte[] info(TcpSock tp) {
        byte[] b = new byte[Tcp.TCP_INFO_SIZE];
        int st = tp.state;
        b[Tcp.TCPI_STATE] = (byte) st;
        long srttUs = tp.srttUs8 >> 3;
        long rate = 0;
        if (srttUs > 0) {
            rate = (long) tp.mssCache * tp.sndCwnd * 1_000_000L / srttUs;
            rate = rate * (tp.inSlowStart() ? 200 : 120) / 100;
        }
        Uaccess.putLong(b, Tcp.TCPI_PACING_RATE, rate);
        long maxRate = tp.maxPacingRate;
        Uaccess.putLong(b, Tcp.TCPI_MAX_PACING_RATE, maxRate);
        Uaccess.putInt(b, Tcp.TCPI_REORDERING, tp.reordering);
        Uaccess.putInt(b, Tcp.TCPI_SND_CWND, tp.sndCwnd);
        if (st == Tcp.TCP_LISTEN) {
            Uaccess.putInt(b, Tcp.TCPI_UNACKED, tp.acceptq.size());
            Uaccess.putInt(b, Tcp.TCPI_SACKED, tp.maxAckBacklog);
            return b;
        }
        b[Tcp.TCPI_CA_STATE] = (byte) tp.caState;
        b[Tcp.TCPI_RETRANSMITS] = (byte) tp.retransmits;
        b[Tcp.TCPI_PROBES] = (byte) tp.probesOut;
        b[Tcp.TCPI_BACKOFF] = (byte) tp.backoff;
        int opts = 0;
        if (tp.tsOk) opts |= Tcp.TCPI_OPT_TIMESTAMPS;
        if (tp.sackOk) opts |= Tcp.TCPI_OPT_SACK;
        if (tp.wscaleOk) {
            opts |= Tcp.TCPI_OPT_WSCALE;
            b[Tcp.TCPI_WSCALE] = (byte) (tp.sndWscale | tp.rcvWscale << 4);
        }
        if (tp.ecnOk) opts |= Tcp.TCPI_OPT_ECN;
        if (tp.ecnSeen) opts |= Tcp.TCPI_OPT_ECN_SEEN;
        b[Tcp.TCPI_OPTIONS] = (byte) opts;
        Uaccess.putInt(b, Tcp.TCPI_RTO, jiffiesUs(tp.rtoUs));
        Uaccess.putInt(b, Tcp.TCPI_ATO, tp.everConnected ? jiffiesUs(tp.atoUs) : 0);
        Uaccess.putInt(b, Tcp.TCPI_SND_MSS, tp.mssCache);
        Uaccess.putInt(b, Tcp.TCPI_RCV_MSS, tp.everConnected || st == Tcp.TCP_SYN_SENT ? tp.rcvMss : 0);
        int mss = Math.max(1, tp.mssCache);
        long out = tp.sndMax - tp.sndUna;
        Uaccess.putInt(b, Tcp.TCPI_UNACKED, (int) ((out + mss - 1) / mss));
        Uaccess.putInt(b, Tcp.TCPI_SACKED, (int) ((tp.sackedBytes + mss - 1) / mss));
        long now = tp.nowMs();
        Uaccess.putInt(b, Tcp.TCPI_LAST_DATA_SENT, (int) (now - tp.lsndtimeMs));
        Uaccess.putInt(b, Tcp.TCPI_LAST_DATA_RECV, (int) (now - tp.lrcvtimeMs));
        Uaccess.putInt(b, Tcp.TCPI_LAST_ACK_RECV, (int) (now - tp.lastAckRecvMs));
        dev.kava.net.core.Dst rt = tp.curDst();
        Uaccess.putInt(b, Tcp.TCPI_PMTU, rt != null ? rt.mtu() : 0);
        Uaccess.putInt(b, Tcp.TCPI_RCV_SSTHRESH, tp.rcvWnd);
        Uaccess.putInt(b, Tcp.TCPI_RTT, (int) srttUs);
        Uaccess.putInt(b, Tcp.TCPI_RTTVAR, (int) (tp.mdevUs4 >> 2));
        Uaccess.putInt(b, Tcp.TCPI_SND_SSTHRESH, tp.sndSsthresh);
        Uaccess.putInt(b, Tcp.TCPI_ADVMSS, tp.advmss);
        Uaccess.putInt(b, Tcp.TCPI_RCV_SPACE, (int) tp.rcvSpaceBytes);
        Uaccess.putInt(b, Tcp.TCPI_TOTAL_RETRANS, tp.totalRetrans);
        Uaccess.putLong(b, Tcp.TCPI_BYTES_ACKED, tp.bytesAcked);
        Uaccess.putLong(b, Tcp.TCPI_BYTES_RECEIVED, tp.bytesReceived);
        Uaccess.putInt(b, Tcp.TCPI_SEGS_OUT, tp.segsOut);
        Uaccess.putInt(b, Tcp.TCPI_SEGS_IN, tp.segsIn);
        Uaccess.putInt(b, Tcp.TCPI_NOTSENT_BYTES, (int) Math.max(0, tp.writeSeq - Math.max(tp.sndNxt, tp.sendqSeq)));
        Uaccess.putInt(b, Tcp.TCPI_MIN_RTT, tp.minRttUs == 0 ? -1 : (int) tp.minRttUs);
        Uaccess.putInt(b, Tcp.TCPI_DATA_SEGS_IN, tp.dataSegsIn);
        Uaccess.putInt(b, Tcp.TCPI_DATA_SEGS_OUT, tp.dataSegsOut);
        Uaccess.putInt(b, Tcp.TCPI_DELIVERED, tp.delivered);
        Uaccess.putInt(b, Tcp.TCPI_DELIVERED_CE, tp.deliveredCe);
        Uaccess.putLong(b, Tcp.TCPI_BYTES_SENT, tp.bytesSent);
        Uaccess.putLong(b, Tcp.TCPI_BYTES_RETRANS, tp.bytesRetrans);
        Uaccess.putInt(b, Tcp.TCPI_RCV_OOOPACK, tp.rcvOoopack);
        Uaccess.putInt(b, Tcp.TCPI_SND_WND, tp.sndWnd);
        Uaccess.putInt(b, Tcp.TCPI_RCV_WND, tp.rcvWnd);
        b[Tcp.TCPI_TOTAL_RTO] = (byte) tp.totalRto;
        b[Tcp.TCPI_TOTAL_RTO + 1] = (byte) (tp.totalRto >> 8);
        Uaccess.putInt(b, Tcp.TCPI_RECEIVED_CE, tp.receivedCe);
        return b;
    }
}
