package dev.kava.net;

import dev.kava.mm.AddressSpace;

/**
 * An iov_iter: the data of one sendmsg or recvmsg, either segments of user memory (an
 * imported iovec, already checked by access_ok) or a kernel buffer (splice and sendfile
 * reach a socket through File.read/write). Copies stop short at the first fault, as
 * copy_from_iter / copy_to_iter do; the protocol turns a short copy into EFAULT.
 */
public abstract class IovIter {
    /** iov_iter_count: the bytes not yet copied. */
    public abstract long count();

    /** copy_from_iter: up to len bytes into dst; returns how many were copied. */
    public abstract int copyFrom(byte[] dst, int off, int len);

    /** copy_to_iter: up to len bytes from src; returns how many were copied. */
    public abstract int copyTo(byte[] src, int off, int len);

    /** An iterator over user memory: segs holds (address, length) pairs. */
    public static IovIter user(AddressSpace as, long[] segs) {
        return new User(as, segs);
    }

    /** An iterator over len bytes of a kernel buffer at off. */
    public static IovIter kernel(byte[] buf, int off, int len) {
        return new Kernel(buf, off, len);
    }

    private static final class User extends IovIter {
        private final AddressSpace as;
        private final long[] segs;
        private int seg;
        private long segOff;
        private long left;

        User(AddressSpace as, long[] segs) {
            this.as = as;
            this.segs = segs;
            for (int i = 1; i < segs.length; i += 2) left += segs[i];
        }

        @Override
        public long count() {
            return left;
        }

        private int copy(byte[] buf, int off, int len, boolean from) {
            int done = 0;
            while (done < len && left > 0) {
                long segLen = segs[2 * seg + 1];
                if (segOff >= segLen) {
                    seg++;
                    segOff = 0;
                    continue;
                }
                int n = (int) Math.min(len - done, segLen - segOff);
                long addr = segs[2 * seg] + segOff;
                boolean ok = from ? as.copyFromUser(addr, buf, off + done, n) : as.copyToUser(addr, buf, off + done, n);
                if (!ok) {
                    // A page at a time, to move what precedes the fault (copy_*_iter's short count).
                    int moved = 0;
                    while (moved < n) {
                        int chunk = (int) Math.min(n - moved, 4096 - ((addr + moved) & 4095));
                        boolean okc = from ? as.copyFromUser(addr + moved, buf, off + done + moved, chunk)
                                : as.copyToUser(addr + moved, buf, off + done + moved, chunk);
                        if (!okc) break;
                        moved += chunk;
                    }
                    segOff += moved;
                    left -= moved;
                    return done + moved;
                }
                segOff += n;
                left -= n;
                done += n;
            }
            return done;
        }

        @Override
        public int copyFrom(byte[] dst, int off, int len) {
            return copy(dst, off, len, true);
        }

        @Override
        public int copyTo(byte[] src, int off, int len) {
            return copy(src, off, len, false);
        }
    }

    private static final class Kernel extends IovIter {
        private final byte[] buf;
        private int pos;
        private final int end;

        Kernel(byte[] buf, int off, int len) {
            this.buf = buf;
            this.pos = off;
            this.end = off + len;
        }

        @Override
        public long count() {
            return end - pos;
        }

        @Override
        public int copyFrom(byte[] dst, int off, int len) {
            int n = Math.min(len, end - pos);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            return n;
        }

        @Override
        public int copyTo(byte[] src, int off, int len) {
            int n = Math.min(len, end - pos);
            System.arraycopy(src, off, buf, pos, n);
            pos += n;
            return n;
        }
    }
}
