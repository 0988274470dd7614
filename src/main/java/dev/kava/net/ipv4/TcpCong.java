package dev.kava.net.ipv4;

import java.util.List;

/**
 * A congestion control algorithm (struct tcp_congestion_ops, include/net/tcp.h) and the
 * registry TCP_CONGESTION and net.ipv4.tcp_congestion_control choose from. Each connection has
 * its own instance (its private state is icsk_ca_priv). The window is counted in segments.
 */
public interface TcpCong {
    /** The names TCP_CONGESTION accepts, in net.ipv4.tcp_available_congestion_control's order. */
    List<String> AVAILABLE = List.of("reno", "cubic");

    String name();

    /** ssthresh: the slow-start threshold after a loss or ECN signal. */
    int ssthresh(TcpSock tp);

    /** cong_avoid: acked segments were newly acknowledged by ack. */
    void congAvoid(TcpSock tp, long ack, int acked);

    /** set_state: the connection entered loss recovery after a timeout (TCP_CA_Loss) or another state. */
    default void setState(TcpSock tp, int caState) {}

    /** pkts_acked: an RTT sample (µs; negative if none) for acked segments. */
    default void pktsAcked(TcpSock tp, int acked, long rttUs) {}

    /** A new instance of the algorithm called name, or null if there is none. */
    static TcpCong create(String name) {
        return switch (name) {
            case "cubic" -> new TcpCubic();
            case "reno" -> new Reno();
            default -> null;
        };
    }

    /** tcp_slow_start: grows cwnd by acked up to ssthresh; returns the acks left over for congestion avoidance. */
    static int slowStart(TcpSock tp, int acked) {
        int cwnd = (int) Math.min((long) tp.sndCwnd + acked, tp.sndSsthresh);
        acked -= cwnd - tp.sndCwnd;
        tp.sndCwnd = Math.min(cwnd, tp.sndCwndClamp);
        return acked;
    }

    /** tcp_cong_avoid_ai: one more segment per w acked. */
    static void congAvoidAi(TcpSock tp, int w, int acked) {
        if (tp.sndCwndCnt >= w) {
            tp.sndCwndCnt = 0;
            tp.sndCwnd++;
        }
        tp.sndCwndCnt += acked;
        if (tp.sndCwndCnt >= w) {
            int delta = tp.sndCwndCnt / w;
            tp.sndCwndCnt -= delta * w;
            tp.sndCwnd += delta;
        }
        tp.sndCwnd = Math.min(tp.sndCwnd, tp.sndCwndClamp);
    }

    /** TCP Reno (tcp_reno_ssthresh, tcp_reno_cong_avoid in net/ipv4/tcp_cong.c). */
    final class Reno implements TcpCong {
        @Override
        public String name() {
            return "reno";
        }

        @Override
        public int ssthresh(TcpSock tp) {
            return Math.max(tp.sndCwnd >> 1, 2);
        }

        @Override
        public void congAvoid(TcpSock tp, long ack, int acked) {
            if (!tp.isCwndLimited()) return;
            if (tp.inSlowStart()) {
                acked = slowStart(tp, acked);
                if (acked == 0) return;
            }
            congAvoidAi(tp, tp.sndCwnd, acked);
        }
    }
}
