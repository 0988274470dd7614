package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * An open directory (the iterate_shared side of file_operations): getdents reads a snapshot
 * of the entries taken at the first read and after each rewind, "." and ".." first. The
 * position counts entries, so telldir/seekdir cookies are stable within a snapshot.
 */
public final class DirFile extends File implements Directory {
    private List<Entry> snapshot;

    public DirFile(FsPath path, int flags) {
        super(path, flags);
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
    public int write(Task t, byte[] src, int off, int len) {
        throw ErrnoException.of(Errno.EBADF);
    }

    @Override
    public synchronized List<Entry> entries() {
        if (snapshot == null) {
            Inode dir = path.inode();
            List<Entry> out = new ArrayList<>();
            out.add(new Entry(dir.ino, Stat.DT_DIR, "."));
            // ".." of a mount's root is the parent directory in the mount above, as readdir shows it.
            FsPath up = MountNamespace.followUp(path);
            Inode parent = up.dentry().parent().inode();
            out.add(new Entry(parent.ino, Stat.DT_DIR, ".."));
            if (!path.dentry().unhashed()) out.addAll(dir.list()); // a removed directory lists nothing
            snapshot = out;
            dir.touchAtime();
        }
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
    public Directory asDirectory() {
        return this;
    }

    /** A directory's fsync (noop_fsync on tmpfs; hostfs directories change on the host at once). */
    @Override
    public void fsync(Task t, boolean datasync) {}
}
