package dev.kava.fs.erofs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.fs.ExecFile;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

/** An open EROFS regular file (erofs_file_fops): read, pread, lseek, mmap and exec through readAt. */
final class ErofsFile extends File implements ExecFile {
    private final ErofsInode inode;

    ErofsFile(ErofsInode inode, FsPath path, int flags) {
        super(path, flags);
        this.inode = inode;
    }

    @Override
    public synchronized int read(Task t, byte[] dst, int off, int len) {
        int n = inode.read(pos, dst, off, len);
        pos += n;
        return n;
    }

    @Override
    public int pread(Task t, byte[] dst, int off, int len, long offset) {
        if (offset < 0) throw ErrnoException.of(Errno.EINVAL);
        return inode.read(offset, dst, off, len);
    }

    @Override
    public int write(Task t, byte[] src, int off, int len) {
        throw ErrnoException.of(Errno.EBADF);
    }

    @Override
    public int pwrite(Task t, byte[] src, int off, int len, long offset) {
        throw ErrnoException.of(Errno.EBADF);
    }

    @Override
    public int readAt(byte[] dst, int off, int len, long offset) {
        if (offset < 0) return 0;
        return inode.read(offset, dst, off, len);
    }

    @Override
    public long size() {
        return inode.size();
    }

    @Override
    public synchronized long lseek(long offset, int whence) {
        long size = inode.size();
        long np;
        switch (whence) {
            case Fcntl.SEEK_SET -> np = offset;
            case Fcntl.SEEK_CUR -> np = pos + offset;
            case Fcntl.SEEK_END -> np = size + offset;
            case Fcntl.SEEK_DATA -> {
                if (offset < 0 || offset >= size) throw ErrnoException.of(Errno.ENXIO);
                np = inode.seek(offset, true);
                if (np < 0) throw ErrnoException.of(Errno.ENXIO);
            }
            case Fcntl.SEEK_HOLE -> {
                if (offset < 0 || offset >= size) throw ErrnoException.of(Errno.ENXIO);
                np = inode.seek(offset, false);
            }
            default -> throw ErrnoException.of(Errno.EINVAL);
        }
        if (np < 0) throw ErrnoException.of(Errno.EINVAL);
        pos = np;
        return np;
    }

    @Override
    public long ioctl(Task t, int cmd, long arg) {
        if (cmd == dev.kava.abi.Ioctls.FIONREAD) {
            long left = Math.max(0, inode.size() - pos);
            t.mem.write32(arg, (int) Math.min(left, Integer.MAX_VALUE));
            return 0;
        }
        throw ErrnoException.of(Errno.ENOTTY);
    }
}
