package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Fs;
import dev.kava.abi.Stat;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.notify.Fsnotify;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

/**
 * Changing a file's attributes: chmod and chown (fs/open.c chmod_common, chown_common),
 * utimensat (fs/utimes.c), truncate and ftruncate (fs/open.c), fallocate (vfs_fallocate).
 * Every change goes through the checks of notify_change and setattr_prepare (fs/attr.c).
 */
public final class AttrSyscalls {
    private AttrSyscalls() {}

    /** S_IALLUGO: the bits chmod sets. */
    private static final int S_IALLUGO = 07777;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.FCHMOD, (task, a) -> fchmod(task, (int) a[0], (int) a[1]));
        t.register(SyscallNr.FCHMODAT, (task, a) -> fchmodat(task, (int) a[0], a[1], (int) a[2], 0));
        t.register(SyscallNr.FCHMODAT2, (task, a) -> fchmodat(task, (int) a[0], a[1], (int) a[2], (int) a[3]));
        t.register(SyscallNr.FCHOWN, (task, a) -> fchown(task, (int) a[0], (int) a[1], (int) a[2]));
        t.register(SyscallNr.FCHOWNAT, (task, a) -> fchownat(task, (int) a[0], a[1], (int) a[2], (int) a[3], (int) a[4]));
        t.register(SyscallNr.UTIMENSAT, (task, a) -> utimensat(task, (int) a[0], a[1], a[2], (int) a[3]));
        t.register(SyscallNr.TRUNCATE, (task, a) -> truncate(task, a[0], a[1]));
        t.register(SyscallNr.FTRUNCATE, (task, a) -> ftruncate(task, (int) a[0], a[1]));
        t.register(SyscallNr.FALLOCATE, (task, a) -> fallocate(task, (int) a[0], (int) a[1], a[2], a[3]));
    }

    /** fdget: a descriptor for I/O (O_PATH descriptors are EBADF). */
    private static File fdget(Task t, int fd) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) throw ErrnoException.of(Errno.EBADF);
        return f;
    }

    /** The location a file was opened at; Linux's pipes and anonymous files have one on an internal mount. */
    private static FsPath pathOf(File f) {
        if (f.path() == null) throw ErrnoException.of(Errno.EOPNOTSUPP);
        return f.path();
    }

    /** user_path_at for the *at calls: AT_EMPTY_PATH lets "" mean dirfd itself. */
    private static FsPath userPath(Task t, int dirfd, long pathAddr, boolean follow, boolean emptyOk) {
        String name = t.mem.readPath(pathAddr, emptyOk);
        return name.isEmpty() ? Namei.emptyPath(t, dirfd) : Namei.lookup(t, dirfd, name, follow);
    }

    /** mnt_want_write: EROFS on a read-only mount or filesystem. */
    private static void wantWrite(FsPath p) {
        if (p.mnt().readOnly()) throw ErrnoException.of(Errno.EROFS);
    }

    // ---- chmod

    static long fchmod(Task t, int fd, int mode) {
        File f = fdget(t, fd);
        return chmodCommon(t, pathOf(f), mode);
    }

    /** do_fchmodat: fchmodat has no flags argument; fchmodat2 takes AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH. */
    static long fchmodat(Task t, int dirfd, long pathAddr, int mode, int flags) {
        if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        FsPath p = userPath(t, dirfd, pathAddr, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0,
                (flags & Fcntl.AT_EMPTY_PATH) != 0);
        return chmodCommon(t, p, mode);
    }

    /**
     * chmod_common + notify_change + setattr_prepare: EROFS, then EOPNOTSUPP for a symlink
     * (Linux no longer changes a symlink's mode), then EPERM unless owner or CAP_FOWNER. The
     * setgid bit is dropped when the caller is not in the file's group (and lacks CAP_FSETID).
     */
    static long chmodCommon(Task t, FsPath p, int mode) {
        wantWrite(p);
        Inode inode = p.inode();
        synchronized (inode.lock) {
            if (inode.isSymlink()) return -Errno.EOPNOTSUPP;
            Cred c = t.group.cred;
            if (!Attr.ownerOrCapable(c, inode)) return -Errno.EPERM;
            int newMode = mode & S_IALLUGO;
            if (!Attr.inGroupOrCapable(t, inode.gid())) newMode &= ~Stat.S_ISGID;
            inode.setMode(newMode);
        }
        Fsnotify.change(p.dentry(), Fsnotify.FS_ATTRIB); // ATTR_MODE
        return 0;
    }

    // ---- chown

    static long fchown(Task t, int fd, int user, int group) {
        File f = fdget(t, fd);
        FsPath p = pathOf(f);
        wantWrite(p);
        return chownCommon(t, p, user, group);
    }

    static long fchownat(Task t, int dirfd, long pathAddr, int user, int group, int flags) {
        if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        FsPath p = userPath(t, dirfd, pathAddr, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0,
                (flags & Fcntl.AT_EMPTY_PATH) != 0);
        wantWrite(p);
        return chownCommon(t, p, user, group);
    }

    /**
     * chown_common: -1 leaves an id as it is. A non-directory always loses its setuid bit, and
     * its setgid bit when group-executable or not in a group of the caller (ATTR_KILL_SUID,
     * setattr_should_drop_sgid), even when root changes nothing; ctime always changes.
     */
    static long chownCommon(Task t, FsPath p, int user, int group) {
        Inode inode = p.inode();
        Cred c = t.group.cred;
        int notifyMask;
        synchronized (inode.lock) {
            if (user != -1 && !Attr.chownOk(c, inode, user)) return -Errno.EPERM;
            if (group != -1 && !Attr.chgrpOk(t, inode, group)) return -Errno.EPERM;
            int mode = inode.mode();
            int kill = 0;
            if (!inode.isDir()) {
                kill = mode & Stat.S_ISUID;
                if (Attr.shouldDropSgid(t, mode, inode.gid())) kill |= Stat.S_ISGID;
            }
            if (kill != 0 && !Attr.ownerOrCapable(c, inode)) return -Errno.EPERM; // setattr_prepare's ATTR_MODE check
            inode.setOwner(user, group);
            if (kill != 0) inode.setMode(mode & ~kill & S_IALLUGO);
            notifyMask = Fsnotify.changeMask(user != -1 || group != -1, kill != 0, false, false, false);
        }
        Fsnotify.change(p.dentry(), notifyMask);
        return 0;
    }

    // ---- utimensat

    /** nsec_valid: 0..999999999, or one of the UTIME_ values. */
    private static boolean nsecValid(long nsec) {
        return nsec == Fs.UTIME_OMIT || nsec == Fs.UTIME_NOW || (nsec >= 0 && nsec <= 999_999_999L);
    }

    /**
     * utimensat(dirfd, path, times[2], flags). Both UTIME_OMIT does nothing, not even the
     * lookup. A NULL path with a real dirfd means the descriptor itself (do_utimes_fd, which
     * takes no flags).
     */
    static long utimensat(Task t, int dirfd, long pathAddr, long timesAddr, int flags) {
        long[] times = null;
        if (timesAddr != 0) {
            byte[] raw = t.mem.read(timesAddr, 32);
            times = new long[] {Uaccess.getLong(raw, 0), Uaccess.getLong(raw, 8), Uaccess.getLong(raw, 16),
                    Uaccess.getLong(raw, 24)};
            if (times[1] == Fs.UTIME_OMIT && times[3] == Fs.UTIME_OMIT) return 0;
        }
        FsPath p;
        if (pathAddr == 0 && dirfd != Fcntl.AT_FDCWD) {
            if (flags != 0) return -Errno.EINVAL;
            p = pathOf(fdget(t, dirfd));
        } else {
            if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
            p = userPath(t, dirfd, pathAddr, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0,
                    (flags & Fcntl.AT_EMPTY_PATH) != 0);
        }
        return vfsUtimes(t, p, times);
    }

    /**
     * vfs_utimes: {atime sec, atime nsec, mtime sec, mtime nsec} or null for "now". Setting
     * explicit times (or one time with the other omitted) needs ownership or CAP_FOWNER
     * (EPERM); "now" for both only write permission (EACCES).
     */
    static long vfsUtimes(Task t, FsPath p, long[] times) {
        if (times != null) {
            if (!nsecValid(times[1]) || !nsecValid(times[3])) return -Errno.EINVAL;
            if (times[1] == Fs.UTIME_NOW && times[3] == Fs.UTIME_NOW) times = null;
        }
        wantWrite(p);
        Inode inode = p.inode();
        Cred c = t.group.cred;
        int notifyMask;
        synchronized (inode.lock) {
            if (!Attr.ownerOrCapable(c, inode)) {
                if (times == null) Permission.check(c, inode, Permission.MAY_WRITE); // ATTR_TOUCH
                else return -Errno.EPERM; // ATTR_TIMES_SET
            }
            long now = inode.sb.nowNanos();
            long nowSec = Math.floorDiv(now, 1_000_000_000L), nowNsec = Math.floorMod(now, 1_000_000_000L);
            boolean setA = true, setM = true;
            long aSec = nowSec, aNsec = nowNsec, mSec = nowSec, mNsec = nowNsec;
            if (times != null) {
                if (times[1] == Fs.UTIME_OMIT) setA = false;
                else if (times[1] != Fs.UTIME_NOW) { aSec = times[0]; aNsec = times[1]; }
                if (times[3] == Fs.UTIME_OMIT) setM = false;
                else if (times[3] != Fs.UTIME_NOW) { mSec = times[2]; mNsec = times[3]; }
            }
            inode.setTimes(aSec, aNsec, mSec, mNsec, setA, setM, nowSec, nowNsec);
            notifyMask = Fsnotify.changeMask(false, false, false, setA, setM);
        }
        Fsnotify.change(p.dentry(), notifyMask);
        return 0;
    }

    // ---- truncate

    /**
     * vfs_truncate: EISDIR for a directory, EINVAL for other non-regular files, then write
     * permission (EROFS first when the filesystem itself is read-only, as sb_permission), then
     * the mount (EROFS).
     */
    static long truncate(Task t, long pathAddr, long length) {
        if (length < 0) return -Errno.EINVAL;
        FsPath p = Namei.lookup(t, Fcntl.AT_FDCWD, t.mem.readPath(pathAddr, false), true);
        Inode inode = p.inode();
        if (inode.isDir()) return -Errno.EISDIR;
        if (!inode.isRegular()) return -Errno.EINVAL;
        if (inode.sb.readOnly()) return -Errno.EROFS;
        Permission.check(t.group.cred, inode, Permission.MAY_WRITE);
        wantWrite(p);
        int mode = inode.mode();
        synchronized (inode.lock) {
            Attr.doTruncate(t, inode, length, false);
        }
        Fsnotify.change(p.dentry(), Fsnotify.changeMask(false, inode.mode() != mode, true, false, false));
        return 0;
    }

    /** do_sys_ftruncate: EINVAL (not EBADF) for a descriptor not open for writing or not a regular file. */
    static long ftruncate(Task t, int fd, long length) {
        if (length < 0) return -Errno.EINVAL;
        File f = fdget(t, fd);
        Inode inode = f.inode();
        if (inode == null || !inode.isRegular() || !f.writable()) return -Errno.EINVAL;
        int mode = inode.mode();
        synchronized (inode.lock) {
            Attr.doTruncate(t, inode, length, true);
        }
        Fsnotify.change(f.path().dentry(), Fsnotify.changeMask(false, inode.mode() != mode, true, false, true));
        return 0;
    }

    // ---- fallocate

    /**
     * vfs_fallocate: the mode is checked before the descriptor's access, which is checked
     * before the file's type; the filesystem then does what it supports (EOPNOTSUPP for the rest).
     */
    static long fallocate(Task t, int fd, int mode, long offset, long len) {
        File f = fdget(t, fd);
        if (offset < 0 || len <= 0) return -Errno.EINVAL;
        if ((mode & ~(RegularFile.FALLOC_FL_MODE_MASK | RegularFile.FALLOC_FL_KEEP_SIZE)) != 0) return -Errno.EOPNOTSUPP;
        switch (mode & RegularFile.FALLOC_FL_MODE_MASK) {
            case 0, RegularFile.FALLOC_FL_UNSHARE_RANGE, RegularFile.FALLOC_FL_ZERO_RANGE -> { }
            case RegularFile.FALLOC_FL_PUNCH_HOLE -> {
                if ((mode & RegularFile.FALLOC_FL_KEEP_SIZE) == 0) return -Errno.EOPNOTSUPP;
            }
            case RegularFile.FALLOC_FL_COLLAPSE_RANGE, RegularFile.FALLOC_FL_INSERT_RANGE,
                 RegularFile.FALLOC_FL_WRITE_ZEROES -> {
                if ((mode & RegularFile.FALLOC_FL_KEEP_SIZE) != 0) return -Errno.EOPNOTSUPP;
            }
            default -> {
                return -Errno.EOPNOTSUPP;
            }
        }
        if (!f.writable()) return -Errno.EBADF;
        Inode inode = f.inode();
        boolean pipe = f instanceof PipeFile || f instanceof HostStdio s && s.kind() == HostStdio.Kind.PIPE;
        int type = inode != null ? inode.type() : pipe ? Stat.S_IFIFO : 0;
        if (type == Stat.S_IFIFO) return -Errno.ESPIPE;
        if (type == Stat.S_IFDIR) return -Errno.EISDIR;
        if (type != Stat.S_IFREG && type != Stat.S_IFBLK) return -Errno.ENODEV;
        if (offset > Long.MAX_VALUE - len) return -Errno.EFBIG; // wraparound, or past s_maxbytes
        f.fallocate(t, mode, offset, len);
        Fsnotify.modify(f);
        return 0;
    }
}
