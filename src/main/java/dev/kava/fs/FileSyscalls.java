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
 * Descriptors and names: dup, dup3, fcntl, ioctl (fs/fcntl.c, fs/ioctl.c), getdents64
 * (fs/readdir.c), readlinkat (fs/stat.c), getcwd (fs/d_path.c).
 */
public final class FileSyscalls {
    private FileSyscalls() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.DUP, (task, a) -> dup(task, (int) a[0]));
        t.register(SyscallNr.DUP3, (task, a) -> dup3(task, (int) a[0], (int) a[1], (int) a[2]));
        t.register(SyscallNr.FCNTL, (task, a) -> fcntl(task, (int) a[0], (int) a[1], a[2]));
        t.register(SyscallNr.IOCTL, (task, a) -> ioctl(task, (int) a[0], (int) a[1], a[2]));
        t.register(SyscallNr.GETDENTS64, (task, a) -> getdents64(task, (int) a[0], a[1], (int) a[2]));
        t.register(SyscallNr.READLINKAT, (task, a) -> readlinkat(task, (int) a[0], a[1], a[2], (int) a[3]));
        t.register(SyscallNr.GETCWD, (task, a) -> getcwd(task, a[0], a[1]));
    }

    private static long nofile(Task t) {
        return t.group.rlimits.cur(Resource.RLIMIT_NOFILE);
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
        if (old != null) Locks.posixClose(old, t.group.files); // do_dup2's filp_close
        if (old != null && old != f && !t.group.files.refersTo(old)) old.fput(t);
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
            case Fcntl.F_ADD_SEALS, Fcntl.F_GET_SEALS -> {
                return dev.kava.mm.Memfd.fcntl(t, f, cmd, arg);
            }
            case dev.kava.abi.Flock.F_GETLK, dev.kava.abi.Flock.F_SETLK, dev.kava.abi.Flock.F_SETLKW,
                 dev.kava.abi.Flock.F_OFD_GETLK, dev.kava.abi.Flock.F_OFD_SETLK, dev.kava.abi.Flock.F_OFD_SETLKW -> {
                return Locks.fcntl(t, fd, f, cmd, arg);
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
    public static final long PIPE_MAX_SIZE = 1 << 20;
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
        if (!(f.asDirectory() instanceof Directory d)) return -Errno.ENOTDIR;
        long ucount = Integer.toUnsignedLong(count);
        if (!ReadWrite.accessOk(dirp, ucount)) return -Errno.EFAULT;
        List<Directory.Entry> entries = d.entries();
        dev.kava.fs.notify.Fsnotify.access(f); // iterate_dir reports every read of a directory
        long pos = d.position();
        byte[] out = new byte[(int) Math.min(ucount, 1 << 20)];
        int used = 0;
        while (pos < entries.size()) {
            Directory.Entry e = entries.get((int) pos);
            byte[] name = e.name().getBytes(StandardCharsets.ISO_8859_1);
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
        FsPath p;
        if (path.isEmpty()) {
            // An empty name means dirfd itself: a symlink opened with O_PATH | O_NOFOLLOW.
            p = dirfd == Fcntl.AT_FDCWD ? null : t.group.files.require(dirfd).path();
            if (p == null || !p.inode().isSymlink()) return -Errno.ENOENT;
        } else {
            p = Namei.lookup(t, dirfd, path, false);
        }
        Inode inode = p.inode();
        if (!inode.isSymlink()) return -Errno.EINVAL;
        String text = inode.readlink(t);
        byte[] target = text.getBytes(StandardCharsets.ISO_8859_1);
        int n = Math.min(target.length, bufsiz);
        t.mem.write(buf, target, 0, n);
        inode.touchAtime();
        return n;
    }

    /** getcwd (fs/d_path.c): the working directory from the process's root; ENOENT once it is removed. */
    static long getcwd(Task t, long buf, long size) {
        FsPath cwd = t.group.fs.cwd();
        if (cwd.dentry().unhashed() && !cwd.dentry().isRoot()) return -Errno.ENOENT;
        // getcwd names a place outside the root "(unreachable)/..." (prepend_unreachable).
        String prefix = MountNamespace.reachable(cwd, t.group.fs.root()) ? "" : "(unreachable)";
        byte[] name = (prefix + MountNamespace.path(cwd, t.group.fs.root()) + "\0").getBytes(StandardCharsets.ISO_8859_1);
        if (name.length > Uaccess.PATH_MAX) return -Errno.ENAMETOOLONG;
        if (Long.compareUnsigned(name.length, size) > 0) return -Errno.ERANGE;
        t.mem.write(buf, name);
        return name.length;
    }
}
