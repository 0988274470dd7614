package dev.kava.lib;

/**
 * The Internet checksum (RFC 1071) as lib/checksum.c and include/net/checksum.h compute it.
 * A partial sum ({@code __wsum}) is kept as a non-negative long of 16-bit big-endian words
 * added together; {@link #fold} turns it into the 16-bit one's complement that goes on the
 * wire ({@code __sum16}). Values here are in host order: a 16-bit field written big-endian
 * into a packet reads back as the same int.
 */
public final class Checksum {
    private Checksum() {}

    private static final java.lang.invoke.VarHandle BE_LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /**
     * csum_partial: adds len bytes at off to sum (an odd last byte is the high half of a word).
     * Eight bytes at a time, as two 32-bit halves: a one's-complement sum may be taken over
     * wider words and folded at the end (RFC 1071, "byte order independence" and "parallel
     * summation"). The long cannot overflow for any Java array.
     */
    public static long partial(byte[] b, int off, int len, long sum) {
        int i = off, end = off + len;
        for (; i + 8 <= end; i += 8) {
            long w = (long) BE_LONG.get(b, i);
            sum += (w >>> 32) + (w & 0xffffffffL);
        }
        for (; i + 1 < end; i += 2) sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        if (i < end) sum += (b[i] & 0xff) << 8;
        return sum;
    }

    /** Adds a 32-bit value (an IPv4 address, say) as two 16-bit words. */
    public static long add32(long sum, int v) {
        return sum + (v >>> 16) + (v & 0xffff);
    }

    /** csum_fold: the 16-bit one's complement of the folded sum. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }

    /** ip_fast_csum: the checksum of an IPv4 header of ihl 32-bit words; 0 when the header's own checksum is right. */
    public static int ipFastCsum(byte[] b, int off, int ihl) {
        return fold(partial(b, off, ihl * 4, 0));
    }

    /** csum_tcpudp_nofold: the IPv4 pseudo-header (addresses, protocol, length) added to sum. */
    public static long tcpudpNofold(int saddr, int daddr, int len, int proto, long sum) {
        sum = add32(sum, saddr);
        sum = add32(sum, daddr);
        return sum + proto + len;
    }

    /** csum_tcpudp_magic: the folded checksum of an IPv4 transport segment whose data sum is sum. */
    public static int tcpudpMagic(int saddr, int daddr, int len, int proto, long sum) {
        return fold(tcpudpNofold(saddr, daddr, len, proto, sum));
    }

    /** csum_ipv6_magic: the IPv6 pseudo-header (RFC 8200 section 8.1) with the data sum, folded. */
    public static int ipv6Magic(byte[] saddr, byte[] daddr, int len, int proto, long sum) {
        sum = partial(saddr, 0, 16, sum);
        sum = partial(daddr, 0, 16, sum);
        sum = add32(sum, len);
        return fold(sum + proto);
    }

    /** csum_ipv6_magic over addresses stored inside a packet (16 bytes each at soff and doff). */
    public static int ipv6Magic(byte[] pkt, int soff, int doff, int len, int proto, long sum) {
        sum = partial(pkt, soff, 16, sum);
        sum = partial(pkt, doff, 16, sum);
        sum = add32(sum, len);
        return fold(sum + proto);
    }
}
