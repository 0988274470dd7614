package dev.kava.fs.notify.inotify;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Inotify;
import dev.kava.abi.Resource;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.File;
import dev.kava.fs.FsPath;
import dev.kava.fs.Inode;
import dev.kava.fs.Namei;
import dev.kava.fs.Permission;
import dev.kava.fs.notify.Fsnotify;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/**
 * The inotify syscalls (fs/notify/inotify/inotify_user.c): inotify_init1, inotify_add_watch
 * and inotify_rm_watch (riscv64 has no inotify_init). Each validates its arguments in
 * Linux's order.
 */
public final class InotifyUser {
    private InotifyUser() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.INOTIFY_INIT1, (task, a) -> inotifyInit1(task, (int) a[0]));
        t.register(SyscallNr.INOTIFY_ADD_WATCH, (task, a) -> inotifyAddWatch(task, (int) a[0], a[1], (int) a[2]));
        t.register(SyscallNr.INOTIFY_RM_WATCH, (task, a) -> inotifyRmWatch(task, (int) a[0], (int) a[1]));
    }

    /**
     * do_inotify_init: the flags, then the user's instance count (EMFILE at max_user_instances),
     * then a descriptor (EMFILE at RLIMIT_NOFILE).
     */
    static long inotifyInit1(Task t, int flags) {
        if ((flags & ~(Inotify.IN_CLOEXEC | Inotify.IN_NONBLOCK)) != 0) return -Errno.EINVAL;
        InotifyUcounts counts = InotifyUcounts.of(t.kernel);
        InotifyUcounts.User user = counts.incInstances(t.group.cred.euid());
        if (user == null) return -Errno.EMFILE;
        InotifyGroup group = new InotifyGroup(counts, user, counts.maxQueuedEvents);
        InotifyFile f = new InotifyFile(group, flags);
        try {
            return t.group.files.install(f, (flags & Inotify.IN_CLOEXEC) != 0, 0, t.group.rlimits.cur(Resource.RLIMIT_NOFILE));
        } catch (RuntimeException e) {
            group.destroy();
            throw e;
        }
    }

    /** fdget: EBADF for no descriptor or an O_PATH one. */
    private static File fdget(Task t, int fd) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) throw ErrnoException.of(Errno.EBADF);
        return f;
    }

    /**
     * inotify_add_watch(fd, pathname, mask): only inotify's bits and at least one of them, the
     * descriptor, IN_MASK_ADD with IN_MASK_CREATE, an inotify descriptor, then the lookup
     * (IN_DONT_FOLLOW, IN_ONLYDIR) and read permission on what it finds. Returns the watch
     * descriptor, the same one for an inode already watched.
     */
    static long inotifyAddWatch(Task t, int fd, long pathAddr, int mask) {
        if ((mask & ~Inotify.ALL_INOTIFY_BITS) != 0) return -Errno.EINVAL;
        if ((mask & Inotify.ALL_INOTIFY_BITS) == 0) return -Errno.EINVAL;
        File f = fdget(t, fd);
        if ((mask & Inotify.IN_MASK_ADD) != 0 && (mask & Inotify.IN_MASK_CREATE) != 0) return -Errno.EINVAL;
        if (!(f instanceof InotifyFile inf)) return -Errno.EINVAL;
        // inotify_find_inode: user_path_at with LOOKUP_FOLLOW unless IN_DONT_FOLLOW, LOOKUP_DIRECTORY for IN_ONLYDIR.
        String name = t.mem.readPath(pathAddr, false);
        FsPath p = Namei.lookup(t, Fcntl.AT_FDCWD, name, (mask & Inotify.IN_DONT_FOLLOW) == 0);
        Inode inode = p.inode();
        if ((mask & Inotify.IN_ONLYDIR) != 0 && !inode.isDir()) return -Errno.ENOTDIR;
        Permission.check(t.group.cred, inode, Permission.MAY_READ); // path_permission(MAY_READ)
        return inf.group.updateWatch(inode, mask);
    }

    /** inotify_rm_watch(fd, wd): the watch goes, with an IN_IGNORED event; EINVAL for an unknown wd. */
    static long inotifyRmWatch(Task t, int fd, int wd) {
        File f = fdget(t, fd);
        if (!(f instanceof InotifyFile inf)) return -Errno.EINVAL;
        InotifyGroup.InotifyMark m = inf.group.find(wd);
        if (m == null) return -Errno.EINVAL;
        Fsnotify.destroyMark(m);
        return 0;
    }
}
