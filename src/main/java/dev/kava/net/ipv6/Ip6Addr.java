package dev.kava.net.ipv6;

/**
 * IPv6 addresses as 16-byte arrays, and their classification (ipv6_addr_type,
 * net/ipv6/addrconf_core.c; include/net/ipv6.h).
 */
public final class Ip6Addr {
    private Ip6Addr() {}

    /** ipv6_addr_type bits */
    public static final int IPV6_ADDR_ANY = 0x0000, IPV6_ADDR_UNICAST = 0x0001, IPV6_ADDR_MULTICAST = 0x0002,
            IPV6_ADDR_LOOPBACK = 0x0010, IPV6_ADDR_LINKLOCAL = 0x0020, IPV6_ADDR_SITELOCAL = 0x0040,
            IPV6_ADDR_COMPATv4 = 0x0080, IPV6_ADDR_SCOPE_MASK = 0x00f0, IPV6_ADDR_MAPPED = 0x1000;

    public static final byte[] ANY = new byte[16];
    public static final byte[] LOOPBACK = loopback();

    private static byte[] loopback() {
        byte[] a = new byte[16];
        a[15] = 1;
        return a;
    }

    /**
     * LOOPBACK4_IPV6: what an IPv6 socket bound to a non-mapped address keeps as its IPv4 bound
     * address (127.0.0.6), so that IPv4 lookups never match it.
     */
    public static final int LOOPBACK4_IPV6 = 0x7f000006;

    public static boolean isAny(byte[] a) {
        for (byte b : a) if (b != 0) return false;
        return true;
    }

    public static boolean isLoopback(byte[] a) {
        return java.util.Arrays.equals(a, LOOPBACK);
    }

    public static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    public static boolean isMulticast(byte[] a) {
        return a[0] == (byte) 0xff;
    }

    public static boolean isLinkLocal(byte[] a) {
        return a[0] == (byte) 0xfe && (a[1] & 0xc0) == 0x80;
    }

    /** The IPv4 address in a v4-mapped one. */
    public static int v4(byte[] a) {
        return ((a[12] & 0xff) << 24) | ((a[13] & 0xff) << 16) | ((a[14] & 0xff) << 8) | (a[15] & 0xff);
    }

    /** ipv6_addr_set_v4mapped: ::ffff:a.b.c.d */
    public static byte[] mapped(int v4) {
        byte[] a = new byte[16];
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        a[12] = (byte) (v4 >>> 24);
        a[13] = (byte) (v4 >>> 16);
        a[14] = (byte) (v4 >>> 8);
        a[15] = (byte) v4;
        return a;
    }

    /** __ipv6_addr_type: the class and scope of an address. */
    public static int type(byte[] a) {
        int st = ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
        if ((st & 0xE0000000) != 0x00000000 && (st & 0xE0000000) != 0xE0000000) return IPV6_ADDR_UNICAST;
        if ((st & 0xFF000000) == 0xFF000000) {
            int scope = (st >>> 16) & 0x0f;
            int t = IPV6_ADDR_MULTICAST;
            if (scope == 1) t |= IPV6_ADDR_LOOPBACK;
            else if (scope == 2) t |= IPV6_ADDR_LINKLOCAL;
            else if (scope == 5) t |= IPV6_ADDR_SITELOCAL;
            return t;
        }
        if ((st & 0xFFC00000) == 0xFE800000) return IPV6_ADDR_LINKLOCAL | IPV6_ADDR_UNICAST;
        if ((st & 0xFFC00000) == 0xFEC00000) return IPV6_ADDR_SITELOCAL | IPV6_ADDR_UNICAST;
        if ((st & 0xFE000000) == 0xFC000000) return IPV6_ADDR_UNICAST;
        boolean zero8 = true;
        for (int i = 0; i < 8; i++) if (a[i] != 0) zero8 = false;
        if (zero8) {
            int w2 = ((a[8] & 0xff) << 24) | ((a[9] & 0xff) << 16) | ((a[10] & 0xff) << 8) | (a[11] & 0xff);
            if (w2 == 0) {
                int w3 = v4(a);
                if (w3 == 0) return IPV6_ADDR_ANY;
                if (w3 == 1) return IPV6_ADDR_LOOPBACK | IPV6_ADDR_UNICAST;
                return IPV6_ADDR_COMPATv4 | IPV6_ADDR_UNICAST;
            }
            if (w2 == 0x0000ffff) return IPV6_ADDR_MAPPED;
        }
        return IPV6_ADDR_UNICAST;
    }

    /** Whether prefixlen leading bits of a and b agree (ipv6_prefix_equal). */
    public static boolean prefixEqual(byte[] a, byte[] b, int prefixlen) {
        int full = prefixlen / 8, rest = prefixlen % 8;
        for (int i = 0; i < full; i++) if (a[i] != b[i]) return false;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return ((a[full] ^ b[full]) & mask) == 0;
    }

    /** The first prefixlen bits of a (ipv6_addr_prefix). */
    public static byte[] prefix(byte[] a, int prefixlen) {
        byte[] p = new byte[16];
        int full = prefixlen / 8, rest = prefixlen % 8;
        System.arraycopy(a, 0, p, 0, full);
        if (rest != 0) p[full] = (byte) (a[full] & (0xff << (8 - rest)));
        return p;
    }

    /** The 16 bytes at off. */
    public static byte[] read(byte[] b, int off) {
        byte[] a = new byte[16];
        System.arraycopy(b, off, a, 0, 16);
        return a;
    }

    /** The textual form (RFC 5952: lower case, the longest run of zero words as "::"). */
    public static String toString(byte[] a) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) w[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        if (isV4Mapped(a)) return "::ffff:" + dev.kava.net.ipv4.Ip.toString(v4(a));
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) j++;
            if (j - i > bestLen && j - i > 1) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }
}
