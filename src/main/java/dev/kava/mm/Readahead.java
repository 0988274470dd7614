package dev.kava.mm;

import dev.kava.abi.Errno;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.File;
import dev.kava.fs.Inode;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/**
 * readahead(2) (mm/readahead.c): a POSIX_FADV_WILLNEED hint for a regular file. tmpfs pages
 * are always in memory and hostfs reads go to the host, so the hint has nothing to start;
 * the checks are Linux's.
 */
public final class Readahead {
    private Readahead() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.READAHEAD, (task, a) -> readahead(task, (int) a[0], a[1], a[2]));
    }

    /** ksys_readahead: EBADF unless open for reading; EINVAL unless a regular file (or block device). */
    static long readahead(Task t, int fd, long offset, long count) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath() || !f.readable()) return -Errno.EBADF;
        Inode i = f.inode();
        if (i == null || !(i.isRegular() || i.type() == dev.kava.abi.Stat.S_IFBLK)) return -Errno.EINVAL;
        // generic_fadvise: the length is a loff_t, so a count past LLONG_MAX is negative.
        if (count < 0) return -Errno.EINVAL;
        return 0;
    }
}
