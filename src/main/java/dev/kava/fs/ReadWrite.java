package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fs;
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

/**
 * read, write, readv, writev, pread64, pwrite64, preadv, pwritev, preadv2, pwritev2 and lseek
 * (fs/read_write.c).
 */
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
        t.register(SyscallNr.PWRITE64, (task, a) -> pwrite64(task, (int) a[0], a[1], a[2], a[3]));
        // pos_from_hilo: on a 64-bit kernel the low word is the whole offset.
        t.register(SyscallNr.PREADV, (task, a) -> preadv(task, (int) a[0], a[1], a[2], a[3], 0));
        t.register(SyscallNr.PWRITEV, (task, a) -> pwritev(task, (int) a[0], a[1], a[2], a[3], 0));
        t.register(SyscallNr.PREADV2, (task, a) -> preadv2(task, (int) a[0], a[1], a[2], a[3], (int) a[5]));
        t.register(SyscallNr.PWRITEV2, (task, a) -> pwritev2(task, (int) a[0], a[1], a[2], a[3], (int) a[5]));
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
        long r = f.readIter(t, new long[]{buf, Math.min(count, MAX_RW_COUNT)});
        if (r != File.NO_ITER) return accessed(f, r);
        // vfs_read calls the file even for 0 bytes: eventfd and inotify answer EINVAL, others 0.
        if (count == 0) return f.read(t, new byte[0], 0, 0);
        return accessed(f, readInto(t, f, buf, Math.min(count, MAX_RW_COUNT), -1));
    }

    /** vfs_read's fsnotify_access when something was read; returns n. */
    private static long accessed(File f, long n) {
        if (n > 0) dev.kava.fs.notify.Fsnotify.access(f);
        return n;
    }

    /** vfs_write's fsnotify_modify when something was written; returns n. */
    private static long modified(File f, long n) {
        if (n > 0) dev.kava.fs.notify.Fsnotify.modify(f);
        return n;
    }

    /**
     * Moves up to count bytes from f into user memory at buf, at the file position (offset < 0)
     * or at offset. A fault after some bytes were moved ends the read short, as copy_to_user does.
     */
    private static long readInto(Task t, File f, long buf, long count, long offset) {
        return readInto(t, f, buf, count, offset, 0);
    }

    /** readInto with preadv2's RWF_ flags (already validated): RWF_NOWAIT makes a pipe read non-blocking. */
    private static long readInto(Task t, File f, long buf, long count, long offset, int rwf) {
        AddressSpace as = t.mem.addressSpace();
        byte[] chunk = new byte[(int) Math.min(count, CHUNK)];
        long done = 0;
        while (done < count) {
            int want = (int) Math.min(chunk.length, count - done);
            int n;
            try {
                if ((rwf & Fs.RWF_NOWAIT) != 0 && f instanceof PipeFile pf) n = pf.pipe.read(t, chunk, 0, want, true);
                else n = offset < 0 ? f.read(t, chunk, 0, want) : f.pread(t, chunk, 0, want, offset + done);
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
        long r = f.writeIter(t, new long[]{buf, Math.min(count, MAX_RW_COUNT)});
        if (r != File.NO_ITER) return modified(f, r);
        // vfs_write calls the file even for 0 bytes: /dev/full answers ENOSPC, eventfd EINVAL.
        if (count == 0) return f.write(t, new byte[0], 0, 0);
        return modified(f, writeFrom(t, f, buf, Math.min(count, MAX_RW_COUNT)));
    }

    private static long writeFrom(Task t, File f, long buf, long count) {
        return writeFrom(t, f, buf, count, -1, 0);
    }

    /**
     * Moves count bytes from user memory at buf to f, at the file position (offset < 0) or at
     * offset, with pwritev2's RWF_ flags (already validated): RWF_APPEND and RWF_NOAPPEND
     * decide IOCB_APPEND instead of O_APPEND, RWF_NOWAIT makes a pipe write non-blocking and
     * RWF_NOSIGNAL keeps EPIPE from raising SIGPIPE. RWF_DSYNC and RWF_SYNC end in
     * generic_write_sync, which has nothing to do for kava's in-memory files.
     */
    private static long writeFrom(Task t, File f, long buf, long count, long offset, int rwf) {
        AddressSpace as = t.mem.addressSpace();
        byte[] chunk = new byte[(int) Math.min(count, CHUNK)];
        long done = 0;
        boolean noSignal = (rwf & Fs.RWF_NOSIGNAL) != 0;
        Boolean append = (rwf & Fs.RWF_APPEND) != 0 ? Boolean.TRUE : (rwf & Fs.RWF_NOAPPEND) != 0 ? Boolean.FALSE : null;
        while (done < count) {
            int want = (int) Math.min(chunk.length, count - done);
            if (!as.copyFromUser(buf + done, chunk, 0, want)) return done > 0 ? done : -Errno.EFAULT;
            int n;
            try {
                if (f instanceof PipeFile pf && (rwf & (Fs.RWF_NOWAIT | Fs.RWF_NOSIGNAL)) != 0) {
                    boolean nonBlock = (f.flags() & dev.kava.abi.Fcntl.O_NONBLOCK) != 0 || (rwf & Fs.RWF_NOWAIT) != 0;
                    n = pf.pipe.write(t, chunk, 0, want, nonBlock, noSignal);
                } else if (offset < 0) {
                    n = append == null ? f.write(t, chunk, 0, want) : f.write(t, chunk, 0, want, append);
                } else {
                    long at = offset + done;
                    n = append == null ? f.pwrite(t, chunk, 0, want, at) : f.pwrite(t, chunk, 0, want, at, append);
                }
            } catch (ErrnoException e) {
                // pipe_write raises SIGPIPE along with EPIPE.
                if (e.errno == Errno.EPIPE && !noSignal) Signals.sendToTask(t, SigInfo.user(Signal.SIGPIPE, SigInfo.SI_USER, t.group.tgid, 0));
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
        Iovec[] v = importIovec(t, iov, iovcnt);
        long r = iter(t, f, v, false);
        if (r != File.NO_ITER) return accessed(f, r);
        return accessed(f, eachIovec(v, (e, done) -> readInto(t, f, e.base, e.len, -1)));
    }

    static long writev(Task t, int fd, long iov, long iovcnt) {
        File f = writableFile(t, fd);
        Iovec[] v = importIovec(t, iov, iovcnt);
        long r = iter(t, f, v, true);
        if (r != File.NO_ITER) return modified(f, r);
        return modified(f, eachIovec(v, (e, done) -> writeFrom(t, f, e.base, e.len)));
    }

    /**
     * The whole vector to a file with its own read_iter/write_iter (a socket), or NO_ITER for
     * the others. An empty vector moves nothing and never reaches the file (vfs_readv/vfs_writev).
     */
    private static long iter(Task t, File f, Iovec[] v, boolean write) {
        long[] segs = new long[v.length * 2];
        long total = 0;
        for (int i = 0; i < v.length; i++) {
            segs[2 * i] = v[i].base;
            segs[2 * i + 1] = v[i].len;
            total += v[i].len;
        }
        if (total == 0) return 0; // what eachIovec would move too
        return write ? f.writeIter(t, segs) : f.readIter(t, segs);
    }

    /** Moves one segment; done is what the segments before it moved (the offset into a positioned transfer). */
    private interface IovecTransfer {
        long apply(Iovec e, long done);
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
                n = op.apply(e, done);
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

    /** fdget: the descriptor's file, or EBADF (O_PATH descriptors do no I/O). */
    private static File fdget(Task t, int fd) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) throw ErrnoException.of(Errno.EBADF);
        return f;
    }

    /** ksys_pread64: a negative position is EINVAL, a file without FMODE_PREAD (a stream) ESPIPE, then vfs_read's checks. */
    static long pread64(Task t, int fd, long buf, long count, long pos) {
        if (pos < 0) return -Errno.EINVAL;
        File f = fdget(t, fd);
        if (f.isStream()) return -Errno.ESPIPE;
        if (!f.readable()) return -Errno.EBADF;
        if (!accessOk(buf, count)) return -Errno.EFAULT;
        if (count < 0) return -Errno.EINVAL;
        count = Math.min(count, MAX_RW_COUNT);
        if (pos + count < 0) return -Errno.EINVAL; // rw_verify_area: the end may not overflow
        return accessed(f, readInto(t, f, buf, count, pos));
    }

    /** ksys_pwrite64: as pread64; on an O_APPEND file the data goes to the end whatever pos says. */
    static long pwrite64(Task t, int fd, long buf, long count, long pos) {
        if (pos < 0) return -Errno.EINVAL;
        File f = fdget(t, fd);
        if (f.isStream()) return -Errno.ESPIPE;
        if (!f.writable()) return -Errno.EBADF;
        if (!accessOk(buf, count)) return -Errno.EFAULT;
        if (count < 0) return -Errno.EINVAL;
        count = Math.min(count, MAX_RW_COUNT);
        if (pos + count < 0) return -Errno.EINVAL;
        return modified(f, writeFrom(t, f, buf, count, pos, 0));
    }

    /** preadv(fd, iov, iovcnt, pos): do_preadv. */
    static long preadv(Task t, int fd, long iov, long iovcnt, long pos, int rwf) {
        if (pos < 0) return -Errno.EINVAL;
        File f = fdget(t, fd);
        if (f.isStream()) return -Errno.ESPIPE;
        return vfsReadv(t, f, iov, iovcnt, pos, rwf);
    }

    static long pwritev(Task t, int fd, long iov, long iovcnt, long pos, int rwf) {
        if (pos < 0) return -Errno.EINVAL;
        File f = fdget(t, fd);
        if (f.isStream()) return -Errno.ESPIPE;
        return vfsWritev(t, f, iov, iovcnt, pos, rwf);
    }

    /** preadv2: a position of -1 reads at (and moves) the file position, as readv does. */
    static long preadv2(Task t, int fd, long iov, long iovcnt, long pos, int rwf) {
        if (pos == -1) return vfsReadv(t, fdget(t, fd), iov, iovcnt, -1, rwf);
        return preadv(t, fd, iov, iovcnt, pos, rwf);
    }

    static long pwritev2(Task t, int fd, long iov, long iovcnt, long pos, int rwf) {
        if (pos == -1) return vfsWritev(t, fdget(t, fd), iov, iovcnt, -1, rwf);
        return pwritev(t, fd, iov, iovcnt, pos, rwf);
    }

    /**
     * vfs_readv: EBADF unless open for reading; the vector is imported; nothing to move is
     * success before the flags are even looked at; then rw_verify_area and the RWF_ flags.
     */
    private static long vfsReadv(Task t, File f, long iov, long iovcnt, long pos, int rwf) {
        if (!f.readable()) return -Errno.EBADF;
        Iovec[] v = importIovec(t, iov, iovcnt);
        long total = 0;
        for (Iovec e : v) total += e.len;
        if (total == 0) return 0;
        if (pos >= 0 && pos + total < 0) return -Errno.EINVAL;
        checkRwFlags(f, rwf, false);
        if (pos < 0) {
            long r = iter(t, f, v, false);
            if (r != File.NO_ITER) return accessed(f, r);
        }
        return accessed(f, eachIovec(v, (e, done) -> readInto(t, f, e.base, e.len, pos < 0 ? -1 : pos + done, rwf)));
    }

    private static long vfsWritev(Task t, File f, long iov, long iovcnt, long pos, int rwf) {
        if (!f.writable()) return -Errno.EBADF;
        Iovec[] v = importIovec(t, iov, iovcnt);
        long total = 0;
        for (Iovec e : v) total += e.len;
        if (total == 0) return 0;
        if (pos >= 0 && pos + total < 0) return -Errno.EINVAL;
        checkRwFlags(f, rwf, true);
        if (pos < 0) {
            long r = iter(t, f, v, true);
            if (r != File.NO_ITER) return modified(f, r);
        }
        return modified(f, eachIovec(v, (e, done) -> writeFrom(t, f, e.base, e.len, pos < 0 ? -1 : pos + done, rwf)));
    }

    /** Whether f has read_iter/write_iter (do_iter_readv_writev) rather than plain read/write (do_loop_readv_writev). */
    private static boolean hasIter(File f, boolean write) {
        if (f instanceof EventFd) return !write; // eventfd_read is read_iter, eventfd_write a plain write
        return !(f instanceof DirFile) && !(f instanceof EventPoll);
    }

    /** FMODE_NOWAIT: pipes and eventfds; tmpfs and kava's other files have no non-blocking I/O path. */
    private static boolean supportsNowait(File f) {
        return f instanceof PipeFile || f instanceof EventFd
                || f instanceof HostStdio s && s.kind() == HostStdio.Kind.PIPE;
    }

    /**
     * kiocb_set_rw_flags (or do_loop_readv_writev's check for files without iterators):
     * unknown flags and features the file lacks are EOPNOTSUPP; RWF_APPEND with RWF_NOAPPEND
     * EINVAL. RWF_ATOMIC needs FMODE_CAN_ATOMIC_WRITE and RWF_DONTCACHE FOP_DONTCACHE, which
     * no kava file has.
     */
    static void checkRwFlags(File f, int rwf, boolean write) {
        if (rwf == 0) return;
        if (!hasIter(f, write)) {
            if ((rwf & ~Fs.RWF_HIPRI) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
            return;
        }
        if ((rwf & ~Fs.RWF_SUPPORTED) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        if ((rwf & Fs.RWF_APPEND) != 0 && (rwf & Fs.RWF_NOAPPEND) != 0) throw ErrnoException.of(Errno.EINVAL);
        if ((rwf & Fs.RWF_NOWAIT) != 0 && !supportsNowait(f)) throw ErrnoException.of(Errno.EOPNOTSUPP);
        if ((rwf & Fs.RWF_ATOMIC) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
        if ((rwf & Fs.RWF_DONTCACHE) != 0) throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    static long lseek(Task t, int fd, long offset, int whence) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) return -Errno.EBADF;
        if (whence < 0 || whence > dev.kava.abi.Fcntl.SEEK_HOLE) return -Errno.EINVAL;
        return f.lseek(offset, whence);
    }
}
