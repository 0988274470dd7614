package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/** newfstatat and fstat (fs/stat.c). */
public final class StatSyscalls {
    private StatSyscalls() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.NEWFSTATAT, (task, a) -> newfstatat(task, (int) a[0], a[1], a[2], (int) a[3]));
        t.register(SyscallNr.FSTAT, (task, a) -> fstat(task, (int) a[0], a[1]));
    }

    static long fstat(Task t, int fd, long statbuf) {
        File f = t.group.files.require(fd);
        t.mem.write(statbuf, f.stat().toStatStruct());
        return 0;
    }

    /** vfs_fstatat: an empty (or NULL) name with AT_EMPTY_PATH is fstat of dirfd. */
    static long newfstatat(Task t, int dirfd, long pathAddr, long statbuf, int flags) {
        boolean emptyOk = (flags & Fcntl.AT_EMPTY_PATH) != 0;
        String path = emptyOk && pathAddr == 0 ? "" : t.mem.readPath(pathAddr, emptyOk);
        if (path.isEmpty() && dirfd >= 0) return fstat(t, dirfd, statbuf);
        if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_NO_AUTOMOUNT | Fcntl.AT_EMPTY_PATH | Fcntl.AT_STATX_SYNC_TYPE)) != 0) {
            return -Errno.EINVAL;
        }
        Kstat st;
        if (path.isEmpty()) {
            if (dirfd != Fcntl.AT_FDCWD) return -Errno.EBADF;
            st = t.group.fs.cwd().inode().getattr();
        } else {
            st = Namei.lookup(t, dirfd, path, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0).inode().getattr();
        }
        t.mem.write(statbuf, st.toStatStruct());
        return 0;
    }
}
