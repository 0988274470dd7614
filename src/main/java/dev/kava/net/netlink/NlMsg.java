package dev.kava.net.netlink;

import dev.kava.abi.Netlink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A netlink message being built (nlmsg_put, nla_put_* and nla_nest_* of include/net/netlink.h):
 * a header, a fixed family header and attributes, each padded to 4 bytes, in host (little-endian)
 * order as riscv64 has it. Network-order values (addresses) are put as the bytes they are.
 */
public final class NlMsg {
    private byte[] buf = new byte[256];
    private int len;

    /** nlmsg_put: a header of the given type; the length is filled in by {@link #bytes}. */
    public NlMsg(int type, int flags, int seq, int portid) {
        len = Netlink.NLMSG_HDRLEN;
        put16(Netlink.NLMSG_TYPE, type);
        put16(Netlink.NLMSG_FLAGS, flags);
        put32(Netlink.NLMSG_SEQ, seq);
        put32(Netlink.NLMSG_PID, portid);
    }

    private void room(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }

    /** Reserves n zeroed bytes (padded to 4) and returns their offset. */
    public int reserve(int n) {
        int a = Netlink.align(n);
        room(a);
        int at = len;
        len += a;
        return at;
    }

    public void put8(int at, int v) {
        buf[at] = (byte) v;
    }

    public void put16(int at, int v) {
        buf[at] = (byte) v;
        buf[at + 1] = (byte) (v >> 8);
    }

    public void put32(int at, int v) {
        for (int i = 0; i < 4; i++) buf[at + i] = (byte) (v >> (8 * i));
    }

    public void put64(int at, long v) {
        for (int i = 0; i < 8; i++) buf[at + i] = (byte) (v >> (8 * i));
    }

    /** A big-endian (network order) 32-bit value, as IPv4 addresses are carried. */
    public void put32be(int at, int v) {
        for (int i = 0; i < 4; i++) buf[at + i] = (byte) (v >> (24 - 8 * i));
    }

    /** nla_put: an attribute with its payload. */
    public int attr(int type, byte[] data) {
        int at = reserve(Netlink.NLA_HDRLEN + data.length);
        put16(at, Netlink.NLA_HDRLEN + data.length);
        put16(at + 2, type);
        System.arraycopy(data, 0, buf, at + Netlink.NLA_HDRLEN, data.length);
        return at;
    }

    private int attrHdr(int type, int payload) {
        int at = reserve(Netlink.NLA_HDRLEN + payload);
        put16(at, Netlink.NLA_HDRLEN + payload);
        put16(at + 2, type);
        return at + Netlink.NLA_HDRLEN;
    }

    public void u8(int type, int v) {
        put8(attrHdr(type, 1), v);
    }

    public void u16(int type, int v) {
        put16(attrHdr(type, 2), v);
    }

    public void u32(int type, int v) {
        put32(attrHdr(type, 4), v);
    }

    public void u64(int type, long v) {
        put64(attrHdr(type, 8), v);
    }

    /** An IPv4 address attribute (network order). */
    public void in4(int type, int addr) {
        put32be(attrHdr(type, 4), addr);
    }

    /** nla_put_string: the string with its NUL. */
    public void string(int type, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int at = attrHdr(type, b.length + 1);
        System.arraycopy(b, 0, buf, at, b.length);
    }

    /** nla_nest_start: returns the nest's offset for {@link #nestEnd}. */
    public int nestStart(int type) {
        int at = reserve(Netlink.NLA_HDRLEN);
        put16(at + 2, type | Netlink.NLA_F_NESTED);
        return at;
    }

    public void nestEnd(int at) {
        put16(at, len - at);
    }

    public int length() {
        return len;
    }

    /** nlmsg_end: the finished message. */
    public byte[] bytes() {
        put32(Netlink.NLMSG_LEN, len);
        return Arrays.copyOf(buf, len);
    }
}
