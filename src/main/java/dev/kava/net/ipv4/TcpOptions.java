package dev.kava.net.ipv4;

import dev.kava.abi.Tcp;

/**
 * The options of one TCP segment (struct tcp_options_received, include/linux/tcp.h), as
 * tcp_parse_options (net/ipv4/tcp_input.c) reads them and tcp_options_write
 * (net/ipv4/tcp_output.c) writes them.
 */
public final class TcpOptions {
    /** MSS option value, 0 if absent (mss_clamp for SYNs). */
    public int mss;
    /** Window scale shift, -1 if absent. */
    public int wscale = -1;
    public boolean sackOk;
    public boolean sawTstamp;
    public int tsval, tsecr;
    /** SACK blocks as pairs of wire sequence numbers (start, end); numSacks of them. */
    public final int[] sacks = new int[8];
    public int numSacks;

    /**
     * tcp_parse_options: the options between the fixed header and doff*4. Malformed options
     * end the parse (as Linux does: "don't parse partial options"); MSS, window scale and
     * SACK-permitted count only on SYNs; a window scale above 14 is taken as 14.
     */
    public static TcpOptions parse(byte[] b, int off, int len, boolean syn) {
        TcpOptions o = new TcpOptions();
        int i = off, end = off + len;
        while (i < end) {
            int kind = b[i] & 0xff;
            if (kind == Tcp.TCPOPT_EOL) break;
            if (kind == Tcp.TCPOPT_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) break;
            int olen = b[i + 1] & 0xff;
            if (olen < 2 || i + olen > end) break;
            switch (kind) {
                case Tcp.TCPOPT_MSS -> {
                    if (olen == Tcp.TCPOLEN_MSS && syn) {
                        int v = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
                        if (v != 0) o.mss = v;
                    }
                }
                case Tcp.TCPOPT_WINDOW -> {
                    if (olen == Tcp.TCPOLEN_WINDOW && syn) o.wscale = Math.min(b[i + 2] & 0xff, Tcp.TCP_MAX_WSCALE);
                }
                case Tcp.TCPOPT_TIMESTAMP -> {
                    if (olen == Tcp.TCPOLEN_TIMESTAMP) {
                        o.sawTstamp = true;
                        o.tsval = get32(b, i + 2);
                        o.tsecr = get32(b, i + 6);
                    }
                }
                case Tcp.TCPOPT_SACK_PERM -> {
                    if (olen == Tcp.TCPOLEN_SACK_PERM && syn) o.sackOk = true;
                }
                case Tcp.TCPOPT_SACK -> {
                    int n = (olen - Tcp.TCPOLEN_SACK_BASE) / Tcp.TCPOLEN_SACK_PERBLOCK;
                    if (olen >= Tcp.TCPOLEN_SACK_BASE + Tcp.TCPOLEN_SACK_PERBLOCK
                            && (olen - Tcp.TCPOLEN_SACK_BASE) % Tcp.TCPOLEN_SACK_PERBLOCK == 0 && !syn) {
                        o.numSacks = Math.min(n, 4);
                        for (int k = 0; k < o.numSacks; k++) {
                            o.sacks[2 * k] = get32(b, i + 2 + 8 * k);
                            o.sacks[2 * k + 1] = get32(b, i + 6 + 8 * k);
                        }
                    }
                }
                default -> { }
            }
            i += olen;
        }
        return o;
    }

    private static int get32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static void put32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    /**
     * tcp_options_write: the options of a segment in Linux's layout. A SYN carries MSS, then
     * SACK-permitted folded with the timestamp (or NOP NOP SACK_PERM without one), then NOP and
     * window scale; other segments carry NOP NOP TIMESTAMP and NOP NOP SACK blocks.
     * Returns the bytes written (a multiple of 4).
     */
    public static int write(byte[] b, int off, int mss, boolean sackPerm, boolean ts, int tsval, int tsecr,
                            int wscale, int[] sacks, int numSacks) {
        int i = off;
        if (mss > 0) {
            b[i] = Tcp.TCPOPT_MSS;
            b[i + 1] = Tcp.TCPOLEN_MSS;
            b[i + 2] = (byte) (mss >>> 8);
            b[i + 3] = (byte) mss;
            i += 4;
        }
        if (ts) {
            if (sackPerm) {
                b[i] = Tcp.TCPOPT_SACK_PERM;
                b[i + 1] = Tcp.TCPOLEN_SACK_PERM;
            } else {
                b[i] = Tcp.TCPOPT_NOP;
                b[i + 1] = Tcp.TCPOPT_NOP;
            }
            b[i + 2] = Tcp.TCPOPT_TIMESTAMP;
            b[i + 3] = Tcp.TCPOLEN_TIMESTAMP;
            put32(b, i + 4, tsval);
            put32(b, i + 8, tsecr);
            i += 12;
        } else if (sackPerm) {
            b[i] = Tcp.TCPOPT_NOP;
            b[i + 1] = Tcp.TCPOPT_NOP;
            b[i + 2] = Tcp.TCPOPT_SACK_PERM;
            b[i + 3] = Tcp.TCPOLEN_SACK_PERM;
            i += 4;
        }
        if (wscale >= 0) {
            b[i] = Tcp.TCPOPT_NOP;
            b[i + 1] = Tcp.TCPOPT_WINDOW;
            b[i + 2] = Tcp.TCPOLEN_WINDOW;
            b[i + 3] = (byte) wscale;
            i += 4;
        }
        if (numSacks > 0) {
            b[i] = Tcp.TCPOPT_NOP;
            b[i + 1] = Tcp.TCPOPT_NOP;
            b[i + 2] = Tcp.TCPOPT_SACK;
            b[i + 3] = (byte) (Tcp.TCPOLEN_SACK_BASE + Tcp.TCPOLEN_SACK_PERBLOCK * numSacks);
            i += 4;
            for (int k = 0; k < numSacks; k++) {
                put32(b, i, sacks[2 * k]);
                put32(b, i + 4, sacks[2 * k + 1]);
                i += 8;
            }
        }
        return i - off;
    }

    /** The option bytes tcp_options_write will produce for these choices. */
    public static int size(int mss, boolean sackPerm, boolean ts, int wscale, int numSacks) {
        int n = 0;
        if (mss > 0) n += 4;
        if (ts) n += 12;
        else if (sackPerm) n += 4;
        if (wscale >= 0) n += 4;
        if (numSacks > 0) n += 4 + 8 * numSacks;
        return n;
    }
}
