package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

/** A file opened with O_PATH (empty_fops): a location for *at() calls and fstat, with no I/O. */
final class OPathFile extends File {
    OPathFile(FsPath path, int flags) {
        super(path, flags);
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
}
