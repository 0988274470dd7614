package dev.kava.lib;

/**
 * A growable circular byte queue: bytes are appended at the tail, read at any offset from
 * the head, and dropped from the head. TCP keeps a connection's send queue (unacknowledged and
 * unsent bytes from snd_una) and its in-order receive queue in one each. Not thread-safe.
 */
public final class ByteRing {
    private byte[] buf;
    private int head, size;

    public ByteRing(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    private void ensure(int extra) {
        long need = (long) size + extra;
        if (need <= buf.length) return;
        if (need > Integer.MAX_VALUE - 16) throw new IllegalStateException("ByteRing too large");
        int cap = buf.length;
        while (cap < need) cap = (int) Math.min(Integer.MAX_VALUE - 16, (long) cap * 2);
        byte[] n = new byte[cap];
        get(0, n, 0, size);
        buf = n;
        head = 0;
    }

    /** Appends len bytes of src at off. */
    public void append(byte[] src, int off, int len) {
        ensure(len);
        int tail = (head + size) % buf.length;
        int first = Math.min(len, buf.length - tail);
        System.arraycopy(src, off, buf, tail, first);
        System.arraycopy(src, off + first, buf, 0, len - first);
        size += len;
    }

    /** Copies len bytes starting at pos (from the head) into dst. */
    public void get(int pos, byte[] dst, int off, int len) {
        if (pos < 0 || len < 0 || pos + len > size) throw new IndexOutOfBoundsException(pos + "+" + len + " > " + size);
        int start = (head + pos) % buf.length;
        int first = Math.min(len, buf.length - start);
        System.arraycopy(buf, start, dst, off, first);
        System.arraycopy(buf, 0, dst, off + first, len - first);
    }

    /** The byte at pos. */
    public byte at(int pos) {
        if (pos < 0 || pos >= size) throw new IndexOutOfBoundsException(pos);
        return buf[(head + pos) % buf.length];
    }

    /** Drops n bytes at the head; shrinks a large empty buffer back. */
    public void drop(int n) {
        if (n < 0 || n > size) throw new IndexOutOfBoundsException(n);
        head = (head + n) % buf.length;
        size -= n;
        if (size == 0) {
            head = 0;
            if (buf.length > (1 << 20)) buf = new byte[1 << 16];
        }
    }

    public void clear() {
        drop(size);
    }
}
