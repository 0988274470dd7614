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
final class ShmemFile extends File implements ExecFile {
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
    public synchronized int write(Task t, byte[] src, int off, int len) {
        if ((flags & Fcntl.O_APPEND) != 0) pos = inode.data.size();
        int n = pwrite(t, src, off, len, pos);
        pos += n;
        return n;
    }

    @Override
    public int pwrite(Task t, byte[] src, int off, int len, long offset) {
        RegularFile.checkFileSizeLimit(t, offset, len);
        int n = inode.data.write(offset, src, off, len);
        if (n > 0) inode.touchMtime();
        return n;
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

    @Override
    public void fallocate(Task t, int mode, long offset, long len) {
        if ((mode & RegularFile.FALLOC_FL_PUNCH_HOLE) != 0) {
            inode.data.punchHole(offset, len);
        } else {
            RegularFile.checkFileSizeLimit(t, offset, len);
            inode.data.allocate(offset, len, (mode & RegularFile.FALLOC_FL_KEEP_SIZE) != 0);
        }
        inode.touchMtime();
    }

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

    @Override
    public dev.kava.mm.Page pageCacheFrame(long index) {
        return inode.data.page(index, true);
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
