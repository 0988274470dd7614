package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Fs;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.notify.Fsnotify;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.signal.SigInfo;
import dev.kava.kernel.signal.Signals;

/**
 * Moving data between descriptors inside the kernel: splice and tee (fs/splice.c), sendfile
 * and copy_file_range (fs/read_write.c). One side of a splice must be a pipe; sendfile reads
 * a regular file into anything writable; copy_file_range copies between regular files of one
 * filesystem (EXDEV across filesystems, since neither tmpfs nor hostfs has a copy_file_range
 * of its own: the generic cross-filesystem copy went away in 5.19).
 */
public final class SpliceSyscalls {
    private SpliceSyscalls() {}

    /** How much one step of an in-kernel copy moves (the internal pipe of splice_direct_to_actor). */
    private static final int CHUNK = 64 * 1024;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.SENDFILE, (task, a) -> sendfile(task, (int) a[0], (int) a[1], a[2], a[3]));
        t.register(SyscallNr.SPLICE, (task, a) -> splice(task, (int) a[0], a[1], (int) a[2], a[3], a[4], (int) a[5]));
        t.register(SyscallNr.TEE, (task, a) -> tee(task, (int) a[0], (int) a[1], a[2], (int) a[3]));
        t.register(SyscallNr.COPY_FILE_RANGE,
                (task, a) -> copyFileRange(task, (int) a[0], a[1], (int) a[2], a[3], a[4], (int) a[5]));
    }

    private static File fdget(Task t, int fd) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) throw ErrnoException.of(Errno.EBADF);
        return f;
    }

    /** get_pipe_info: the pipe behind a pipe or FIFO descriptor, or null. */
    static Pipe pipeOf(File f) {
        return f instanceof PipeFile p ? p.pipe : null;
    }

    private static boolean nonBlocking(File f) {
        return (f.flags() & Fcntl.O_NONBLOCK) != 0;
    }

    /** Whether the file reads through the page cache (a regular file's splice_read, filemap_splice_read). */
    private static boolean regular(File f) {
        Inode i = f.inode();
        return i != null && i.isRegular();
    }

    /** Files whose file_operations have a splice_write (iter_file_splice_write and the like). */
    private static boolean canSpliceWrite(File f) {
        return regular(f) || f instanceof HostStdio || f instanceof PipeFile
                || f.inode() != null && f.inode().type() == dev.kava.abi.Stat.S_IFCHR || f.canSpliceWrite();
    }

    /** rw_verify_area: a size that is negative as ssize_t, a negative position, or an end past LLONG_MAX is EINVAL. */
    private static void verifyArea(long pos, long count) {
        if (count < 0) throw ErrnoException.of(Errno.EINVAL);
        if (pos < 0) throw ErrnoException.of(Errno.EINVAL);
        if (pos + count < 0) throw ErrnoException.of(Errno.EINVAL);
    }

    private static long filePos(File f) {
        synchronized (f) {
            return f.pos;
        }
    }

    private static void setFilePos(File f, long pos) {
        synchronized (f) {
            f.pos = pos;
        }
    }

    // ---- sendfile

    /** sendfile64(out_fd, in_fd, loff_t *offset, count): the offset is written back even when the copy fails. */
    static long sendfile(Task t, int outFd, int inFd, long offsetAddr, long count) {
        if (offsetAddr == 0) return doSendfile(t, outFd, inFd, null, count);
        long[] pos = {t.mem.read64(offsetAddr)};
        long r;
        try {
            r = doSendfile(t, outFd, inFd, pos, count);
        } catch (ErrnoException e) {
            t.mem.write64(offsetAddr, pos[0]);
            throw e;
        }
        t.mem.write64(offsetAddr, pos[0]);
        return r;
    }

    /** do_sendfile: ppos (null: the input's file position) is advanced by what was sent. */
    private static long doSendfile(Task t, int outFd, int inFd, long[] ppos, long count) {
        File in = fdget(t, inFd);
        if (!in.readable()) return -Errno.EBADF;
        long pos;
        if (ppos == null) {
            pos = filePos(in);
        } else {
            pos = ppos[0];
            if (in.isStream()) return -Errno.ESPIPE; // no FMODE_PREAD
        }
        verifyArea(pos, count);
        count = Math.min(count, ReadWrite.MAX_RW_COUNT);
        File out = fdget(t, outFd);
        if (!out.writable()) return -Errno.EBADF;
        Pipe opipe = pipeOf(out);
        long n;
        if (opipe == null) {
            // do_splice_direct: the output must not append, the input must be seekable (a regular file).
            if ((out.flags() & Fcntl.O_APPEND) != 0) return -Errno.EINVAL;
            if (!regular(in)) return -Errno.EINVAL;
            if (!canSpliceWrite(out)) return -Errno.EINVAL;
            n = directCopy(t, in, pos, out, -1, count);
        } else {
            n = fileToPipe(t, in, pos, opipe, count, nonBlocking(out));
        }
        if (n > 0) {
            if (ppos != null) ppos[0] = pos + n;
            else setFilePos(in, pos + n);
            Fsnotify.access(in);
            Fsnotify.modify(out);
        }
        return n;
    }

    /**
     * splice_direct_to_actor: reads in (at inPos) and writes out (at outPos, or at its file
     * position when outPos < 0) until count bytes moved, the input ends, or the output takes
     * less than it was given. An error after some bytes moved ends the copy with their count.
     */
    static long directCopy(Task t, File in, long inPos, File out, long outPos, long count) {
        byte[] buf = new byte[(int) Math.min(Math.max(count, 1), CHUNK)];
        long done = 0;
        while (done < count) {
            int want = (int) Math.min(buf.length, count - done);
            int n, w;
            try {
                n = in.pread(t, buf, 0, want, inPos + done);
                if (n <= 0) break;
                w = outPos < 0 ? out.write(t, buf, 0, n) : out.pwrite(t, buf, 0, n, outPos + done);
            } catch (ErrnoException e) {
                if (done > 0) break;
                throw e;
            }
            done += w;
            if (w < n) break;
        }
        return done;
    }

    /**
     * splice_file_to_pipe: waits for room in the pipe (wait_for_space), then reads from a
     * regular file at pos as much as the pipe's free slots hold (filemap_splice_read); 0 at
     * end of file. No more waiting after that.
     */
    private static long fileToPipe(Task t, File in, long pos, Pipe opipe, long len, boolean nonBlock) {
        opipe.waitForSpace(t, nonBlock);
        if (!regular(in)) {
            // A stream's own splice_read (a socket's), or none: EINVAL.
            int room = Math.max(0, opipe.capacity() - opipe.available());
            byte[] buf = new byte[(int) Math.min(Math.min(len, room), CHUNK)];
            int n = in.spliceRead(t, buf, 0, buf.length, nonBlock);
            return n <= 0 ? n : opipe.append(buf, 0, n);
        }
        synchronized (opipe) {
            long want = Math.min(len, opipe.spliceRoom(pos));
            byte[] buf = new byte[(int) Math.min(Math.max(want, 0), CHUNK)];
            long done = 0;
            while (done < want) {
                int n;
                try {
                    n = in.pread(t, buf, 0, (int) Math.min(buf.length, want - done), pos + done);
                } catch (ErrnoException e) {
                    if (done > 0) break;
                    throw e;
                }
                if (n <= 0) break;
                done += opipe.append(buf, 0, n);
                if (n < buf.length) break;
            }
            return done;
        }
    }

    /**
     * iter_file_splice_write: waits for data in the pipe (EOF is 0), then writes what the pipe
     * holds, up to len, to out at pos (or at its position for a stream), and consumes only what
     * was written.
     */
    private static long pipeToFile(Task t, Pipe ipipe, File out, long pos, long len, boolean nonBlock) {
        if (!ipipe.waitForData(t, nonBlock)) return 0;
        long done = 0;
        byte[] buf = new byte[(int) Math.min(len, CHUNK)];
        while (done < len) {
            int w;
            synchronized (ipipe) {
                int n = ipipe.peek(buf, 0, (int) Math.min(buf.length, len - done));
                if (n == 0) break;
                try {
                    w = out.isStream() ? out.write(t, buf, 0, n) : out.pwrite(t, buf, 0, n, pos + done);
                } catch (ErrnoException e) {
                    if (done > 0) break;
                    if (e.errno == Errno.EPIPE) Signals.sendToTask(t, SigInfo.user(Signal.SIGPIPE, SigInfo.SI_USER, t.group.tgid, 0));
                    throw e;
                }
                ipipe.consume(w);
                done += w;
                if (w < n) break;
            }
        }
        return done;
    }

    // ---- splice

    /** splice(fd_in, off_in, fd_out, off_out, len, flags) */
    static long splice(Task t, int fdIn, long offInAddr, int fdOut, long offOutAddr, long len, int flags) {
        if (len == 0) return 0;
        long ulen = len < 0 ? Long.MAX_VALUE : len; // size_t: between pipes nothing bounds it but the pipes
        if ((flags & ~Fs.SPLICE_F_ALL) != 0) return -Errno.EINVAL;
        File in = fdget(t, fdIn);
        File out = fdget(t, fdOut);
        Pipe ipipe = pipeOf(in), opipe = pipeOf(out);
        if (ipipe != null && offInAddr != 0) return -Errno.ESPIPE;
        if (opipe != null && offOutAddr != 0) return -Errno.ESPIPE;
        long offIn = offInAddr != 0 ? t.mem.read64(offInAddr) : 0;
        long offOut = offOutAddr != 0 ? t.mem.read64(offOutAddr) : 0;
        if (!in.readable() || !out.writable()) return -Errno.EBADF;
        boolean nonBlock = (flags & Fs.SPLICE_F_NONBLOCK) != 0;
        long ret;
        if (ipipe != null && opipe != null) {
            if (ipipe == opipe) return -Errno.EINVAL;
            ret = pipeToPipe(t, ipipe, opipe, ulen, nonBlock || nonBlocking(in) || nonBlocking(out));
        } else if (ipipe != null) {
            if (offOutAddr != 0 && out.isStream()) return -Errno.EINVAL; // no FMODE_PWRITE
            long offset = offOutAddr != 0 ? offOut : filePos(out);
            if ((out.flags() & Fcntl.O_APPEND) != 0) return -Errno.EINVAL;
            verifyArea(out.isStream() ? 0 : offset, len);
            if (!canSpliceWrite(out)) return -Errno.EINVAL;
            ret = pipeToFile(t, ipipe, out, offset, Math.min(len, ReadWrite.MAX_RW_COUNT), nonBlock || nonBlocking(in));
            if (offOutAddr != 0) t.mem.write64(offOutAddr, offset + ret);
            else if (!out.isStream()) setFilePos(out, offset + ret);
        } else if (opipe != null) {
            if (offInAddr != 0 && in.isStream()) return -Errno.EINVAL; // no FMODE_PREAD
            long offset = offInAddr != 0 ? offIn : filePos(in);
            verifyArea(offset, len);
            ret = fileToPipe(t, in, offset, opipe, Math.min(len, ReadWrite.MAX_RW_COUNT), nonBlock || nonBlocking(out));
            if (offInAddr != 0) t.mem.write64(offInAddr, offset + ret);
            else setFilePos(in, offset + ret);
        } else {
            return -Errno.EINVAL;
        }
        if (ret > 0) {
            // The output's IN_MODIFY before the input's IN_ACCESS, as do_splice reports them.
            Fsnotify.modify(out);
            Fsnotify.access(in);
        }
        return ret;
    }

    /** Both pipes' monitors, always in the same order (pipe_double_lock). */
    private static final Object TIE = new Object();

    private interface TwoPipes {
        long run();
    }

    private static long locked(Pipe a, Pipe b, TwoPipes op) {
        int ha = System.identityHashCode(a), hb = System.identityHashCode(b);
        if (ha == hb) {
            synchronized (TIE) {
                synchronized (a) {
                    synchronized (b) {
                        return op.run();
                    }
                }
            }
        }
        Pipe first = ha < hb ? a : b, second = ha < hb ? b : a;
        synchronized (first) {
            synchronized (second) {
                return op.run();
            }
        }
    }

    /** A result of a locked step that asks for another round of waiting. */
    private static final long RETRY = Long.MIN_VALUE;

    /**
     * splice_pipe_to_pipe: waits for input and for room, then moves as much as both allow, up
     * to len. An output without readers is SIGPIPE and EPIPE; an input at end of file is 0.
     */
    private static long pipeToPipe(Task t, Pipe ipipe, Pipe opipe, long len, boolean nonBlock) {
        while (true) {
            ipipe.waitForData(t, nonBlock);
            opipe.waitForSpace(t, nonBlock);
            long r = locked(ipipe, opipe, () -> {
                if (opipe.readers() == 0) {
                    Signals.sendToTask(t, SigInfo.user(Signal.SIGPIPE, SigInfo.SI_USER, 0, 0));
                    return -Errno.EPIPE;
                }
                if (ipipe.empty() && ipipe.writers() == 0) return 0;
                if (ipipe.empty() || opipe.full()) return nonBlock ? -Errno.EAGAIN : RETRY;
                int room = opipe.capacity() - opipe.available();
                long n = Math.min(Math.min(len, ipipe.available()), room);
                byte[] buf = new byte[(int) Math.min(n, CHUNK)];
                long done = 0;
                while (done < n) {
                    int k = ipipe.peek(buf, 0, (int) Math.min(buf.length, n - done));
                    int w = opipe.append(buf, 0, k);
                    ipipe.consume(w);
                    done += w;
                    if (w < k || k == 0) break;
                }
                return done;
            });
            if (r != RETRY) return r;
        }
    }

    // ---- tee

    /** tee(fd_in, fd_out, len, flags): copies what is in one pipe into another without consuming it. */
    static long tee(Task t, int fdIn, int fdOut, long len, int flags) {
        if ((flags & ~Fs.SPLICE_F_ALL) != 0) return -Errno.EINVAL;
        if (len == 0) return 0;
        long ulen = len < 0 ? Long.MAX_VALUE : len; // size_t
        File in = fdget(t, fdIn);
        File out = fdget(t, fdOut);
        Pipe ipipe = pipeOf(in), opipe = pipeOf(out);
        if (!in.readable() || !out.writable()) return -Errno.EBADF;
        if (ipipe == null || opipe == null || ipipe == opipe) return -Errno.EINVAL;
        boolean nonBlock = (flags & Fs.SPLICE_F_NONBLOCK) != 0 || nonBlocking(in) || nonBlocking(out);
        ipipe.waitForData(t, nonBlock); // ipipe_prep
        opipe.waitForSpace(t, nonBlock); // opipe_prep
        // link_pipe
        return locked(ipipe, opipe, () -> {
            if (opipe.readers() == 0) {
                Signals.sendToTask(t, SigInfo.user(Signal.SIGPIPE, SigInfo.SI_USER, 0, 0));
                return -Errno.EPIPE;
            }
            if (opipe.full()) return 0;
            int room = opipe.capacity() - opipe.available();
            int n = (int) Math.min(Math.min(ulen, ipipe.available()), room);
            byte[] buf = new byte[Math.min(Math.max(n, 0), CHUNK)];
            int done = 0;
            while (done < n) {
                int k = ipipe.peek(buf, 0, Math.min(buf.length, n - done), done);
                int w = opipe.append(buf, 0, k);
                done += w;
                if (w < k || k == 0) break;
            }
            return done;
        });
    }

    // ---- copy_file_range

    /** copy_file_range(fd_in, off_in, fd_out, off_out, len, flags): flags must be 0. */
    static long copyFileRange(Task t, int fdIn, long offInAddr, int fdOut, long offOutAddr, long len, int flags) {
        File in = fdget(t, fdIn);
        File out = fdget(t, fdOut);
        long posIn = offInAddr != 0 ? t.mem.read64(offInAddr) : filePos(in);
        long posOut = offOutAddr != 0 ? t.mem.read64(offOutAddr) : filePos(out);
        if (flags != 0) return -Errno.EINVAL;
        long n = vfsCopyFileRange(t, in, posIn, out, posOut, len);
        if (n > 0) {
            if (offInAddr != 0) t.mem.write64(offInAddr, posIn + n);
            else setFilePos(in, posIn + n);
            if (offOutAddr != 0) t.mem.write64(offOutAddr, posOut + n);
            else setFilePos(out, posOut + n);
            Fsnotify.access(in);
            Fsnotify.modify(out);
        }
        return n;
    }

    /** vfs_copy_file_range with generic_copy_file_checks. */
    static long vfsCopyFileRange(Task t, File in, long posIn, File out, long posOut, long count) {
        Inode iin = in.inode(), iout = out.inode();
        // generic_file_rw_checks
        if (iin != null && iin.isDir() || iout != null && iout.isDir()) return -Errno.EISDIR;
        if (iin == null || iout == null || !iin.isRegular() || !iout.isRegular()) return -Errno.EINVAL;
        if (!in.readable() || !out.writable() || (out.flags() & Fcntl.O_APPEND) != 0) return -Errno.EBADF;
        if (iin.sb != iout.sb) return -Errno.EXDEV;
        if (Long.compareUnsigned(posIn + count, posIn) < 0 || Long.compareUnsigned(posOut + count, posOut) < 0) {
            return -Errno.EOVERFLOW;
        }
        long sizeIn = iin.size();
        if (posIn >= sizeIn) count = 0;
        else if (Long.compareUnsigned(count, sizeIn - posIn) > 0) count = sizeIn - posIn;
        count = writeCheckLimits(t, posOut, count);
        boolean same = iin == iout || iin.ino == iout.ino;
        if (same && posOut + count > posIn && posOut < posIn + count) return -Errno.EINVAL;
        verifyArea(posIn, count);
        verifyArea(posOut, count);
        if (count == 0) return 0;
        count = Math.min(count, ReadWrite.MAX_RW_COUNT);
        return directCopy(t, in, posIn, out, posOut, count); // do_splice_direct
    }

    /** generic_write_check_limits on a count: SIGXFSZ and EFBIG at or past RLIMIT_FSIZE, shortened to it before. */
    private static long writeCheckLimits(Task t, long pos, long count) {
        long limit = t.group.rlimits.cur(dev.kava.abi.Resource.RLIMIT_FSIZE);
        if (limit != dev.kava.abi.Resource.RLIM_INFINITY) {
            if (Long.compareUnsigned(pos, limit) >= 0) {
                Signals.sendToTask(t, SigInfo.user(Signal.SIGXFSZ, 0, t.group.tgid, t.group.cred.uid()));
                throw ErrnoException.of(Errno.EFBIG);
            }
            if (Long.compareUnsigned(count, limit - pos) > 0) count = limit - pos;
        }
        if (pos < 0) throw ErrnoException.of(Errno.EFBIG);
        return count;
    }
}
