package dev.kava.kernel;

import dev.kava.abi.Errno;
import dev.kava.mm.AddressSpace;
import dev.kava.mm.Page;

/**
 * Typed access to user memory for syscalls (Linux's copy_from_user, copy_to_user, get_user,
 * put_user and strncpy_from_user). Every failure is an {@link ErrnoException} with EFAULT,
 * which the dispatcher returns to the guest. Values are little-endian, as on riscv64.
 */
public final class Uaccess {
    /** PATH_MAX from include/uapi/linux/limits.h: the longest path name, with its NUL. */
    public static final int PATH_MAX = 4096;

    private final AddressSpace as;

    public Uaccess(AddressSpace as) {
        this.as = as;
    }

    public AddressSpace addressSpace() {
        return as;
    }

    public byte[] read(long addr, int len) {
        byte[] b = new byte[len];
        if (!as.copyFromUser(addr, b, 0, len)) throw ErrnoException.of(Errno.EFAULT);
        return b;
    }

    public void read(long addr, byte[] dst, int off, int len) {
        if (!as.copyFromUser(addr, dst, off, len)) throw ErrnoException.of(Errno.EFAULT);
    }

    public void write(long addr, byte[] src) {
        write(addr, src, 0, src.length);
    }

    public void write(long addr, byte[] src, int off, int len) {
        if (!as.copyToUser(addr, src, off, len)) throw ErrnoException.of(Errno.EFAULT);
    }

    public long read64(long addr) {
        return getLong(read(addr, 8), 0);
    }

    public int read32(long addr) {
        return getInt(read(addr, 4), 0);
    }

    public void write64(long addr, long v) {
        byte[] b = new byte[8];
        putLong(b, 0, v);
        write(addr, b);
    }

    public void write32(long addr, int v) {
        byte[] b = new byte[4];
        putInt(b, 0, v);
        write(addr, b);
    }

    /**
     * Reads a NUL-terminated string of at most max bytes including the NUL (strncpy_from_user).
     * Returns null when no NUL was found within max bytes; faults only on bytes before the NUL.
     */
    public String readCString(long addr, int max) {
        byte[] buf = new byte[Math.min(max, 128)];
        int n = 0;
        while (n < max) {
            // A piece at a time (the buffer doubles from 128 bytes: most strings are short), never
            // past the end of a page, so a string ending just before unmapped memory works.
            if (n == buf.length) buf = java.util.Arrays.copyOf(buf, Math.min(max, buf.length * 2));
            int chunk = (int) Math.min(buf.length - n, Page.SIZE - ((addr + n) & Page.MASK));
            if (!as.copyFromUser(addr + n, buf, n, chunk)) throw ErrnoException.of(Errno.EFAULT);
            for (int i = n; i < n + chunk; i++) {
                if (buf[i] == 0) return new String(buf, 0, i, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            n += chunk;
        }
        return null;
    }

    /**
     * Reads a path argument as getname() does: EFAULT for a bad pointer, ENAMETOOLONG when
     * longer than PATH_MAX - 1, and ENOENT for an empty name unless allowEmpty (AT_EMPTY_PATH).
     */
    public String readPath(long addr, boolean allowEmpty) {
        String s = readCString(addr, PATH_MAX);
        if (s == null) throw ErrnoException.of(Errno.ENAMETOOLONG);
        if (s.isEmpty() && !allowEmpty) throw ErrnoException.of(Errno.ENOENT);
        return s;
    }

    public static long getLong(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24
                | (b[off + 4] & 0xffL) << 32 | (b[off + 5] & 0xffL) << 40 | (b[off + 6] & 0xffL) << 48
                | (b[off + 7] & 0xffL) << 56;
    }

    public static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    public static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) b[off + i] = (byte) (v >>> (8 * i));
    }

    public static void putInt(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) b[off + i] = (byte) (v >>> (8 * i));
    }

    public static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }
}
