package dev.kava.fs.tmpfs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.fs.ExecFile;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.RegularFile;

import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

/** An open tmpfs regular file (shmem_file_operations). */
public final class ShmemFile extends File implements ExecFile {
    private final ShmemInode inode;

    ShmemFile(ShmemInode inode, FsPath path, int flags) {
        super(path, flags);
        this.inode = inode;
    }

    @Override
    public synchronized int read(Task t, byte[] dst, int off, int len) {
        int n = inode.data.read(pos, dst, off, len);
        pos += n;
        return n;
    }

    @Override
    public int pread(Task t, byte[] dst, int off, int len, long offset) {
        return inode.data.read(offset, dst, off, len);
    }

    @Override
    public int write(Task t, byte[] src, int off, int len) {
        return write(t, src, off, len, (flags & Fcntl.O_APPEND) != 0);
    }

    @Override
    public synchronized int write(Task t, byte[] src, int off, int len, boolean append) {
        long[] r = writeIter(t, src, off, len, pos, append);
        pos = r[1] + r[0];
        return (int) r[0];
    }

    /** pwrite on an O_APPEND file appends, as Linux does (IOCB_APPEND comes from the file's flags). */
    @Override
    public int pwrite(Task t, byte[] src, int off, int len, long offset) {
        return pwrite(t, src, off, len, offset, (flags & Fcntl.O_APPEND) != 0);
    }

    @Override
    public int pwrite(Task t, byte[] src, int off, int len, long offset, boolean append) {
        return (int) writeIter(t, src, off, len, offset, append)[0];
    }

    /**
     * shmem_file_write_iter: generic_write_checks (IOCB_APPEND moves the position to the end;
     * RLIMIT_FSIZE), file_remove_privs, file_update_time, then the copy. Returns {bytes written,
     * the offset they went to}. The inode lock (i_rwsem) is held throughout, so an appending
     * write cannot interleave with another.
     */
    private long[] writeIter(Task t, byte[] src, int off, int len, long offset, boolean append) {
        synchronized (inode.lock) {
            if (append) offset = inode.data.size();
            // shmem_write_begin: write seals refuse every write, a grow seal one past the end.
            int seals = inode.seals();
            if ((seals & (Fcntl.F_SEAL_WRITE | Fcntl.F_SEAL_FUTURE_WRITE)) != 0) throw ErrnoException.of(Errno.EPERM);
            if ((seals & Fcntl.F_SEAL_GROW) != 0 && offset + len > inode.data.size()) throw ErrnoException.of(Errno.EPERM);
            if (len == 0) return new long[] {0, offset};
            len = RegularFile.writeLimit(t, offset, len);
            dev.kava.fs.Attr.removePrivs(t, inode);
            inode.touchMtime();
            return new long[] {inode.data.write(offset, src, off, len), offset};
        }
    }

    @Override
    public int readAt(byte[] dst, int off, int len, long offset) {
        return offset < 0 ? 0 : inode.data.read(offset, dst, off, len);
    }

    @Override
    public long size() {
        return inode.data.size();
    }

    @Override
    public synchronized long lseek(long offset, int whence) {
        long size = inode.data.size();
        long np;
        switch (whence) {
            case Fcntl.SEEK_SET -> np = offset;
            case Fcntl.SEEK_CUR -> np = pos + offset;
            case Fcntl.SEEK_END -> np = size + offset;
            case Fcntl.SEEK_DATA -> {
                if (offset < 0 || offset >= size) throw ErrnoException.of(Errno.ENXIO);
                np = inode.data.seekData(offset);
                if (np < 0) throw ErrnoException.of(Errno.ENXIO);
            }
            case Fcntl.SEEK_HOLE -> {
                if (offset < 0 || offset >= size) throw ErrnoException.of(Errno.ENXIO);
                np = inode.data.seekHole(offset);
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
        if (np < 0) throw ErrnoException.of(Errno.EINVAL);
        pos = np;
        return np;
    }

    /** shmem_fallocate: allocation (optionally keeping the size) and hole punching; nothing else. */
    @Override
    public void fallocate(Task t, int mode, long offset, long len) {
        if ((mode & ~(RegularFile.FALLOC_FL_KEEP_SIZE | RegularFile.FALLOC_FL_PUNCH_HOLE)) != 0) {
            throw ErrnoException.of(Errno.EOPNOTSUPP);
        }
        synchronized (inode.lock) {
            int seals = inode.seals();
            if ((mode & RegularFile.FALLOC_FL_PUNCH_HOLE) != 0) {
                if ((seals & (Fcntl.F_SEAL_WRITE | Fcntl.F_SEAL_FUTURE_WRITE)) != 0) throw ErrnoException.of(Errno.EPERM);
                inode.data.punchHole(offset, len);
            } else {
                // The rlimit applies even with FALLOC_FL_KEEP_SIZE.
                dev.kava.fs.Attr.newsizeOk(t, inode, offset + len);
                if ((seals & Fcntl.F_SEAL_GROW) != 0 && (mode & RegularFile.FALLOC_FL_KEEP_SIZE) == 0
                        && offset + len > inode.data.size()) throw ErrnoException.of(Errno.EPERM);
                inode.data.allocate(offset, len, (mode & RegularFile.FALLOC_FL_KEEP_SIZE) != 0);
            }
            // file_modified: privileges and times, after a successful change.
            dev.kava.fs.Attr.removePrivs(t, inode);
            inode.touchMtime();
        }
    }

    /** noop_fsync: tmpfs has nowhere to write back to. */
    @Override
    public void fsync(Task t, boolean datasync) {}

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (cmd == dev.kava.abi.Ioctls.FIONREAD) {
            long left = Math.max(0, inode.data.size() - pos);
            t.mem.write32(arg, (int) Math.min(left, Integer.MAX_VALUE));
            return 0;
        }
        throw ErrnoException.of(Errno.ENOTTY);
    }

    @Override
    public boolean hasPageCache() {
        return true;
    }

    /** Write seals forbid new shared writable mappings (shmem_mmap_prepare / memfd_check_seals_mmap). */
    @Override
    public boolean writeSealed() {
        return (inode.seals() & (Fcntl.F_SEAL_WRITE | Fcntl.F_SEAL_FUTURE_WRITE)) != 0;
    }

    public ShmemInode shmemInode() {
        return inode;
    }

    @Override
    public dev.kava.mm.Page pageCacheFrame(long index) {
        return inode.data.page(index, true);
    }

    @Override
    public boolean pageCached(long index) {
        return inode.data.page(index, false) != null;
    }

    @Override
    public boolean pin() {
        synchronized (inode) {
            inode.openCount++;
        }
        return true;
    }

    @Override
    public void unpin() {
        inode.closed();
    }

    @Override
    public void release() {
        inode.closed();
    }
}
