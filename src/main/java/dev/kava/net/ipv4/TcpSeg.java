package dev.kava.net.ipv4;

import dev.kava.abi.Tcp;
import dev.kava.net.core.SkBuff;

/**
 * A received segment as the input path sees it (TCP_SKB_CB, include/net/tcp.h): addresses,
 * ports, sequence numbers (on the wire, 32 bits), flags, window, options, and where the
 * payload is in the packet.
 */
final class TcpSeg {
    final SkBuff skb;
    final int saddr, daddr, sport, dport;
    /** The addresses of a segment that came over IPv6 (null over IPv4). */
    final byte[] saddr6, daddr6;
    final int seq, ackSeq, flags, window, urgPtr;
    /** The payload: buf offset and length (without SYN and FIN). */
    final int dataOff, len;
    /** The IP header's ECN field. */
    final int ecn;
    final int iif;
    final TcpOptions opt;

    TcpSeg(SkBuff skb, int saddr, int daddr, int ecn, int iif) {
        this(skb, saddr, daddr, null, null, ecn, iif);
    }

    /** A segment that came over IPv6. */
    TcpSeg(SkBuff skb, byte[] saddr6, byte[] daddr6, int ecn, int iif) {
        this(skb, 0, 0, saddr6, daddr6, ecn, iif);
    }

    private TcpSeg(SkBuff skb, int saddr, int daddr, byte[] saddr6, byte[] daddr6, int ecn, int iif) {
        this.skb = skb;
        this.saddr6 = saddr6;
        this.daddr6 = daddr6;
        int th = skb.transportHeader;
        this.saddr = saddr;
        this.daddr = daddr;
        this.ecn = ecn;
        this.iif = iif;
        sport = skb.get16(th + Tcp.SOURCE);
        dport = skb.get16(th + Tcp.DEST);
        seq = skb.get32(th + Tcp.SEQ);
        ackSeq = skb.get32(th + Tcp.ACK_SEQ);
        int doff = (skb.get8(th + Tcp.DOFF) >>> 4) * 4;
        flags = skb.get8(th + Tcp.FLAGS) | (skb.get8(th + Tcp.DOFF) & 1) << 8;
        window = skb.get16(th + Tcp.WINDOW);
        urgPtr = skb.get16(th + Tcp.URG_PTR);
        dataOff = th + doff;
        len = skb.tail - dataOff;
        opt = doff > Tcp.HDR_LEN ? TcpOptions.parse(skb.buf, th + Tcp.HDR_LEN, doff - Tcp.HDR_LEN, syn()) : new TcpOptions();
    }

    boolean v6() {
        return saddr6 != null;
    }

    boolean syn() {
        return (flags & Tcp.TCPHDR_SYN) != 0;
    }

    boolean ack() {
        return (flags & Tcp.TCPHDR_ACK) != 0;
    }

    boolean fin() {
        return (flags & Tcp.TCPHDR_FIN) != 0;
    }

    boolean rst() {
        return (flags & Tcp.TCPHDR_RST) != 0;
    }

    boolean urg() {
        return (flags & Tcp.TCPHDR_URG) != 0;
    }

    /** end_seq: seq + SYN + FIN + payload. */
    int endSeq() {
        return seq + len + (syn() ? 1 : 0) + (fin() ? 1 : 0);
    }
}
