package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fs;
import dev.kava.abi.Stat;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/**
 * sync, syncfs, fsync, fdatasync and sync_file_range (fs/sync.c). kava's filesystems keep
 * their data in memory (tmpfs) or write through to the host at once (hostfs), so there is no
 * dirty data to wait for: what is left is Linux's validation, and each file type's fsync.
 */
public final class SyncSyscalls {
    private SyncSyscalls() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.SYNC, (task, a) -> 0L);
        t.register(SyscallNr.SYNCFS, (task, a) -> syncfs(task, (int) a[0]));
        t.register(SyscallNr.FSYNC, (task, a) -> fsync(task, (int) a[0], false));
        t.register(SyscallNr.FDATASYNC, (task, a) -> fsync(task, (int) a[0], true));
        t.register(SyscallNr.SYNC_FILE_RANGE, (task, a) -> syncFileRange(task, (int) a[0], a[1], a[2], (int) a[3]));
    }

    private static File fdget(Task t, int fd) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) throw ErrnoException.of(Errno.EBADF);
        return f;
    }

    /** syncfs(fd): sync_filesystem of the descriptor's superblock. */
    static long syncfs(Task t, int fd) {
        fdget(t, fd);
        return 0;
    }

    /** do_fsync: the file's own fsync, EINVAL for files that have none. */
    static long fsync(Task t, int fd, boolean datasync) {
        fdget(t, fd).fsync(t, datasync);
        return 0;
    }

    /**
     * sync_file_range(fd, offset, nbytes, flags): the descriptor, then the flags, then the
     * range (negative or wrapping is EINVAL), then the file type (ESPIPE unless a regular
     * file, block device, directory or symlink).
     */
    static long syncFileRange(Task t, int fd, long offset, long nbytes, int flags) {
        File f = fdget(t, fd);
        int valid = Fs.SYNC_FILE_RANGE_WAIT_BEFORE | Fs.SYNC_FILE_RANGE_WRITE | Fs.SYNC_FILE_RANGE_WAIT_AFTER;
        if ((flags & ~valid) != 0) return -Errno.EINVAL;
        long endbyte = offset + nbytes;
        if (offset < 0 || endbyte < 0 || endbyte < offset) return -Errno.EINVAL;
        Inode i = f.inode();
        int type = i == null ? 0 : i.type();
        if (type != Stat.S_IFREG && type != Stat.S_IFBLK && type != Stat.S_IFDIR && type != Stat.S_IFLNK) {
            return -Errno.ESPIPE;
        }
        return 0;
    }
}
