package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

/** A file opened with O_PATH: a location for *at() calls and fstat, with no I/O. */
final class PathFile extends File {
    private final HostRoot fs;
    private final HostRoot.Resolved where;

    PathFile(HostRoot fs, HostRoot.Resolved where, int flags) {
        super(flags);
        this.fs = fs;
        this.where = where;
    }

    @Override
    public int read(Task t, byte[] dst, int off, int len) {
        throw ErrnoException.of(Errno.EBADF);
    }

    @Override
    public int write(Task t, byte[] src, int off, int len) {
        throw ErrnoException.of(Errno.EBADF);
    }

    @Override
    public long lseek(long offset, int whence) {
        throw ErrnoException.of(Errno.EBADF);
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        throw ErrnoException.of(Errno.EBADF);
    }

    @Override
    public Kstat stat() {
        return fs.statHost(where.hostPath());
    }

    @Override
    public String guestPath() {
        return where.guestPath();
    }

    HostRoot.Resolved where() {
        return where;
    }
}
