package dev.kava.net.host;

import dev.kava.abi.IfEther;
import dev.kava.abi.In;
import dev.kava.lib.Checksum;
import dev.kava.net.core.SkBuff;

/**
 * Reading and building the Ethernet/IPv4 frames the user-mode NAT looks at or answers with
 * itself: a TCP reset for a connection the host refused, and UDP datagrams from the gateway.
 * Offsets are into a frame that starts at its Ethernet header.
 */
final class NatFrames {
    private NatFrames() {}

    static final int ETH = IfEther.ETH_HLEN;
    static final int TCP_SYN = 0x02, TCP_RST = 0x04, TCP_ACK = 0x10;

    static int get16(byte[] b, int off) {
        return SkBuff.get16(b, off);
    }

    static int get32(byte[] b, int off) {
        return SkBuff.get32(b, off);
    }

    /** The IPv4 header's offset if the frame holds a whole IPv4 packet (version 4, sane lengths), else -1. */
    static int ipv4(byte[] f) {
        if (f.length < ETH + 20 || get16(f, 12) != IfEther.ETH_P_IP) return -1;
        int ihl = (f[ETH] & 0x0f) * 4;
        if ((f[ETH] & 0xf0) != 0x40 || ihl < 20 || ETH + get16(f, ETH + 2) > f.length || get16(f, ETH + 2) < ihl + 8) return -1;
        // A fragment is not looked into (kava's stack does not fragment what it sends at MTU 1500).
        if ((get16(f, ETH + 6) & 0x3fff) != 0) return -1;
        return ETH;
    }

    static int protocol(byte[] f, int ip) {
        return f[ip + 9] & 0xff;
    }

    static int saddr(byte[] f, int ip) {
        return get32(f, ip + 12);
    }

    static int daddr(byte[] f, int ip) {
        return get32(f, ip + 16);
    }

    /** The transport header's offset. */
    static int transport(byte[] f, int ip) {
        return ip + (f[ip] & 0x0f) * 4;
    }

    /** The end of the IP packet (the frame may be padded). */
    static int ipEnd(byte[] f, int ip) {
        return ip + get16(f, ip + 2);
    }

    /**
     * An Ethernet frame with an IPv4 packet from saddr to daddr carrying the transport segment
     * seg, whose checksum field (at csumOff inside seg) is filled in here. TTL 64, DF, ID 0.
     */
    static byte[] ipv4Frame(int saddr, int daddr, int proto, byte[] seg, int csumOff) {
        byte[] f = new byte[ETH + 20 + seg.length];
        SkBuff.put16(f, 12, IfEther.ETH_P_IP);
        int ip = ETH;
        f[ip] = 0x45;
        SkBuff.put16(f, ip + 2, 20 + seg.length);
        SkBuff.put16(f, ip + 6, 0x4000);
        f[ip + 8] = 64;
        f[ip + 9] = (byte) proto;
        SkBuff.put32(f, ip + 12, saddr);
        SkBuff.put32(f, ip + 16, daddr);
        SkBuff.put16(f, ip + 10, Checksum.ipFastCsum(f, ip, 5));
        System.arraycopy(seg, 0, f, ip + 20, seg.length);
        int sum = Checksum.tcpudpMagic(saddr, daddr, seg.length, proto, Checksum.partial(f, ip + 20, seg.length, 0));
        // A UDP checksum that comes out 0 is sent as 0xffff (RFC 768).
        if (proto == In.IPPROTO_UDP && sum == 0) sum = 0xffff;
        SkBuff.put16(f, ip + 20 + csumOff, sum);
        return f;
    }

    /** The RST|ACK a TCP answers a SYN with when nothing listens (tcp_v4_send_reset), for the SYN in frame. */
    static byte[] resetFor(byte[] syn, int ip) {
        int th = transport(syn, ip);
        byte[] seg = new byte[20];
        SkBuff.put16(seg, 0, get16(syn, th + 2));
        SkBuff.put16(seg, 2, get16(syn, th));
        SkBuff.put32(seg, 8, get32(syn, th + 4) + 1 + payloadLen(syn, ip));
        seg[12] = 5 << 4;
        seg[13] = (byte) (TCP_RST | TCP_ACK);
        return ipv4Frame(daddr(syn, ip), saddr(syn, ip), In.IPPROTO_TCP, seg, 16);
    }

    private static int payloadLen(byte[] f, int ip) {
        int th = transport(f, ip);
        return ipEnd(f, ip) - th - ((f[th + 12] & 0xf0) >> 2);
    }

    /** A UDP datagram from sport to dport with payload, as a frame. */
    static byte[] udpFrame(int saddr, int sport, int daddr, int dport, byte[] payload, int len) {
        byte[] seg = new byte[8 + len];
        SkBuff.put16(seg, 0, sport);
        SkBuff.put16(seg, 2, dport);
        SkBuff.put16(seg, 4, 8 + len);
        System.arraycopy(payload, 0, seg, 8, len);
        return ipv4Frame(saddr, daddr, In.IPPROTO_UDP, seg, 6);
    }
}
