package dev.kava.net.ipv4;

/**
 * CUBIC (net/ipv4/tcp_cubic.c) with Linux's constants: beta 717/1024, bic_scale 41, fast
 * convergence and TCP friendliness on. The window grows along W(t) = C(t-K)^3 + W_max from
 * the time of the last reduction. Differences from Linux: the cube root is computed exactly
 * (Linux uses a table and one Newton step, which may differ by one unit), and HyStart detects
 * only the RTT increase (the delay signal), not ACK trains.
 */
public final class TcpCubic implements TcpCong {
    static final int BICTCP_BETA_SCALE = 1024;
    static final int BICTCP_HZ = 10;
    static final int BETA = 717;
    static final int BIC_SCALE = 41;
    static final long CUBE_RTT_SCALE = BIC_SCALE * 10L;
    /** 2^(10+3*BICTCP_HZ) / cube_rtt_scale */
    static final long CUBE_FACTOR = (1L << (10 + 3 * BICTCP_HZ)) / CUBE_RTT_SCALE;
    /** beta_scale = 8*(BICTCP_BETA_SCALE+beta) / 3 / (BICTCP_BETA_SCALE - beta) */
    static final int BETA_SCALE = 8 * (BICTCP_BETA_SCALE + BETA) / 3 / (BICTCP_BETA_SCALE - BETA);
    /** hystart_low_window, HYSTART_MIN_SAMPLES, the delay thresholds (µs). */
    static final int HYSTART_LOW_WINDOW = 16, HYSTART_MIN_SAMPLES = 8;
    static final long HYSTART_DELAY_MIN = 4000, HYSTART_DELAY_MAX = 16000;

    /** Milliseconds are the jiffies of this implementation (Linux: HZ jiffies per second). */
    static final int HZ = 1000;

    int cnt;
    int lastMaxCwnd;
    int lastCwnd;
    long lastTime;
    int bicOriginPoint;
    int bicK;
    long delayMinUs;
    long epochStart;
    int ackCnt;
    int tcpCwnd;
    // HyStart
    boolean foundExit;
    long roundEndSeq;
    long currRttUs;
    int sampleCnt;

    @Override
    public String name() {
        return "cubic";
    }

    /** bictcp_reset + bictcp_hystart_reset */
    void reset() {
        cnt = 0;
        lastMaxCwnd = 0;
        lastCwnd = 0;
        lastTime = 0;
        bicOriginPoint = 0;
        bicK = 0;
        delayMinUs = 0;
        epochStart = 0;
        ackCnt = 0;
        tcpCwnd = 0;
        foundExit = false;
    }

    /** cubic_root: the integer cube root. */
    static int cubicRoot(long a) {
        if (a <= 0) return 0;
        long x = (long) Math.cbrt((double) a);
        while (cubeAtMost(x + 1, a)) x++;
        while (!cubeAtMost(x, a)) x--;
        return (int) x;
    }

    private static boolean cubeAtMost(long x, long a) {
        try {
            return Math.multiplyExact(Math.multiplyExact(x, x), x) <= a;
        } catch (ArithmeticException overflow) {
            return false;
        }
    }

    /** bictcp_update: the number of acks per one-segment increase (ca->cnt), now being ms since boot. */
    void update(int cwnd, int acked, long now) {
        ackCnt += acked;
        if (lastCwnd == cwnd && now - lastTime <= HZ / 32) return;
        if (!(epochStart != 0 && now == lastTime)) {
            lastCwnd = cwnd;
            lastTime = now;
            if (epochStart == 0) {
                epochStart = now == 0 ? 1 : now;
                ackCnt = acked;
                tcpCwnd = cwnd;
                if (lastMaxCwnd <= cwnd) {
                    bicK = 0;
                    bicOriginPoint = cwnd;
                } else {
                    bicK = cubicRoot(CUBE_FACTOR * (lastMaxCwnd - cwnd));
                    bicOriginPoint = lastMaxCwnd;
                }
            }
            long t = now - epochStart;
            t += (delayMinUs + 999) / 1000;
            t = (t << BICTCP_HZ) / HZ;
            long offs = t < bicK ? bicK - t : t - bicK;
            long delta = (CUBE_RTT_SCALE * offs * offs * offs) >> (10 + 3 * BICTCP_HZ);
            long bicTarget = t < bicK ? bicOriginPoint - delta : bicOriginPoint + delta;
            if (bicTarget > cwnd) cnt = (int) Math.max(1, cwnd / (bicTarget - cwnd));
            else cnt = 100 * cwnd;
            if (lastMaxCwnd == 0 && cnt > 20) cnt = 20;
        }
        // TCP friendliness: never slower than Reno would be.
        long delta = ((long) cwnd * BETA_SCALE) >> 3;
        if (delta > 0) {
            while (ackCnt > delta) {
                ackCnt -= delta;
                tcpCwnd++;
            }
        }
        if (tcpCwnd > cwnd) {
            int maxCnt = cwnd / (tcpCwnd - cwnd);
            if (cnt > maxCnt) cnt = maxCnt;
        }
        cnt = Math.max(cnt, 2);
    }

    @Override
    public void congAvoid(TcpSock tp, long ack, int acked) {
        if (!tp.isCwndLimited()) return;
        if (tp.inSlowStart()) {
            if (ack > roundEndSeq) hystartReset(tp);
            acked = TcpCong.slowStart(tp, acked);
            if (acked == 0) return;
        }
        update(tp.sndCwnd, acked, tp.nowMs());
        TcpCong.congAvoidAi(tp, cnt, acked);
    }

    /** cubictcp_recalc_ssthresh */
    @Override
    public int ssthresh(TcpSock tp) {
        epochStart = 0;
        int cwnd = tp.sndCwnd;
        if (cwnd < lastMaxCwnd) lastMaxCwnd = (cwnd * (BICTCP_BETA_SCALE + BETA)) / (2 * BICTCP_BETA_SCALE);
        else lastMaxCwnd = cwnd;
        return Math.max((cwnd * BETA) / BICTCP_BETA_SCALE, 2);
    }

    /** cubictcp_state: a timeout starts over. */
    @Override
    public void setState(TcpSock tp, int caState) {
        if (caState == dev.kava.abi.Tcp.TCP_CA_Loss) {
            reset();
            roundEndSeq = tp.sndNxt;
        }
    }

    private void hystartReset(TcpSock tp) {
        roundEndSeq = tp.sndNxt;
        currRttUs = Long.MAX_VALUE;
        sampleCnt = 0;
    }

    /** cubictcp_acked: the smallest delay seen, and HyStart's delay check in slow start. */
    @Override
    public void pktsAcked(TcpSock tp, int acked, long rttUs) {
        if (rttUs <= 0) return;
        if (epochStart != 0 && tp.nowMs() - epochStart < HZ) return; // discard delay samples right after a reduction
        if (delayMinUs == 0 || delayMinUs > rttUs) delayMinUs = rttUs;
        if (!foundExit && tp.inSlowStart() && tp.sndCwnd >= HYSTART_LOW_WINDOW) {
            if (sampleCnt < HYSTART_MIN_SAMPLES) {
                currRttUs = Math.min(currRttUs, rttUs);
                sampleCnt++;
            } else {
                long thresh = Math.max(HYSTART_DELAY_MIN, Math.min(delayMinUs >> 3, HYSTART_DELAY_MAX));
                if (currRttUs > delayMinUs + thresh) {
                    foundExit = true;
                    tp.sndSsthresh = tp.sndCwnd;
                }
            }
        }
    }
}
