package dev.kava.net.netlink;

import dev.kava.abi.Errno;
import dev.kava.abi.Netlink;
import dev.kava.kernel.ErrnoException;

import java.nio.charset.StandardCharsets;

/**
 * Parsed attributes of a request (__nla_parse in lib/nlattr.c): each type's last occurrence, by
 * offset into the message. Walking stops at the first attribute whose length is below the
 * header or beyond what is left (nla_ok); bytes left over are an error only in strict mode
 * (NL_VALIDATE_TRAILING: EINVAL), as the deprecated parse rtnetlink uses otherwise only warns.
 * An attribute shorter than its policy's minimum is ERANGE (validate_nla); in strict mode one
 * of a fixed-size type whose length is not exact is EINVAL.
 */
public final class NlAttrs {
    private final byte[] b;
    private final int[] off, len;

    private NlAttrs(byte[] b, int max) {
        this.b = b;
        this.off = new int[max + 1];
        this.len = new int[max + 1];
        java.util.Arrays.fill(off, -1);
    }

    /**
     * Parses the attributes in b[start, end). minLen[type] is the policy's minimum payload (0
     * for none); exact[type] says the length must be exactly that in strict mode. Unknown types
     * above max are ignored (strict parsing rejects them with EINVAL, as NL_VALIDATE_MAXTYPE).
     */
    public static NlAttrs parse(byte[] b, int start, int end, int max, int[] minLen, boolean[] exact, boolean strict) {
        NlAttrs a = new NlAttrs(b, max);
        int at = start;
        while (end - at >= Netlink.NLA_HDRLEN) {
            int nlaLen = u16(b, at);
            if (nlaLen < Netlink.NLA_HDRLEN || nlaLen > end - at) break;
            int type = u16(b, at + 2) & Netlink.NLA_TYPE_MASK;
            int payload = nlaLen - Netlink.NLA_HDRLEN;
            if (type > max) {
                if (strict) throw ErrnoException.of(Errno.EINVAL);
            } else if (type > 0) {
                int min = minLen != null && type < minLen.length ? minLen[type] : 0;
                if (strict && exact != null && type < exact.length && exact[type] && payload != min) {
                    throw ErrnoException.of(Errno.EINVAL);
                }
                if (payload < min) throw ErrnoException.of(Errno.ERANGE);
                a.off[type] = at + Netlink.NLA_HDRLEN;
                a.len[type] = payload;
            }
            at += Netlink.align(nlaLen);
        }
        if (strict && at < end) throw ErrnoException.of(Errno.EINVAL);
        return a;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    static int u32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    public boolean has(int type) {
        return type < off.length && off[type] >= 0;
    }

    public int length(int type) {
        return len[type];
    }

    public int u8(int type) {
        return b[off[type]] & 0xff;
    }

    public int u32(int type) {
        return u32(b, off[type]);
    }

    /** A network-order 32-bit value (an IPv4 address) as an int in host terms. */
    public int in4(int type) {
        int o = off[type];
        return (b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff);
    }

    public byte[] bytes(int type) {
        return java.util.Arrays.copyOfRange(b, off[type], off[type] + len[type]);
    }

    /** nla_strscpy's view of an NLA_STRING: up to the first NUL or the end of the payload. */
    public String string(int type) {
        int o = off[type], n = 0;
        while (n < len[type] && b[o + n] != 0) n++;
        return new String(b, o, n, StandardCharsets.UTF_8);
    }

    /** The payload length of an NLA_STRING without its trailing NULs (what a length limit is checked against). */
    public int stringLength(int type) {
        int o = off[type], n = 0;
        while (n < len[type] && b[o + n] != 0) n++;
        return n;
    }
}
