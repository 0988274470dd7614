package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.util.List;

/** A directory of the host root, open for reading its entries. The position counts entries. */
public final class HostDirectory extends File implements Directory {
    private final HostRoot fs;
    private final HostRoot.Resolved where;
    private List<Entry> snapshot;

    HostDirectory(HostRoot fs, HostRoot.Resolved where, int flags) {
        super(flags);
        this.fs = fs;
        this.where = where;
    }

    @Override
    public int read(Task t, byte[] dst, int off, int len) {
        throw ErrnoException.of(Errno.EISDIR);
    }

    @Override
    public int pread(Task t, byte[] dst, int off, int len, long offset) {
        throw ErrnoException.of(Errno.EISDIR);
    }

    @Override
    public synchronized List<Entry> entries() {
        if (snapshot == null) snapshot = fs.list(where);
        return snapshot;
    }

    public synchronized long position() {
        return pos;
    }

    public synchronized void setPosition(long p) {
        pos = p;
    }

    @Override
    public synchronized long lseek(long offset, int whence) {
        long np = switch (whence) {
            case Fcntl.SEEK_SET -> offset;
            case Fcntl.SEEK_CUR -> pos + offset;
            default -> throw ErrnoException.of(Errno.EINVAL);
        };
        if (np < 0) throw ErrnoException.of(Errno.EINVAL);
        if (np == 0) snapshot = null; // rewinddir() sees entries created since
        pos = np;
        return np;
    }

    @Override
    public Kstat stat() {
        return fs.statHost(where.hostPath());
    }

    @Override
    public Directory asDirectory() {
        return this;
    }

    @Override
    public String guestPath() {
        return where.guestPath();
    }
}
