package dev.kava.net.ipv4;

import dev.kava.lib.Checksum;
import dev.kava.net.core.FragTable;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;

/**
 * IPv4 fragmentation (ip_fragment / ip_do_fragment, net/ipv4/ip_output.c) and reassembly
 * (ip_defrag, net/ipv4/ip_fragment.c). A datagram longer than the path MTU without DF (or
 * whose sender lets the stack ignore DF) is cut into pieces of (MTU - header) rounded down to
 * 8 bytes, each with the header, MF on all but the last, and the offset in 8-byte units;
 * received fragments are put back together before the transport sees them.
 */
public final class IpFragment {
    private IpFragment() {}

    /** ipfrag_time: 30 s; ipfrag_high_thresh: 4 MiB. */
    static final long TIMEOUT = 30_000_000_000L;
    static final int HIGH_THRESH = 4 << 20;

    /** The key of a reassembly (struct frag_v4_compare_key): addresses, ID, protocol. */
    record Key(int saddr, int daddr, int id, int protocol) {}

    /** ip_do_fragment: the pieces of skb (IP header at networkHeader, no options of this host's). */
    static SkBuff[] fragment(NetnsIpv4 ip, SkBuff skb, int mtu) {
        int nh = skb.networkHeader;
        int ihl = (skb.get8(nh) & 0x0f) * 4;
        int total = skb.tail - nh - ihl;
        int max = (mtu - ihl) & ~7;
        var pieces = FragTable.split(total, max);
        int frag0 = skb.get16(nh + Ip.FRAG_OFF) & ~(Ip.IP_MF | Ip.IP_OFFSET);
        SkBuff[] out = new SkBuff[pieces.size()];
        for (int i = 0; i < out.length; i++) {
            int off = pieces.get(i)[0], len = pieces.get(i)[1];
            SkBuff f = SkBuff.alloc(SkBuff.MAX_HEADER, ihl + len);
            int h = f.putData(skb.buf, nh, ihl);
            f.networkHeader = h;
            f.putData(skb.buf, nh + ihl + off, len);
            f.transportHeader = h + ihl;
            boolean more = i < out.length - 1;
            f.put16(h + Ip.FRAG_OFF, frag0 | (off >> 3) | (more ? Ip.IP_MF : 0));
            f.put16(h + Ip.TOT_LEN, ihl + len);
            f.put16(h + Ip.CHECK, 0);
            f.put16(h + Ip.CHECK, Checksum.ipFastCsum(f.buf, h, ihl / 4));
            f.protocol = skb.protocol;
            f.priority = skb.priority;
            f.mark = skb.mark;
            f.dst = skb.dst;
            f.dev = skb.dev;
            out[i] = f;
            ip.mib.ip(IpMib.FRAG_CREATES);
        }
        ip.mib.ip(IpMib.FRAG_OKS);
        skb.free();
        return out;
    }

    /**
     * ip_defrag: skb is a fragment (IP header at networkHeader, data at the payload). Returns
     * the whole datagram (data at its transport header) once every piece is there, else null.
     */
    static SkBuff reassemble(Net net, SkBuff skb) {
        IpMib mib = net.ipv4.mib;
        mib.ip(IpMib.REASM_REQDS);
        int nh = skb.networkHeader;
        int ihl = (skb.get8(nh) & 0x0f) * 4;
        int fo = skb.get16(nh + Ip.FRAG_OFF);
        int offset = (fo & Ip.IP_OFFSET) << 3;
        boolean more = (fo & Ip.IP_MF) != 0;
        int len = skb.tail - nh - ihl;
        if (offset + len > Ip.IP_MAX_MTU - ihl || (more && (len & 7) != 0) || len <= 0) {
            mib.ip(IpMib.REASM_FAILS);
            return null;
        }
        Key key = new Key(skb.get32(nh + Ip.SADDR), skb.get32(nh + Ip.DADDR), skb.get16(nh + Ip.ID), skb.get8(nh + Ip.PROTOCOL));
        byte[] header = offset == 0 ? skb.bytes(nh, ihl) : null;
        FragTable.Queue[] done = new FragTable.Queue[1];
        int[] timedOut = {0};
        FragTable.Result r = net.ipv4.frags.add(key, offset, skb.bytes(nh + ihl, len), !more, header, 0, skb,
                net.realtimeNanos(), done, timedOut);
        for (int i = 0; i < timedOut[0]; i++) {
            mib.ip(IpMib.REASM_TIMEOUT);
            mib.ip(IpMib.REASM_FAILS);
        }
        if (r == FragTable.Result.DROPPED) {
            mib.ip(IpMib.REASM_FAILS);
            return null;
        }
        if (r != FragTable.Result.COMPLETE) return null;
        FragTable.Queue q = done[0];
        byte[] body = q.assemble();
        int hl = q.header.length;
        SkBuff n = SkBuff.alloc(SkBuff.MAX_HEADER, hl + body.length);
        int at = n.putData(q.header, 0, hl);
        n.putData(body, 0, body.length);
        n.networkHeader = at;
        n.put16(at + Ip.TOT_LEN, hl + body.length);
        n.put16(at + Ip.FRAG_OFF, n.get16(at + Ip.FRAG_OFF) & ~(Ip.IP_MF | Ip.IP_OFFSET));
        n.put16(at + Ip.CHECK, 0);
        n.put16(at + Ip.CHECK, Checksum.ipFastCsum(n.buf, at, hl / 4));
        n.data = at + hl;
        n.transportHeader = n.data;
        SkBuff first = q.first;
        n.dev = first.dev;
        n.skbIif = first.skbIif;
        n.protocol = first.protocol;
        n.pktType = first.pktType;
        n.tstamp = first.tstamp;
        n.dst = first.dst;
        n.mark = first.mark;
        n.cb = first.cb;
        mib.ip(IpMib.REASM_OKS);
        return n;
    }
}
