package dev.kava.net.ipv6;

import dev.kava.abi.Icmpv6;
import dev.kava.abi.In6;
import dev.kava.net.core.FragTable;
import dev.kava.net.core.Net;
import dev.kava.net.core.SkBuff;
import dev.kava.net.ipv4.IpMib;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * IPv6 fragmentation (ip6_fragment, net/ipv6/ip6_output.c) and reassembly (ipv6_frag_rcv,
 * net/ipv6/reassembly.c). A packet this host sends that exceeds the path MTU is cut into
 * fragments of (MTU - 48) bytes rounded down to 8 behind a fragment header; received fragments
 * are put back together and the datagram goes on as if it had come whole.
 */
public final class Ip6Fragment {
    private Ip6Fragment() {}

    /** sizeof(struct frag_hdr) */
    static final int FRAG_HDR_LEN = 8;
    /** ip6frag_time: 60 s; ip6frag_high_thresh: 4 MiB. */
    static final long TIMEOUT = 60_000_000_000L;
    static final int HIGH_THRESH = 4 << 20;
    private static final AtomicInteger IDENT = new AtomicInteger((int) System.nanoTime() * 0x2545F491);

    /** The key of a reassembly: source, destination, identification. */
    record Key(byte[] saddr, byte[] daddr, int id) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.id == id && Arrays.equals(k.saddr, saddr) && Arrays.equals(k.daddr, daddr);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(saddr) * 31 + Arrays.hashCode(daddr) * 17 + id;
        }
    }

    /**
     * ip6_fragment: skb holds a whole packet (IPv6 header at networkHeader, no extension
     * headers of this host's). Returns the fragments, each with its own IPv6 and fragment
     * header, ready for the link layer.
     */
    static SkBuff[] fragment(NetnsIpv6 ip, SkBuff skb, int mtu) {
        int nh = skb.networkHeader;
        int nexthdr = skb.get8(nh + Ip6Hdr.NEXTHDR);
        byte[] payload = skb.bytes(nh + In6.IPV6_HDR_LEN, skb.tail - nh - In6.IPV6_HDR_LEN);
        int max = (mtu - In6.IPV6_HDR_LEN - FRAG_HDR_LEN) & ~7;
        int id = IDENT.getAndIncrement();
        var pieces = FragTable.split(payload.length, max);
        SkBuff[] out = new SkBuff[pieces.size()];
        for (int i = 0; i < out.length; i++) {
            int off = pieces.get(i)[0], len = pieces.get(i)[1];
            boolean more = i < out.length - 1;
            SkBuff f = SkBuff.alloc(SkBuff.MAX_HEADER, In6.IPV6_HDR_LEN + FRAG_HDR_LEN + len);
            int h = f.put(In6.IPV6_HDR_LEN);
            System.arraycopy(skb.buf, nh, f.buf, h, In6.IPV6_HDR_LEN);
            f.networkHeader = h;
            f.put8(h + Ip6Hdr.NEXTHDR, In6.NEXTHDR_FRAGMENT);
            f.put16(h + Ip6Hdr.PAYLOAD_LEN, FRAG_HDR_LEN + len);
            int fh = f.put(FRAG_HDR_LEN);
            f.put8(fh, nexthdr);
            f.put8(fh + 1, 0);
            f.put16(fh + 2, off | (more ? 1 : 0));
            f.put32(fh + 4, id);
            f.putData(payload, off, len);
            f.transportHeader = fh;
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
     * ipv6_frag_rcv: skb.data is at the fragment header. Returns the reassembled packet (data
     * at its transport header, the next header in nexthdr[0]) or null while pieces are missing
     * or when the fragment was bad (then answered with a parameter problem as Linux does).
     */
    static SkBuff reassemble(Net net, SkBuff skb, int[] nexthdr) {
        IpMib mib = net.ipv6.mib;
        if (!skb.mayPull(FRAG_HDR_LEN)) return null;
        int fh = skb.data;
        int next = skb.get8(fh);
        int fo = skb.get16(fh + 2);
        int offset = fo & 0xFFF8;
        boolean more = (fo & 1) != 0;
        int id = skb.get32(fh + 4);
        int nh = skb.networkHeader;
        Ip6Cb cb = (Ip6Cb) skb.cb;
        if (offset == 0 && !more) {
            // An atomic fragment (RFC 6946): no reassembly, the header just goes.
            int hdrLen = fh - nh;
            byte[] pkt = new byte[hdrLen + skb.len() - FRAG_HDR_LEN];
            System.arraycopy(skb.buf, nh, pkt, 0, hdrLen);
            System.arraycopy(skb.buf, fh + FRAG_HDR_LEN, pkt, hdrLen, skb.len() - FRAG_HDR_LEN);
            return rebuild(skb, pkt, hdrLen, cb.nhoff, next, nexthdr);
        }
        mib.ip(IpMib.REASM_REQDS);
        int dlen = skb.len() - FRAG_HDR_LEN;
        if (more && (dlen & 7) != 0) {
            // A fragment that is not the last must be a multiple of 8 long.
            Icmpv6Proto.send(net, skb, Icmpv6.ICMPV6_PARAMPROB, Icmpv6.ICMPV6_HDR_FIELD, Ip6Hdr.PAYLOAD_LEN);
            mib.ip(IpMib.REASM_FAILS);
            return null;
        }
        if (offset + dlen > In6.IPV6_MAXPLEN) {
            Icmpv6Proto.send(net, skb, Icmpv6.ICMPV6_PARAMPROB, Icmpv6.ICMPV6_HDR_FIELD, fh + 2 - nh);
            mib.ip(IpMib.REASM_FAILS);
            return null;
        }
        Key key = new Key(Ip6Addr.read(skb.buf, nh + Ip6Hdr.SADDR), Ip6Addr.read(skb.buf, nh + Ip6Hdr.DADDR), id);
        byte[] data = skb.bytes(fh + FRAG_HDR_LEN, dlen);
        byte[] header = offset == 0 ? skb.bytes(nh, fh - nh) : null;
        FragTable.Queue[] done = new FragTable.Queue[1];
        int[] timedOut = {0};
        FragTable.Result r = net.ipv6.frags.add(key, offset, data, !more, header, next | (cb.nhoff << 8), skb,
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
        byte[] pkt = new byte[q.header.length + body.length];
        System.arraycopy(q.header, 0, pkt, 0, q.header.length);
        System.arraycopy(body, 0, pkt, q.header.length, body.length);
        mib.ip(IpMib.REASM_OKS);
        return rebuild(q.first, pkt, q.header.length, q.firstInfo >>> 8, q.firstInfo & 0xff, nexthdr);
    }

    /** The datagram without its fragment header: the previous header names the fragment's protocol, the length is the whole. */
    private static SkBuff rebuild(SkBuff meta, byte[] pkt, int hdrLen, int nhoff, int next, int[] nexthdr) {
        SkBuff n = SkBuff.alloc(SkBuff.MAX_HEADER, pkt.length);
        int at = n.putData(pkt, 0, pkt.length);
        n.networkHeader = at;
        n.put8(at + nhoff, next);
        n.put16(at + Ip6Hdr.PAYLOAD_LEN, pkt.length - In6.IPV6_HDR_LEN);
        n.data = at + hdrLen;
        n.transportHeader = n.data;
        n.dev = meta.dev;
        n.skbIif = meta.skbIif;
        n.protocol = meta.protocol;
        n.pktType = meta.pktType;
        n.tstamp = meta.tstamp;
        n.dst = meta.dst;
        n.ipSummed = meta.ipSummed;
        n.mark = meta.mark;
        Ip6Cb cb = new Ip6Cb(((Ip6Cb) meta.cb).iif);
        cb.nhoff = nhoff;
        n.cb = cb;
        nexthdr[0] = next;
        return n;
    }
}
