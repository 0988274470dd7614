package dev.kava.mm;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.File;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/**
 * fadvise64 (mm/fadvise.c), posix_fadvise's system call. The advice is a hint about the page
 * cache: tmpfs keeps every page in memory and hostfs reads go to the host, so, as for Linux's
 * filesystems without a backing device (generic_fadvise's noop_backing_dev_info case), kava
 * checks the arguments and has nothing else to do.
 */
public final class Fadvise {
    private Fadvise() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.FADVISE64, (task, a) -> fadvise64(task, (int) a[0], a[1], a[2], (int) a[3]));
    }

    /** ksys_fadvise64_64 and generic_fadvise: EBADF, then ESPIPE for a pipe, then EINVAL. */
    static long fadvise64(Task t, int fd, long offset, long len, int advice) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) return -Errno.EBADF; // fdget does not return O_PATH files
        if ((f.stat().mode() & Stat.S_IFMT) == Stat.S_IFIFO) return -Errno.ESPIPE;
        if (len < 0) return -Errno.EINVAL;
        if (advice < dev.kava.abi.Fadvise.POSIX_FADV_NORMAL || advice > dev.kava.abi.Fadvise.POSIX_FADV_NOREUSE) {
            return -Errno.EINVAL;
        }
        return 0;
    }
}
