package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Resource;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/**
 * Opening files (fs/open.c, and path_openat/do_open in fs/namei.c): openat, openat2, close,
 * close_range; the working directory and root: chdir, fchdir, chroot; faccessat; umask.
 */
public final class Open {
    private Open() {}

    /** The flags O_PATH keeps (O_PATH_FLAGS in fs/open.c). */
    private static final int O_PATH_FLAGS = Fcntl.O_DIRECTORY | Fcntl.O_NOFOLLOW | Fcntl.O_PATH | Fcntl.O_CLOEXEC;
    /** S_IALLUGO: the mode bits open and mkdir take. */
    private static final int S_IALLUGO = 07777;
    /** sizeof(struct open_how) in its first version (OPEN_HOW_SIZE_VER0, include/uapi/linux/openat2.h). */
    private static final int OPEN_HOW_SIZE_VER0 = 24;
    /** close_range flags (include/uapi/linux/close_range.h). */
    private static final int CLOSE_RANGE_UNSHARE = 1 << 1;
    private static final int CLOSE_RANGE_CLOEXEC = 1 << 2;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.OPENAT, (task, a) -> openat(task, (int) a[0], a[1], (int) a[2], (int) a[3]));
        t.register(SyscallNr.OPENAT2, (task, a) -> openat2(task, (int) a[0], a[1], a[2], a[3]));
        t.register(SyscallNr.CLOSE, (task, a) -> close(task, (int) a[0]));
        t.register(SyscallNr.CLOSE_RANGE, (task, a) -> closeRange(task, (int) a[0], (int) a[1], (int) a[2]));
        t.register(SyscallNr.CHDIR, (task, a) -> chdir(task, a[0]));
        t.register(SyscallNr.FCHDIR, (task, a) -> fchdir(task, (int) a[0]));
        t.register(SyscallNr.CHROOT, (task, a) -> chroot(task, a[0]));
        t.register(SyscallNr.FACCESSAT, (task, a) -> faccessat(task, (int) a[0], a[1], (int) a[2], 0));
        t.register(SyscallNr.FACCESSAT2, (task, a) -> faccessat(task, (int) a[0], a[1], (int) a[2], (int) a[3]));
        t.register(SyscallNr.UMASK, (task, a) -> task.group.fs.setUmask((int) a[0]));
    }

    private static long nofile(Task t) {
        return t.group.rlimits.cur(Resource.RLIMIT_NOFILE);
    }

    /** openat: build_open_how drops unknown flags (openat2 refuses them). */
    static long openat(Task t, int dirfd, long pathAddr, int flags, int mode) {
        flags &= Fcntl.VALID_OPEN_FLAGS;
        if ((flags & (Fcntl.O_CREAT | Fcntl.__O_TMPFILE)) == 0) mode = 0;
        if ((flags & Fcntl.O_PATH) != 0) flags &= O_PATH_FLAGS;
        return doSysOpen(t, dirfd, pathAddr, flags, mode & S_IALLUGO, 0);
    }

    /** openat2(dirfd, path, struct open_how *how, size). */
    static long openat2(Task t, int dirfd, long pathAddr, long howAddr, long size) {
        if (Long.compareUnsigned(size, OPEN_HOW_SIZE_VER0) < 0) return -Errno.EINVAL;
        if (Long.compareUnsigned(size, 4096) > 0) return -Errno.E2BIG;
        byte[] how = t.mem.read(howAddr, (int) size);
        for (int i = OPEN_HOW_SIZE_VER0; i < how.length; i++) if (how[i] != 0) return -Errno.E2BIG; // copy_struct_from_user
        long flags = dev.kava.kernel.Uaccess.getLong(how, 0);
        long mode = dev.kava.kernel.Uaccess.getLong(how, 8);
        long resolve = dev.kava.kernel.Uaccess.getLong(how, 16);
        // build_open_flags: strict validation.
        if ((flags & ~(long) (Fcntl.VALID_OPEN_FLAGS & ~Fcntl.O_LARGEFILE | Fcntl.O_LARGEFILE)) != 0) return -Errno.EINVAL;
        if ((resolve & ~(long) Namei.RESOLVE_ALL) != 0) return -Errno.EINVAL;
        if ((flags & (Fcntl.O_CREAT | Fcntl.__O_TMPFILE)) != 0) {
            if ((mode & ~(long) S_IALLUGO) != 0) return -Errno.EINVAL;
        } else if (mode != 0) {
            return -Errno.EINVAL;
        }
        if ((resolve & Namei.RESOLVE_BENEATH) != 0 && (resolve & Namei.RESOLVE_IN_ROOT) != 0) return -Errno.EINVAL;
        if ((flags & Fcntl.O_PATH) != 0 && (flags & ~(long) O_PATH_FLAGS) != 0) return -Errno.EINVAL;
        if ((resolve & Namei.RESOLVE_CACHED) != 0 && (flags & (Fcntl.O_TRUNC | Fcntl.O_CREAT | Fcntl.__O_TMPFILE)) != 0) {
            return -Errno.EAGAIN;
        }
        return doSysOpen(t, dirfd, pathAddr, (int) flags, (int) mode, (int) resolve);
    }

    private static long doSysOpen(Task t, int dirfd, long pathAddr, int flags, int mode, int resolve) {
        flags |= Fcntl.O_LARGEFILE; // force_o_largefile() on 64-bit
        if ((flags & Fcntl.__O_TMPFILE) != 0) {
            if ((flags & Fcntl.O_TMPFILE) != Fcntl.O_TMPFILE || (flags & Fcntl.O_CREAT) != 0) return -Errno.EINVAL;
            int acc = flags & Fcntl.O_ACCMODE;
            if (acc != Fcntl.O_WRONLY && acc != Fcntl.O_RDWR) return -Errno.EINVAL;
        }
        String path = t.mem.readPath(pathAddr, false);
        // get_unused_fd_flags comes before the lookup: a full table is EMFILE whatever the path.
        FdTable files = t.group.files;
        if (files.lowestFree(nofile(t)) < 0) return -Errno.EMFILE;
        File f = open(t, dirfd, path, flags, mode, resolve);
        try {
            return files.install(f, (flags & Fcntl.O_CLOEXEC) != 0, 0, nofile(t));
        } catch (RuntimeException e) {
            f.fput();
            throw e;
        }
    }

    /** do_filp_open: the open file for name, created if asked. Errors are thrown. */
    public static File open(Task t, int dirfd, String name, int flags, int mode, int resolve) {
        Cred cred = t.group.cred;
        if ((flags & Fcntl.__O_TMPFILE) != 0) return openTmpfile(t, dirfd, name, flags, mode, resolve);
        boolean creat = (flags & Fcntl.O_CREAT) != 0;
        boolean created = false;
        FsPath p;
        if (!creat) {
            p = Namei.lookup(t, dirfd, name, (flags & Fcntl.O_NOFOLLOW) == 0, resolve);
        } else {
            boolean excl = (flags & Fcntl.O_EXCL) != 0;
            Namei.Nd nd = Namei.init(t, dirfd, name, resolve);
            Namei.Parent par = Namei.walkParent(nd, name);
            while (true) {
                if (par.type() != Namei.LastType.NORM || par.trailingSlash()) throw ErrnoException.of(Errno.EISDIR);
                FsPath dir = par.dir();
                Inode dirInode = dir.inode();
                Dentry child;
                synchronized (dirInode.lock) {
                    if (NameiSyscalls.deadDir(dir.dentry())) throw ErrnoException.of(Errno.ENOENT); // lookup_open
                    child = dir.dentry().child(par.last());
                    if (child == null) {
                        Permission.check(cred, dirInode, Permission.MAY_WRITE | Permission.MAY_EXEC);
                        if (dir.mnt().readOnly()) throw ErrnoException.of(Errno.EROFS);
                        Inode inode = dirInode.create(par.last(), mode & ~t.group.fs.umask(), cred);
                        child = dir.dentry().instantiate(par.last(), inode);
                        created = true;
                        dev.kava.fs.notify.Fsnotify.create(dirInode, par.last(), inode);
                    } else if (excl) {
                        throw ErrnoException.of(Errno.EEXIST);
                    }
                }
                p = MountNamespace.followDown(new FsPath(dir.mnt(), child));
                if (!created && p.inode().isSymlink()) {
                    if ((flags & Fcntl.O_NOFOLLOW) != 0) throw ErrnoException.of(Errno.ELOOP);
                    par = Namei.followLastLink(nd, dir, p);
                    if (par.type() == Namei.LastType.DOT && par.last().equals(".")) {
                        p = nd.pos; // a magic link led straight to a file
                        break;
                    }
                    continue;
                }
                break;
            }
        }
        return doOpen(t, p, flags, created);
    }

    /** do_open: the checks on what was found, then the filesystem's open. */
    static File doOpen(Task t, FsPath p, int flags, boolean created) {
        Inode inode = p.inode();
        if ((flags & Fcntl.O_PATH) != 0) {
            if ((flags & Fcntl.O_DIRECTORY) != 0 && !inode.isDir()) throw ErrnoException.of(Errno.ENOTDIR);
            return new OPathFile(p, flags);
        }
        if (inode.isSymlink()) throw ErrnoException.of(Errno.ELOOP);
        if ((flags & Fcntl.O_CREAT) != 0 && inode.isDir()) throw ErrnoException.of(Errno.EISDIR);
        if ((flags & Fcntl.O_DIRECTORY) != 0 && !inode.isDir()) throw ErrnoException.of(Errno.ENOTDIR);
        int acc = flags & Fcntl.O_ACCMODE;
        boolean write = acc == Fcntl.O_WRONLY || acc == Fcntl.O_RDWR || acc == 3 || (flags & Fcntl.O_TRUNC) != 0;
        boolean read = acc == Fcntl.O_RDONLY || acc == Fcntl.O_RDWR || acc == 3;
        if (inode.isDir() && write) throw ErrnoException.of(Errno.EISDIR);
        if (!created) {
            // may_open
            int type = inode.type();
            if ((type == dev.kava.abi.Stat.S_IFCHR || type == dev.kava.abi.Stat.S_IFBLK) && p.mnt().noDev()) {
                throw ErrnoException.of(Errno.EACCES);
            }
            int mask = (read ? Permission.MAY_READ : 0) | (write ? Permission.MAY_WRITE : 0);
            Permission.check(t.group.cred, inode, mask);
            if (write) Permission.checkWritable(p);
        }
        File f = inode.open(t, p, flags);
        dev.kava.fs.notify.Fsnotify.open(f);
        if ((flags & Fcntl.O_TRUNC) != 0 && !created && inode.isRegular()) {
            try {
                Attr.doTruncate(t, inode, 0, true); // handle_truncate
                dev.kava.fs.notify.Fsnotify.change(p.dentry(), dev.kava.fs.notify.Fsnotify.FS_MODIFY);
            } catch (RuntimeException e) {
                f.fput();
                throw e;
            }
        }
        return f;
    }

    private static File openTmpfile(Task t, int dirfd, String name, int flags, int mode, int resolve) {
        FsPath dir = Namei.lookup(t, dirfd, name, true, resolve);
        if (!dir.inode().isDir()) throw ErrnoException.of(Errno.ENOTDIR);
        Permission.check(t.group.cred, dir.inode(), Permission.MAY_WRITE | Permission.MAY_EXEC);
        if (dir.mnt().readOnly()) throw ErrnoException.of(Errno.EROFS);
        Inode inode = dir.inode().tmpfile(mode & ~t.group.fs.umask(), t.group.cred);
        if ((flags & Fcntl.O_EXCL) == 0) inode.linkable = true; // vfs_tmpfile: I_LINKABLE
        FsPath p = new FsPath(dir.mnt(), Dentry.tmpfile(dir.dentry(), inode));
        File f = inode.open(t, p, flags);
        dev.kava.fs.notify.Fsnotify.tmpfile(f);
        dev.kava.fs.notify.Fsnotify.open(f);
        return f;
    }

    static long close(Task t, int fd) {
        File f = t.group.files.remove(fd);
        Locks.posixClose(f, t.group.files); // filp_flush
        if (!t.group.files.refersTo(f)) f.fput(t);
        return 0;
    }

    /** close_range(first, last, flags). */
    static long closeRange(Task t, int first, int last, int flags) {
        if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0) return -Errno.EINVAL;
        if (Integer.compareUnsigned(first, last) > 0) return -Errno.EINVAL;
        FdTable files = t.group.files;
        if ((flags & CLOSE_RANGE_UNSHARE) != 0 && files.isShared()) {
            FdTable copy = files.copy();
            t.group.files = copy;
            dev.kava.kernel.Kernel.dropFiles(files);
            files = copy;
        }
        int max = files.maxFds();
        long hi = Math.min(Integer.toUnsignedLong(last), max - 1L);
        for (long fd = Integer.toUnsignedLong(first); fd <= hi; fd++) {
            if (files.get((int) fd) == null) continue;
            if ((flags & CLOSE_RANGE_CLOEXEC) != 0) {
                files.setCloseOnExec((int) fd, true);
            } else {
                File f = files.remove((int) fd);
                Locks.posixClose(f, files);
                if (f != null && !files.refersTo(f)) f.fput(t);
            }
        }
        return 0;
    }

    static long chdir(Task t, long pathAddr) {
        chdir(t, t.mem.readPath(pathAddr, false));
        return 0;
    }

    /** chdir on a path the kernel already holds (also used for kava run -w); throws the errno. */
    public static void chdir(Task t, String path) {
        FsPath p = Namei.lookup(t, Fcntl.AT_FDCWD, path, true);
        if (!p.inode().isDir()) throw ErrnoException.of(Errno.ENOTDIR);
        Permission.check(t.group.cred, p.inode(), Permission.MAY_EXEC);
        t.group.fs.setCwd(p);
    }

    static long fchdir(Task t, int fd) {
        File f = t.group.files.require(fd);
        if (f.path() == null || !f.path().inode().isDir()) return -Errno.ENOTDIR;
        Permission.check(t.group.cred, f.path().inode(), Permission.MAY_EXEC);
        t.group.fs.setCwd(f.path());
        return 0;
    }

    static long chroot(Task t, long pathAddr) {
        FsPath p = Namei.lookup(t, Fcntl.AT_FDCWD, t.mem.readPath(pathAddr, false), true);
        if (!p.inode().isDir()) return -Errno.ENOTDIR;
        Permission.check(t.group.cred, p.inode(), Permission.MAY_EXEC);
        if (t.group.cred.euid() != 0) return -Errno.EPERM; // CAP_SYS_CHROOT
        t.group.fs.setRoot(p);
        return 0;
    }

    /** do_faccessat: with the real ids unless AT_EACCESS; root may read and write anything, and execute what has an x bit. */
    static long faccessat(Task t, int dirfd, long pathAddr, int mode, int flags) {
        if ((mode & ~7) != 0) return -Errno.EINVAL;
        if ((flags & ~(Fcntl.AT_EACCESS | Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        String path = t.mem.readPath(pathAddr, (flags & Fcntl.AT_EMPTY_PATH) != 0);
        FsPath p = path.isEmpty() ? Namei.emptyPath(t, dirfd)
                : Namei.lookup(t, dirfd, path, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
        Cred c = t.group.cred;
        if ((flags & Fcntl.AT_EACCESS) == 0) {
            // access() checks with the real ids (override_creds with fsuid = uid).
            c = new Cred(c.uid(), c.euid(), c.suid(), c.uid(), c.gid(), c.egid(), c.sgid(), c.gid());
        }
        if (mode == 0) return 0;
        Permission.check(c, p.inode(), mode);
        if ((mode & Permission.MAY_WRITE) != 0) Permission.checkWritable(p);
        return 0;
    }
}
