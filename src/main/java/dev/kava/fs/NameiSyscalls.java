package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.notify.Fsnotify;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/**
 * The syscalls of fs/namei.c that change the namespace: mknodat, mkdirat, unlinkat (unlink and
 * rmdir), symlinkat, linkat and renameat2 (riscv64 has no rename or renameat). Each follows
 * Linux's do_* function step by step, so that errors come in Linux's order: the parent lookup
 * (filename_parentat), the kind of the last component, mnt_want_write (EROFS), the lookup of
 * the last component under the directory's lock, may_create / may_delete, then the
 * filesystem's operation; the dcache follows every change.
 */
public final class NameiSyscalls {
    private NameiSyscalls() {}

    /** s_vfs_rename_mutex: cross-directory renames, which lock two directories, go one at a time. */
    private static final Object RENAME_LOCK = new Object();

    /**
     * fs.protected_hardlinks: only the owner (or CAP_FOWNER) may hard-link a file that is not a
     * regular file it could read and write. The kernel's built-in default is 0; every
     * systemd-based distribution boots with 1, the value kava uses.
     */
    public static volatile boolean protectedHardlinks = true;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.MKNODAT, (task, a) -> mknodat(task, (int) a[0], a[1], (int) a[2], (int) a[3]));
        t.register(SyscallNr.MKDIRAT, (task, a) -> mkdirat(task, (int) a[0], a[1], (int) a[2]));
        t.register(SyscallNr.UNLINKAT, (task, a) -> unlinkat(task, (int) a[0], a[1], (int) a[2]));
        t.register(SyscallNr.SYMLINKAT, (task, a) -> symlinkat(task, a[0], (int) a[1], a[2]));
        t.register(SyscallNr.LINKAT, (task, a) -> linkat(task, (int) a[0], a[1], (int) a[2], a[3], (int) a[4]));
        t.register(SyscallNr.RENAMEAT2, (task, a) -> renameat2(task, (int) a[0], a[1], (int) a[2], a[3], (int) a[4]));
    }

    /** CAP_MKNOD and the other capabilities root has. */
    private static boolean capable(Cred c) {
        return c.euid() == 0;
    }

    // ---- the pieces every operation shares

    /** IS_DEADDIR: the directory was removed (rmdir, or replaced by a rename) and takes no new names. */
    static boolean deadDir(Dentry d) {
        if (d.unhashed() && !d.isRoot()) return true;
        Inode i = d.inode();
        return i.isDir() && i.nlink() == 0;
    }

    /** filename_create, up to the lookup: the parent of a name to create, whose last component must be a normal name. */
    private static Namei.Parent createParent(Task t, int dfd, String name) {
        Namei.Parent par = Namei.lookupParent(t, dfd, name);
        if (par.type() != Namei.LastType.NORM) throw ErrnoException.of(Errno.EEXIST); // foo/., foo/.., ////
        return par;
    }

    /**
     * The rest of filename_create, with the directory's lock held: lookup_one_qstr_excl with
     * LOOKUP_CREATE | LOOKUP_EXCL (a trailing slash drops LOOKUP_CREATE unless a directory is
     * wanted), then the deferred mnt_want_write.
     */
    private static void lookupCreate(Namei.Parent par, boolean wantDir) {
        FsPath dir = par.dir();
        Dentry existing = dir.dentry().child(par.last());
        if (existing != null) throw ErrnoException.of(Errno.EEXIST);
        if (deadDir(dir.dentry())) throw ErrnoException.of(Errno.ENOENT);
        if (par.trailingSlash() && !wantDir) throw ErrnoException.of(Errno.ENOENT);
        if (dir.mnt().readOnly()) throw ErrnoException.of(Errno.EROFS);
    }

    /** may_create: the directory must be alive and writable and searchable. */
    private static void mayCreate(Cred c, Dentry dir) {
        if (deadDir(dir)) throw ErrnoException.of(Errno.ENOENT);
        Permission.check(c, dir.inode(), Permission.MAY_WRITE | Permission.MAY_EXEC);
    }

    /** may_delete: the victim's directory is writable, the sticky bit allows it, and the kinds match. */
    private static void mayDelete(Cred c, Dentry dir, Dentry victim, boolean isDir) {
        Inode d = dir.inode(), v = victim.inode();
        Permission.check(c, d, Permission.MAY_WRITE | Permission.MAY_EXEC);
        if (Permission.stickyDenies(c, d, v)) throw ErrnoException.of(Errno.EPERM);
        if (isDir) {
            if (!v.isDir()) throw ErrnoException.of(Errno.ENOTDIR);
            if (victim.isRoot()) throw ErrnoException.of(Errno.EBUSY);
        } else if (v.isDir()) {
            throw ErrnoException.of(Errno.EISDIR);
        }
        if (deadDir(dir)) throw ErrnoException.of(Errno.ENOENT);
    }

    /**
     * vfs_prepare_mode: drops S_ISGID the caller may not give (mode_strip_sgid), applies the
     * umask (mode_strip_umask), keeps the permission bits in maskPerms and takes the type
     * bits of type.
     */
    private static int prepareMode(Task t, Inode dir, int mode, int maskPerms, int type) {
        if ((mode & (Stat.S_ISGID | 0010)) == (Stat.S_ISGID | 0010) && (mode & Stat.S_IFMT) != Stat.S_IFDIR
                && (dir.mode() & Stat.S_ISGID) != 0 && !inGroupOrCapable(t, dir.gid())) {
            mode &= ~Stat.S_ISGID;
        }
        mode &= ~t.group.fs.umask();
        return (mode & maskPerms & ~Stat.S_IFMT) | (type & Stat.S_IFMT);
    }

    /** in_group_or_capable: the caller's fsgid or a supplementary group is gid, or it has CAP_FSETID. */
    private static boolean inGroupOrCapable(Task t, int gid) {
        Cred c = t.group.cred;
        if (c.fsgid() == gid) return true;
        for (int g : t.group.groups) if (g == gid) return true;
        return c.fsuid() == 0;
    }

    // ---- mknodat, mkdirat

    /** mknodat(dfd, filename, mode, dev): a regular file, device, fifo or socket node. */
    static long mknodat(Task t, int dfd, long pathAddr, int rawMode, int dev) {
        int mode = rawMode & 0xffff; // umode_t
        int type = mode & Stat.S_IFMT;
        // may_mknod, before the name is even looked at.
        switch (type) {
            case 0, Stat.S_IFREG, Stat.S_IFCHR, Stat.S_IFBLK, Stat.S_IFIFO, Stat.S_IFSOCK -> { }
            case Stat.S_IFDIR -> { return -Errno.EPERM; }
            default -> { return -Errno.EINVAL; }
        }
        String name = t.mem.readPath(pathAddr, false);
        createAt(t, dfd, name, false, (di, last, c) -> {
            if (type == 0 || type == Stat.S_IFREG) {
                // vfs_create
                return di.create(last, prepareMode(t, di, mode, 07777, Stat.S_IFREG) & 07777, c);
            }
            // vfs_mknod: devices need CAP_MKNOD, except a whiteout (a 0/0 character device).
            boolean device = type == Stat.S_IFCHR || type == Stat.S_IFBLK;
            long rdev = device ? decodeDev(dev) : 0;
            if (device && !(type == Stat.S_IFCHR && rdev == 0) && !capable(c)) throw ErrnoException.of(Errno.EPERM);
            return di.mknod(last, prepareMode(t, di, mode, mode, mode), rdev, c);
        });
        return 0;
    }

    /** What a create makes in its directory (vfs_create, vfs_mkdir, vfs_mknod, vfs_symlink), the directory locked. */
    @FunctionalInterface
    private interface Maker {
        Inode make(Inode dir, String name, Cred c);
    }

    /**
     * filename_create through done_path_create: the parent of name looked up, its lock taken,
     * the name checked to be free (lookupCreate) and creatable (may_create), then make's inode
     * instantiated under it and fsnotify_create reported. Returns where the new name is.
     */
    private static FsPath createAt(Task t, int dfd, String name, boolean isDir, Maker make) {
        Namei.Parent par = createParent(t, dfd, name);
        FsPath dir = par.dir();
        Inode di = dir.inode();
        Cred c = t.group.cred;
        synchronized (di.lock) {
            lookupCreate(par, isDir);
            mayCreate(c, dir.dentry());
            Inode inode = make.make(di, par.last(), c);
            Dentry d = dir.dentry().instantiate(par.last(), inode);
            Fsnotify.create(di, par.last(), inode);
            return new FsPath(dir.mnt(), d);
        }
    }

    /**
     * The VFS half of binding an AF_UNIX socket to a path (net/unix's unix_bind_bsd):
     * start_creating_path at name relative to the working directory, then vfs_mknod of a socket
     * node with mode (S_IFSOCK and the permissions, the umask already applied). EEXIST when the
     * name exists. Returns the new node, its mount pinned as the bound socket's u->path pins it
     * until {@link #socketPathPut}.
     */
    public static FsPath mknodSocket(Task t, String name, int mode) {
        FsPath node = createAt(t, Fcntl.AT_FDCWD, name, false, (di, last, c) -> di.mknod(last, Stat.S_IFSOCK | (mode & 07777), 0, c));
        node.mnt().users.incrementAndGet();
        return node;
    }

    /** unix_bind_bsd's out_unlink: removes the node mknodSocket made (if it still has its name) and drops the pin. */
    public static void unlinkSocket(FsPath node) {
        Dentry d = node.dentry();
        Inode di = d.parent().inode();
        try {
            synchronized (di.lock) {
                if (!d.unhashed() && d.parent().child(d.name()) == d) {
                    di.unlink(d.name(), d.inode());
                    d.deleted();
                }
            }
        } finally {
            socketPathPut(node);
        }
    }

    /** path_get / path_put of a socket's bound path: the mount stays busy while a socket is bound in it. */
    public static void socketPathGet(FsPath p) {
        p.mnt().users.incrementAndGet();
    }

    public static void socketPathPut(FsPath p) {
        p.mnt().users.decrementAndGet();
    }

    /** new_decode_dev: the 32-bit dev_t of mknod (12-bit major, 20-bit minor) as kava's encoding. */
    private static long decodeDev(int dev) {
        int major = (dev & 0xfff00) >>> 8;
        int minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
        return Stat.encodeDev(major, minor);
    }

    /** mkdirat(dfd, pathname, mode): do_mkdirat and vfs_mkdir. */
    static long mkdirat(Task t, int dfd, long pathAddr, int mode) {
        String name = t.mem.readPath(pathAddr, false);
        createAt(t, dfd, name, true, (di, last, c) -> di.mkdir(last, prepareMode(t, di, mode & 0xffff, 01777, 0), c));
        return 0;
    }

    // ---- unlinkat: unlink and rmdir

    /** unlinkat(dfd, pathname, flag): AT_REMOVEDIR makes it rmdir. */
    static long unlinkat(Task t, int dfd, long pathAddr, int flag) {
        if ((flag & ~Fcntl.AT_REMOVEDIR) != 0) return -Errno.EINVAL;
        String name = t.mem.readPath(pathAddr, false);
        if ((flag & Fcntl.AT_REMOVEDIR) != 0) {
            rmdir(t, dfd, name);
        } else {
            unlink(t, dfd, name);
        }
        return 0;
    }

    /** do_rmdir and vfs_rmdir. */
    static void rmdir(Task t, int dfd, String name) {
        Namei.Parent par = Namei.lookupParent(t, dfd, name);
        switch (par.type()) {
            case DOTDOT -> throw ErrnoException.of(Errno.ENOTEMPTY);
            case DOT -> throw ErrnoException.of(Errno.EINVAL);
            case ROOT -> throw ErrnoException.of(Errno.EBUSY);
            case NORM -> { }
        }
        FsPath dir = par.dir();
        if (dir.mnt().readOnly()) throw ErrnoException.of(Errno.EROFS);
        Inode di = dir.inode();
        synchronized (di.lock) {
            Dentry victim = dir.dentry().child(par.last());
            if (victim == null) throw ErrnoException.of(Errno.ENOENT);
            mayDelete(t.group.cred, dir.dentry(), victim, true);
            Inode vi = victim.inode();
            synchronized (vi.lock) {
                if (victim.isMountpoint()) throw ErrnoException.of(Errno.EBUSY);
                di.rmdir(par.last(), vi);
                victim.deleted();
            }
            Fsnotify.rmdir(di, par.last(), victim, vi);
        }
    }

    /** do_unlinkat and vfs_unlink. */
    static void unlink(Task t, int dfd, String name) {
        Namei.Parent par = Namei.lookupParent(t, dfd, name);
        if (par.type() != Namei.LastType.NORM) throw ErrnoException.of(Errno.EISDIR);
        FsPath dir = par.dir();
        if (dir.mnt().readOnly()) throw ErrnoException.of(Errno.EROFS);
        Inode di = dir.inode();
        synchronized (di.lock) {
            Dentry victim = dir.dentry().child(par.last());
            if (victim == null) throw ErrnoException.of(Errno.ENOENT);
            // "Why not before? Because we want correct error value."
            if (par.trailingSlash()) throw ErrnoException.of(victim.inode().isDir() ? Errno.EISDIR : Errno.ENOTDIR);
            mayDelete(t.group.cred, dir.dentry(), victim, false);
            Inode vi = victim.inode();
            int links;
            synchronized (vi.lock) {
                if (victim.isMountpoint()) throw ErrnoException.of(Errno.EBUSY);
                links = vi.nlink();
                di.unlink(par.last(), vi);
                victim.deleted();
            }
            Fsnotify.unlink(di, par.last(), victim, vi, links);
        }
    }

    // ---- symlinkat, linkat

    /** symlinkat(oldname, newdfd, newname): do_symlinkat and vfs_symlink. */
    static long symlinkat(Task t, long targetAddr, int newdfd, long pathAddr) {
        String target = t.mem.readPath(targetAddr, false);
        String name = t.mem.readPath(pathAddr, false);
        createAt(t, newdfd, name, false, (di, last, c) -> di.symlink(last, target, c));
        return 0;
    }

    /** linkat(olddfd, oldname, newdfd, newname, flags): do_linkat, may_linkat and vfs_link. */
    static long linkat(Task t, int olddfd, long oldAddr, int newdfd, long newAddr, int flags) {
        if ((flags & ~(Fcntl.AT_SYMLINK_FOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        String oldName = t.mem.readPath(oldAddr, (flags & Fcntl.AT_EMPTY_PATH) != 0);
        FsPath old = oldName.isEmpty() ? Namei.emptyPath(t, olddfd)
                : Namei.lookup(t, olddfd, oldName, (flags & Fcntl.AT_SYMLINK_FOLLOW) != 0);
        String newName = t.mem.readPath(newAddr, false);
        Namei.Parent par = createParent(t, newdfd, newName);
        FsPath dir = par.dir();
        Inode di = dir.inode();
        Cred c = t.group.cred;
        Inode src = old.inode();
        synchronized (di.lock) {
            lookupCreate(par, false);
            if (old.mnt() != dir.mnt()) throw ErrnoException.of(Errno.EXDEV);
            mayLinkat(c, src);
            mayCreate(c, dir.dentry());
            if (src.sb != di.sb) throw ErrnoException.of(Errno.EXDEV);
            if (src.isDir()) throw ErrnoException.of(Errno.EPERM);
            synchronized (src.lock) {
                // No link to an unlinked file, unless it is an O_TMPFILE file made linkable.
                if (src.nlink() == 0 && !src.linkable) throw ErrnoException.of(Errno.ENOENT);
                di.link(src, par.last());
                src.linkable = false;
            }
            dir.dentry().instantiate(par.last(), src);
            Fsnotify.link(di, par.last(), src);
        }
        return 0;
    }

    /** may_linkat with fs.protected_hardlinks: the owner, or a safe source (safe_hardlink_source). */
    private static void mayLinkat(Cred c, Inode inode) {
        if (!protectedHardlinks || Permission.ownerOrCapable(c, inode)) return;
        int mode = inode.mode();
        boolean safe = (mode & Stat.S_IFMT) == Stat.S_IFREG
                && (mode & Stat.S_ISUID) == 0
                && (mode & (Stat.S_ISGID | 0010)) != (Stat.S_ISGID | 0010)
                && Permission.allowed(c, inode, Permission.MAY_READ | Permission.MAY_WRITE);
        if (!safe) throw ErrnoException.of(Errno.EPERM);
    }

    // ---- renameat2

    /** renameat2(olddfd, oldname, newdfd, newname, flags): do_renameat2. */
    static long renameat2(Task t, int olddfd, long oldAddr, int newdfd, long newAddr, int flags) {
        int known = Fcntl.RENAME_NOREPLACE | Fcntl.RENAME_EXCHANGE | Fcntl.RENAME_WHITEOUT;
        if ((flags & ~known) != 0) return -Errno.EINVAL;
        if ((flags & (Fcntl.RENAME_NOREPLACE | Fcntl.RENAME_WHITEOUT)) != 0 && (flags & Fcntl.RENAME_EXCHANGE) != 0) {
            return -Errno.EINVAL;
        }
        String oldName = t.mem.readPath(oldAddr, false);
        Namei.Parent op = Namei.lookupParent(t, olddfd, oldName);
        String newName = t.mem.readPath(newAddr, false);
        Namei.Parent np = Namei.lookupParent(t, newdfd, newName);
        if (op.dir().mnt() != np.dir().mnt()) return -Errno.EXDEV;
        if (op.type() != Namei.LastType.NORM) return -Errno.EBUSY;
        if (np.type() != Namei.LastType.NORM) return (flags & Fcntl.RENAME_NOREPLACE) != 0 ? -Errno.EEXIST : -Errno.EBUSY;
        if (op.dir().mnt().readOnly()) return -Errno.EROFS;
        Dentry oldParent = op.dir().dentry(), newParent = np.dir().dentry();
        if (oldParent == newParent) {
            synchronized (oldParent.inode().lock) {
                renameLocked(t, op, np, flags, null);
            }
            return 0;
        }
        synchronized (RENAME_LOCK) {
            // lock_two_directories(new parent, old parent): the ancestor is locked first, and the
            // child of it on the way to the other directory is the trap.
            Dentry trap = childTowards(oldParent, newParent);
            Dentry first = oldParent, second = newParent;
            if (trap == null) {
                trap = childTowards(newParent, oldParent);
                first = newParent;
                second = oldParent;
            }
            synchronized (first.inode().lock) {
                synchronized (second.inode().lock) {
                    renameLocked(t, op, np, flags, trap);
                }
            }
        }
        return 0;
    }

    /** The child of anc that d is or lies under (d_ancestor), or null when d is not below anc. */
    private static Dentry childTowards(Dentry anc, Dentry d) {
        Dentry x = d;
        while (true) {
            Dentry up = x.parent();
            if (up == anc) return x;
            if (up == x) return null;
            x = up;
        }
    }

    /** The part of do_renameat2 under the directory locks: the lookups, the trap checks, then vfs_rename. */
    private static void renameLocked(Task t, Namei.Parent op, Namei.Parent np, int flags, Dentry trap) {
        boolean exchange = (flags & Fcntl.RENAME_EXCHANGE) != 0;
        Dentry oldParent = op.dir().dentry(), newParent = np.dir().dentry();
        Dentry oldD = oldParent.child(op.last());
        if (oldD == null) throw ErrnoException.of(Errno.ENOENT);
        Dentry newD = newParent.child(np.last());
        if (newD == null && (exchange || deadDir(newParent))) throw ErrnoException.of(Errno.ENOENT);
        if (newD != null && (flags & Fcntl.RENAME_NOREPLACE) != 0) throw ErrnoException.of(Errno.EEXIST);
        if (exchange && !newD.inode().isDir() && np.trailingSlash()) throw ErrnoException.of(Errno.ENOTDIR);
        // Unless the source is a directory, trailing slashes give ENOTDIR.
        if (!oldD.inode().isDir()) {
            if (op.trailingSlash()) throw ErrnoException.of(Errno.ENOTDIR);
            if (!exchange && np.trailingSlash()) throw ErrnoException.of(Errno.ENOTDIR);
        }
        // The source may not be an ancestor of the target, nor the target of the source.
        if (oldD == trap) throw ErrnoException.of(Errno.EINVAL);
        if (newD != null && newD == trap) throw ErrnoException.of(exchange ? Errno.EINVAL : Errno.ENOTEMPTY);
        vfsRename(t.group.cred, oldParent, oldD, newParent, newD, op.last(), np.last(), flags);
    }

    /** vfs_rename. */
    private static void vfsRename(Cred c, Dentry oldParent, Dentry oldD, Dentry newParent, Dentry newD,
                                  String oldName, String newName, int flags) {
        boolean exchange = (flags & Fcntl.RENAME_EXCHANGE) != 0;
        Inode oldDir = oldParent.inode(), newDir = newParent.inode();
        Inode source = oldD.inode();
        Inode target = newD == null ? null : newD.inode();
        if (target != null && source.same(target)) return; // two names of one file: nothing to do
        boolean isDir = source.isDir();
        boolean newIsDir = false;
        mayDelete(c, oldParent, oldD, isDir);
        if (target == null) {
            mayCreate(c, newParent);
        } else {
            newIsDir = target.isDir();
            mayDelete(c, newParent, newD, exchange ? newIsDir : isDir);
        }
        // A directory changing parent gets a new "..": it must be writable.
        if (oldDir != newDir) {
            if (isDir) Permission.check(c, source, Permission.MAY_WRITE);
            if (exchange && newIsDir) Permission.check(c, target, Permission.MAY_WRITE);
        }
        if (oldD.isMountpoint() || (newD != null && newD.isMountpoint())) throw ErrnoException.of(Errno.EBUSY);
        // The target's lock: a replaced file loses a link, which linkat checks under the same lock.
        Object targetLock = target == null ? new Object() : target.lock;
        int targetLinks;
        synchronized (targetLock) {
            targetLinks = target == null ? 0 : target.nlink();
            oldDir.rename(oldName, newDir, newName, flags, c);
            if (exchange) {
                Dentry.exchange(oldD, newD);
            } else {
                Dentry.move(oldD, newParent, newName);
            }
        }
        Fsnotify.rename(oldDir, oldName, newDir, newName, source, newD, target, targetLinks, exchange);
    }
}
