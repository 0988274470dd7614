package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;
import dev.kava.mm.AddressSpace;
import dev.kava.mm.Mmap;
import dev.kava.mm.Page;

/** read, write, readv, writev, pread64, lseek (fs/read_write.c). */
public final class ReadWrite {
    private ReadWrite() {}

    /** MAX_RW_COUNT: one read or write moves at most INT_MAX rounded down to a page. */
    public static final long MAX_RW_COUNT = Integer.MAX_VALUE & ~Page.MASK;
    /** UIO_MAXIOV: the most iovecs one call takes. */
    public static final int UIO_MAXIOV = 1024;
    /** How much goes through the kernel's bounce buffer at once. */
    private static final int CHUNK = 64 * 1024;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.READ, (task, a) -> read(task, (int) a[0], a[1], a[2]));
        t.register(SyscallNr.WRITE, (task, a) -> write(task, (int) a[0], a[1], a[2]));
        t.register(SyscallNr.READV, (task, a) -> readv(task, (int) a[0], a[1], a[2]));
        t.register(SyscallNr.WRITEV, (task, a) -> writev(task, (int) a[0], a[1], a[2]));
        t.register(SyscallNr.PREAD64, (task, a) -> pread64(task, (int) a[0], a[1], a[2], a[3]));
        t.register(SyscallNr.LSEEK, (task, a) -> lseek(task, (int) a[0], a[1], (int) a[2]));
    }

    /** access_ok: the whole range lies in user space. */
    static boolean accessOk(long addr, long len) {
        return Long.compareUnsigned(len, Mmap.TASK_SIZE) <= 0 && Long.compareUnsigned(addr, Mmap.TASK_SIZE - len) <= 0;
    }

    private static File readableFile(Task t, int fd) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath() || !f.readable()) throw ErrnoException.of(Errno.EBADF);
        return f;
    }

    private static File writableFile(Task t, int fd) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath() || !f.writable()) throw ErrnoException.of(Errno.EBADF);
        return f;
    }

    static long read(Task t, int fd, long buf, long count) {
        File f = readableFile(t, fd);
        if (!accessOk(buf, count)) return -Errno.EFAULT;
        if (count < 0) return -Errno.EINVAL; // rw_verify_area: (ssize_t) count < 0
        return readInto(t, f, buf, Math.min(count, MAX_RW_COUNT), -1);
    }

    /**
     * Moves up to count bytes from f into user memory at buf, at the file position (offset < 0)
     * or at offset. A fault after some bytes were moved ends the read short, as copy_to_user does.
     */
    private static long readInto(Task t, File f, long buf, long count, long offset) {
        AddressSpace as = t.mem.addressSpace();
        byte[] chunk = new byte[(int) Math.min(count, CHUNK)];
        long done = 0;
        while (done < count) {
            int want = (int) Math.min(chunk.length, count - done);
            int n;
            try {
                n = offset < 0 ? f.read(t, chunk, 0, want) : f.pread(t, chunk, 0, want, offset + done);
            } catch (ErrnoException e) {
                if (done > 0) return done;
                throw e;
            }
            if (n == 0) break;
            if (!as.copyToUser(buf + done, chunk, 0, n)) {
                if (offset < 0 && !f.isStream()) f.lseek(-n, dev.kava.abi.Fcntl.SEEK_CUR); // not consumed
                return done > 0 ? done : -Errno.EFAULT;
            }
            done += n;
            if (f.isStream() || n < want) break; // a stream returns what it had; a short read is end of file
        }
        return done;
    }

    static long write(Task t, int fd, long buf, long count) {
        File f = writableFile(t, fd);
        if (!accessOk(buf, count)) return -Errno.EFAULT;
        if (count < 0) return -Errno.EINVAL;
        return writeFrom(t, f, buf, Math.min(count, MAX_RW_COUNT));
    }

    private static long writeFrom(Task t, File f, long buf, long count) {
        AddressSpace as = t.mem.addressSpace();
        byte[] chunk = new byte[(int) Math.min(count, CHUNK)];
        long done = 0;
        while (done < count) {
            int want = (int) Math.min(chunk.length, count - done);
            if (!as.copyFromUser(buf + done, chunk, 0, want)) return done > 0 ? done : -Errno.EFAULT;
            int n;
            try {
                n = f.write(t, chunk, 0, want);
            } catch (ErrnoException e) {
                // pipe_write raises SIGPIPE along with EPIPE.
                if (e.errno == Errno.EPIPE) Signals.sendToTask(t, SigInfo.user(Signal.SIGPIPE, SigInfo.SI_USER, t.group.tgid, 0));
                if (done > 0) return done;
                throw e;
            }
            done += n;
            if (n < want) break;
        }
        return done;
    }

    /** One struct iovec. */
    private record Iovec(long base, long len) {}

    /** import_iovec: at most UIO_MAXIOV entries, each length >= 0 and accessible, the total capped at MAX_RW_COUNT. */
    private static Iovec[] importIovec(Task t, long iov, long iovcnt) {
        if (Long.compareUnsigned(iovcnt, UIO_MAXIOV) > 0) throw ErrnoException.of(Errno.EINVAL);
        byte[] raw = t.mem.read(iov, (int) iovcnt * 16);
        Iovec[] v = new Iovec[(int) iovcnt];
        long total = 0;
        for (int i = 0; i < v.length; i++) {
            long base = Uaccess.getLong(raw, i * 16), len = Uaccess.getLong(raw, i * 16 + 8);
            if (len < 0) throw ErrnoException.of(Errno.EINVAL);
            if (!accessOk(base, len)) throw ErrnoException.of(Errno.EFAULT);
            if (len > MAX_RW_COUNT - total) len = MAX_RW_COUNT - total;
            total += len;
            v[i] = new Iovec(base, len);
        }
        return v;
    }

    static long readv(Task t, int fd, long iov, long iovcnt) {
        File f = readableFile(t, fd);
        return eachIovec(importIovec(t, iov, iovcnt), e -> readInto(t, f, e.base, e.len, -1));
    }

    static long writev(Task t, int fd, long iov, long iovcnt) {
        File f = writableFile(t, fd);
        return eachIovec(importIovec(t, iov, iovcnt), e -> writeFrom(t, f, e.base, e.len));
    }

    private interface IovecTransfer {
        long apply(Iovec e);
    }

    /**
     * do_loop_readv_writev: moves each segment in turn and stops at the first short one. An
     * error after some bytes moved returns the count instead, as Linux does.
     */
    private static long eachIovec(Iovec[] v, IovecTransfer op) {
        long done = 0;
        for (Iovec e : v) {
            if (e.len == 0) continue;
            long n;
            try {
                n = op.apply(e);
            } catch (ErrnoException ex) {
                if (done > 0) return done;
                throw ex;
            }
            if (n < 0) return done > 0 ? done : n;
            done += n;
            if (n < e.len) break;
        }
        return done;
    }

    static long pread64(Task t, int fd, long buf, long count, long pos) {
        if (pos < 0) return -Errno.EINVAL;
        File f = readableFile(t, fd);
        if (f.isStream()) return -Errno.ESPIPE;
        if (!accessOk(buf, count)) return -Errno.EFAULT;
        if (count < 0) return -Errno.EINVAL;
        count = Math.min(count, MAX_RW_COUNT);
        if (pos + count < 0) return -Errno.EINVAL; // rw_verify_area: the end may not overflow
        return readInto(t, f, buf, count, pos);
    }

    static long lseek(Task t, int fd, long offset, int whence) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) return -Errno.EBADF;
        if (whence < 0 || whence > dev.kava.abi.Fcntl.SEEK_HOLE) return -Errno.EINVAL;
        return f.lseek(offset, whence);
    }
}
