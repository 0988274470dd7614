package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Ioctls;
import dev.kava.abi.Resource;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Opening and naming files: openat, close, dup, dup3, fcntl, ioctl (fs/open.c, fs/fcntl.c,
 * fs/ioctl.c), getdents64 (fs/readdir.c), readlinkat (fs/stat.c), getcwd, chdir, fchdir,
 * faccessat (fs/d_path.c, fs/open.c).
 */
public final class FileSyscalls {
    private FileSyscalls() {}

    /** The flags O_PATH keeps (O_PATH_FLAGS in fs/open.c). */
    private static final int O_PATH_FLAGS = Fcntl.O_DIRECTORY | Fcntl.O_NOFOLLOW | Fcntl.O_PATH | Fcntl.O_CLOEXEC;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.OPENAT, (task, a) -> openat(task, (int) a[0], a[1], (int) a[2], (int) a[3]));
        t.register(SyscallNr.CLOSE, (task, a) -> close(task, (int) a[0]));
        t.register(SyscallNr.DUP, (task, a) -> dup(task, (int) a[0]));
        t.register(SyscallNr.DUP3, (task, a) -> dup3(task, (int) a[0], (int) a[1], (int) a[2]));
        t.register(SyscallNr.FCNTL, (task, a) -> fcntl(task, (int) a[0], (int) a[1], a[2]));
        t.register(SyscallNr.IOCTL, (task, a) -> ioctl(task, (int) a[0], (int) a[1], a[2]));
        t.register(SyscallNr.GETDENTS64, (task, a) -> getdents64(task, (int) a[0], a[1], (int) a[2]));
        t.register(SyscallNr.READLINKAT, (task, a) -> readlinkat(task, (int) a[0], a[1], a[2], (int) a[3]));
        t.register(SyscallNr.GETCWD, (task, a) -> getcwd(task, a[0], a[1]));
        t.register(SyscallNr.CHDIR, (task, a) -> chdir(task, a[0]));
        t.register(SyscallNr.FCHDIR, (task, a) -> fchdir(task, (int) a[0]));
        t.register(SyscallNr.FACCESSAT, (task, a) -> faccessat(task, (int) a[0], a[1], (int) a[2], 0));
        t.register(SyscallNr.FACCESSAT2, (task, a) -> faccessat(task, (int) a[0], a[1], (int) a[2], (int) a[3]));
    }

    private static long nofile(Task t) {
        return t.group.rlimits.cur(Resource.RLIMIT_NOFILE);
    }

    /** do_sys_open with build_open_how: unknown flags are dropped, as openat (unlike openat2) does. */
    static long openat(Task t, int dirfd, long pathAddr, int flags, int mode) {
        flags &= Fcntl.VALID_OPEN_FLAGS;
        if ((flags & Fcntl.O_PATH) != 0) flags &= O_PATH_FLAGS;
        flags |= Fcntl.O_LARGEFILE; // force_o_largefile() on 64-bit
        if ((flags & Fcntl.__O_TMPFILE) != 0) {
            if ((flags & (Fcntl.__O_TMPFILE | Fcntl.O_DIRECTORY | Fcntl.O_CREAT)) != Fcntl.O_TMPFILE) return -Errno.EINVAL;
            int acc = flags & Fcntl.O_ACCMODE;
            if (acc != Fcntl.O_WRONLY && acc != Fcntl.O_RDWR) return -Errno.EINVAL;
        }
        String path = t.mem.readPath(pathAddr, false);
        // get_unused_fd_flags comes before the lookup: a full table is EMFILE whatever the path.
        FdTable files = t.group.files;
        if (files.lowestFree(nofile(t)) < 0) return -Errno.EMFILE;
        if ((flags & Fcntl.__O_TMPFILE) != 0) {
            Lookup.resolve(t, dirfd, path, true);
            return -Errno.EROFS; // the directory exists; the root is read-only
        }
        boolean creat = (flags & Fcntl.O_CREAT) != 0;
        boolean follow = (flags & Fcntl.O_NOFOLLOW) == 0 && !(creat && (flags & Fcntl.O_EXCL) != 0);
        HostRoot.Resolved r;
        try {
            r = Lookup.resolve(t, dirfd, path, follow);
        } catch (ErrnoException e) {
            if (creat && e.errno == Errno.ENOENT) {
                // The name is missing: if its directory exists, creating it fails on the read-only root.
                int slash = path.lastIndexOf('/', path.length() - 2);
                String parent = slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
                HostRoot.Resolved dir = Lookup.resolve(t, dirfd, parent, true);
                if (!dir.stat().isDirectory()) return -Errno.ENOTDIR;
                if (path.endsWith("/")) return -Errno.EISDIR;
                return -Errno.EROFS;
            }
            throw e;
        }
        if (creat && (flags & Fcntl.O_EXCL) != 0) return -Errno.EEXIST;
        if (creat && r.stat().isDirectory()) return -Errno.EISDIR;
        if ((flags & Fcntl.O_DIRECTORY) != 0 && !r.stat().isDirectory() && !(r.stat().isSymlink() && (flags & Fcntl.O_PATH) != 0)) {
            return -Errno.ENOTDIR;
        }
        File f = t.kernel.root().open(r, flags);
        return files.install(f, (flags & Fcntl.O_CLOEXEC) != 0, 0, nofile(t));
    }

    static long close(Task t, int fd) {
        File f = t.group.files.remove(fd);
        if (!t.group.files.refersTo(f)) f.release();
        return 0;
    }

    static long dup(Task t, int fd) {
        File f = t.group.files.require(fd);
        return t.group.files.install(f, false, 0, nofile(t));
    }

    static long dup3(Task t, int oldfd, int newfd, int flags) {
        if ((flags & ~Fcntl.O_CLOEXEC) != 0) return -Errno.EINVAL;
        if (oldfd == newfd) return -Errno.EINVAL;
        if (Integer.toUnsignedLong(newfd) >= nofile(t)) return -Errno.EBADF;
        File f = t.group.files.require(oldfd);
        File old = t.group.files.installAt(newfd, f, (flags & Fcntl.O_CLOEXEC) != 0);
        if (old != null && old != f && !t.group.files.refersTo(old)) old.release();
        return newfd;
    }

    static long fcntl(Task t, int fd, int cmd, long arg) {
        File f = t.group.files.require(fd); // fdget_raw: O_PATH files allowed, for some commands
        if (f.isPath() && cmd != Fcntl.F_DUPFD && cmd != Fcntl.F_DUPFD_CLOEXEC && cmd != Fcntl.F_GETFD
                && cmd != Fcntl.F_SETFD && cmd != Fcntl.F_GETFL) {
            return -Errno.EBADF;
        }
        switch (cmd) {
            case Fcntl.F_DUPFD, Fcntl.F_DUPFD_CLOEXEC -> {
                if (Long.compareUnsigned(arg, nofile(t)) >= 0) return -Errno.EINVAL;
                return t.group.files.install(f, cmd == Fcntl.F_DUPFD_CLOEXEC, (int) arg, nofile(t));
            }
            case Fcntl.F_GETFD -> {
                return t.group.files.closeOnExec(fd) ? Fcntl.FD_CLOEXEC : 0;
            }
            case Fcntl.F_SETFD -> {
                t.group.files.setCloseOnExec(fd, (arg & Fcntl.FD_CLOEXEC) != 0);
                return 0;
            }
            case Fcntl.F_GETFL -> {
                return f.flags() & ~Fcntl.O_CLOEXEC;
            }
            case Fcntl.F_SETFL -> {
                f.setStatusFlags((int) arg);
                return 0;
            }
            case Fcntl.F_SETPIPE_SZ, Fcntl.F_GETPIPE_SZ -> {
                return pipeFcntl(t, f, cmd, (int) arg);
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    /** pipe_fcntl (fs/pipe.c): EBADF for a file that is not a pipe. arg is an unsigned int. */
    private static long pipeFcntl(Task t, File f, int cmd, int arg) {
        if (!(f instanceof PipeFile pf)) return -Errno.EBADF;
        Pipe p = pf.pipe();
        if (cmd == Fcntl.F_GETPIPE_SZ) return p.capacity();
        // round_pipe_size: at least a page, a power of two, at most 2^31 (0 = EINVAL).
        long size = Integer.toUnsignedLong(arg);
        if (size > (1L << 31)) return -Errno.EINVAL;
        size = size < 4096 ? 4096 : Long.highestOneBit(size - 1) << 1;
        if (size > (1L << 31)) return -Errno.EINVAL;
        // Growing past /proc/sys/fs/pipe-max-size (1 MiB) needs CAP_SYS_RESOURCE.
        if (size > p.capacity() && size > PIPE_MAX_SIZE && !dev.kava.kernel.Rlimits.capSysResource(t.group.cred)) {
            return -Errno.EPERM;
        }
        if (size > MAX_KAVA_PIPE) return -Errno.ENOMEM;
        return p.resize((int) size);
    }

    /** /proc/sys/fs/pipe-max-size's default. */
    private static final long PIPE_MAX_SIZE = 1 << 20;
    /** kava keeps a pipe's bytes on the Java heap: a root F_SETPIPE_SZ beyond this gets ENOMEM. */
    private static final long MAX_KAVA_PIPE = 1L << 28;

    /** do_vfs_ioctl's generic commands, then the file's own. */
    static long ioctl(Task t, int fd, int cmd, long arg) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) return -Errno.EBADF;
        switch (cmd) {
            case Ioctls.FIOCLEX -> {
                t.group.files.setCloseOnExec(fd, true);
                return 0;
            }
            case Ioctls.FIONCLEX -> {
                t.group.files.setCloseOnExec(fd, false);
                return 0;
            }
            case Ioctls.FIONBIO -> {
                int on = t.mem.read32(arg);
                f.setStatusFlags(on != 0 ? f.flags() | Fcntl.O_NONBLOCK : f.flags() & ~Fcntl.O_NONBLOCK);
                return 0;
            }
            default -> {
                return f.ioctl(t, cmd, arg);
            }
        }
    }

    /** getdents64: struct linux_dirent64 records, each 8-byte aligned; EINVAL if not even one fits. */
    static long getdents64(Task t, int fd, long dirp, int count) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) return -Errno.EBADF;
        if (!(f instanceof HostDirectory d)) return -Errno.ENOTDIR;
        long ucount = Integer.toUnsignedLong(count);
        if (!ReadWrite.accessOk(dirp, ucount)) return -Errno.EFAULT;
        List<Directory.Entry> entries = d.entries();
        long pos = d.position();
        byte[] out = new byte[(int) Math.min(ucount, 1 << 20)];
        int used = 0;
        while (pos < entries.size()) {
            Directory.Entry e = entries.get((int) pos);
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            int reclen = (19 + name.length + 1 + 7) & ~7;
            if (used + reclen > out.length) {
                if (used == 0) return -Errno.EINVAL;
                break;
            }
            Uaccess.putLong(out, used, e.ino());
            Uaccess.putLong(out, used + 8, pos + 1); // d_off: where the next entry starts
            Uaccess.putShort(out, used + 16, reclen);
            out[used + 18] = (byte) e.type();
            System.arraycopy(name, 0, out, used + 19, name.length);
            used += reclen;
            pos++;
        }
        t.mem.write(dirp, out, 0, used);
        d.setPosition(pos);
        return used;
    }

    static long readlinkat(Task t, int dirfd, long pathAddr, long buf, int bufsiz) {
        if (bufsiz <= 0) return -Errno.EINVAL;
        String path = t.mem.readPath(pathAddr, true);
        HostRoot.Resolved r;
        if (path.isEmpty()) {
            // An empty name means dirfd itself: a symlink opened with O_PATH | O_NOFOLLOW.
            File f = dirfd == Fcntl.AT_FDCWD ? null : t.group.files.require(dirfd);
            if (!(f instanceof PathFile pf) || !pf.stat().isSymlink()) return -Errno.ENOENT;
            r = pf.where();
        } else {
            r = Lookup.resolve(t, dirfd, path, false);
        }
        byte[] target = t.kernel.root().readlink(r).getBytes(StandardCharsets.UTF_8);
        int n = Math.min(target.length, bufsiz);
        t.mem.write(buf, target, 0, n);
        return n;
    }

    static long getcwd(Task t, long buf, long size) {
        byte[] cwd = (t.group.fs.cwd() + "\0").getBytes(StandardCharsets.UTF_8);
        if (cwd.length > Uaccess.PATH_MAX) return -Errno.ENAMETOOLONG;
        if (Long.compareUnsigned(cwd.length, size) > 0) return -Errno.ERANGE;
        t.mem.write(buf, cwd);
        return cwd.length;
    }

    static long chdir(Task t, long pathAddr) {
        chdir(t, t.mem.readPath(pathAddr, false));
        return 0;
    }

    /** chdir on a path the kernel already holds (also used for kava run -w); throws the errno. */
    public static void chdir(Task t, String path) {
        HostRoot.Resolved r = Lookup.resolve(t, Fcntl.AT_FDCWD, path, true);
        if (!r.stat().isDirectory()) throw ErrnoException.of(Errno.ENOTDIR);
        if ((r.stat().mode() & 0111) == 0) throw ErrnoException.of(Errno.EACCES); // even root needs a search bit
        t.group.fs.setCwd(r.guestPath());
    }

    static long fchdir(Task t, int fd) {
        File f = t.group.files.require(fd);
        if (f.guestPath() == null || !f.stat().isDirectory()) return -Errno.ENOTDIR;
        t.group.fs.setCwd(f.guestPath());
        return 0;
    }

    /** do_faccessat for root: read and write are granted (write fails on the read-only root), execute needs an x bit. */
    static long faccessat(Task t, int dirfd, long pathAddr, int mode, int flags) {
        if ((mode & ~7) != 0) return -Errno.EINVAL;
        if ((flags & ~(Fcntl.AT_EACCESS | Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_EMPTY_PATH)) != 0) return -Errno.EINVAL;
        String path = t.mem.readPath(pathAddr, (flags & Fcntl.AT_EMPTY_PATH) != 0);
        Kstat st;
        if (path.isEmpty()) {
            st = dirfd == Fcntl.AT_FDCWD
                    ? t.kernel.root().lookup("/", t.group.fs.cwd(), true).stat()
                    : t.group.files.require(dirfd).stat();
        } else {
            st = Lookup.resolve(t, dirfd, path, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0).stat();
        }
        if ((mode & 2) != 0 && (st.isRegular() || st.isDirectory() || st.isSymlink())) return -Errno.EROFS;
        if ((mode & 1) != 0 && !st.isDirectory() && (st.mode() & 0111) == 0) return -Errno.EACCES;
        return 0;
    }
}
