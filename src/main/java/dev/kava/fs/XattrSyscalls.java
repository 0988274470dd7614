package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Stat;
import dev.kava.abi.SyscallNr;
import dev.kava.abi.Xattr;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Extended attributes (fs/xattr.c): set, get, list and remove, by path (following a final
 * symlink or not) and by descriptor. Names are "namespace.name": the VFS checks the caller
 * may touch the namespace (xattr_permission: trusted.* needs CAP_SYS_ADMIN, user.* lives only
 * on regular files and directories), and the filesystem's handlers decide which namespaces
 * exist (EOPNOTSUPP for the others). kava has no LSM, so security.* is the capability check
 * of commoncap (CAP_SYS_ADMIN to change) and plain storage.
 */
public final class XattrSyscalls {
    private XattrSyscalls() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.SETXATTR, (task, a) -> setxattrPath(task, a[0], true, a[1], a[2], a[3], (int) a[4]));
        t.register(SyscallNr.LSETXATTR, (task, a) -> setxattrPath(task, a[0], false, a[1], a[2], a[3], (int) a[4]));
        t.register(SyscallNr.FSETXATTR, (task, a) -> fsetxattr(task, (int) a[0], a[1], a[2], a[3], (int) a[4]));
        t.register(SyscallNr.GETXATTR, (task, a) -> getxattrPath(task, a[0], true, a[1], a[2], a[3]));
        t.register(SyscallNr.LGETXATTR, (task, a) -> getxattrPath(task, a[0], false, a[1], a[2], a[3]));
        t.register(SyscallNr.FGETXATTR, (task, a) -> fgetxattr(task, (int) a[0], a[1], a[2], a[3]));
        t.register(SyscallNr.LISTXATTR, (task, a) -> listxattrPath(task, a[0], true, a[1], a[2]));
        t.register(SyscallNr.LLISTXATTR, (task, a) -> listxattrPath(task, a[0], false, a[1], a[2]));
        t.register(SyscallNr.FLISTXATTR, (task, a) -> flistxattr(task, (int) a[0], a[1], a[2]));
        t.register(SyscallNr.REMOVEXATTR, (task, a) -> removexattrPath(task, a[0], true, a[1]));
        t.register(SyscallNr.LREMOVEXATTR, (task, a) -> removexattrPath(task, a[0], false, a[1]));
        t.register(SyscallNr.FREMOVEXATTR, (task, a) -> fremovexattr(task, (int) a[0], a[1]));
    }

    // ---- arguments

    /** import_xattr_name: 1 to XATTR_NAME_MAX bytes, else ERANGE; EFAULT for a bad pointer. */
    static String importName(Task t, long addr) {
        String name = t.mem.readCString(addr, Xattr.XATTR_NAME_MAX + 1);
        if (name == null || name.isEmpty()) throw ErrnoException.of(Errno.ERANGE);
        return name;
    }

    /** setxattr_copy: the flags, the name, then the value (E2BIG past XATTR_SIZE_MAX). */
    private static byte[][] setxattrCopy(Task t, long nameAddr, long valueAddr, long size, int flags, String[] name) {
        if ((flags & ~(Xattr.XATTR_CREATE | Xattr.XATTR_REPLACE)) != 0) throw ErrnoException.of(Errno.EINVAL);
        name[0] = importName(t, nameAddr);
        if (size == 0) return new byte[][] {new byte[0]};
        if (Long.compareUnsigned(size, Xattr.XATTR_SIZE_MAX) > 0) throw ErrnoException.of(Errno.E2BIG);
        return new byte[][] {t.mem.read(valueAddr, (int) size)};
    }

    private static File fdget(Task t, int fd) {
        File f = t.group.files.get(fd);
        if (f == null || f.isPath()) throw ErrnoException.of(Errno.EBADF);
        return f;
    }

    /**
     * The inode and mount a descriptor's xattrs are on. A pipe or anonymous file has no
     * location in kava's tree; on Linux its inode (pipefs, anon_inodefs: a FIFO or a typeless
     * mode 0600, owned by its creator, on a writable internal mount) has no xattr handlers.
     */
    private static Target target(File f) {
        if (f.path() != null) return target(f.path());
        return new Target(null, null, f instanceof PipeFile ? Stat.S_IFIFO : 0, null);
    }

    private static Target target(FsPath p) {
        return new Target(p.inode(), p.mnt(), 0, p.dentry());
    }

    /** Where an xattr operation acts: an inode and the mount it was reached through, or an internal inode's type. */
    private record Target(Inode inode, Mount mnt, int anonType, Dentry dentry) {
        /** mnt_want_write */
        void wantWrite() {
            if (mnt != null && mnt.readOnly()) throw ErrnoException.of(Errno.EROFS);
        }

        int type() {
            return inode != null ? inode.type() : anonType;
        }
    }

    // ---- the VFS checks

    private static boolean hasPrefix(String name, String prefix) {
        return name.startsWith(prefix);
    }

    /**
     * xattr_permission: trusted.* needs CAP_SYS_ADMIN (EPERM to write, ENODATA to read);
     * user.* only on regular files and directories, and on a sticky directory only its owner
     * writes them; then the inode's permission bits, except for security.* and system.*.
     */
    static void permission(Task t, Target tg, String name, boolean write) {
        Cred c = t.group.cred;
        if (hasPrefix(name, Xattr.XATTR_SECURITY_PREFIX) || hasPrefix(name, Xattr.XATTR_SYSTEM_PREFIX)) return;
        if (hasPrefix(name, Xattr.XATTR_TRUSTED_PREFIX)) {
            if (!Attr.sysAdmin(c)) throw ErrnoException.of(write ? Errno.EPERM : Errno.ENODATA);
            return;
        }
        int type = tg.type();
        if (hasPrefix(name, Xattr.XATTR_USER_PREFIX)) {
            if (type != Stat.S_IFREG && type != Stat.S_IFDIR) throw ErrnoException.of(write ? Errno.EPERM : Errno.ENODATA);
            Inode inode = tg.inode();
            if (type == Stat.S_IFDIR && (inode.mode() & Stat.S_ISVTX) != 0 && write && !Attr.ownerOrCapable(c, inode)) {
                throw ErrnoException.of(Errno.EPERM);
            }
        }
        // inode_permission; an internal inode belongs to its creator with mode 0600.
        if (tg.inode() != null) Permission.check(c, tg.inode(), write ? Permission.MAY_WRITE : Permission.MAY_READ);
    }

    /**
     * xattr_resolve_name: the name must start with one of the filesystem's handler prefixes
     * (EOPNOTSUPP otherwise, and for an inode without xattrs), and name something after it
     * (a bare prefix is EINVAL).
     */
    static void resolve(Target tg, String name) {
        List<String> handlers = tg.inode() == null ? List.of() : tg.inode().xattrPrefixes();
        for (String p : handlers) {
            if (hasPrefix(name, p)) {
                if (name.length() == p.length()) throw ErrnoException.of(Errno.EINVAL);
                return;
            }
        }
        throw ErrnoException.of(Errno.EOPNOTSUPP);
    }

    /** cap_inode_setxattr / cap_inode_removexattr: changing security.* needs CAP_SYS_ADMIN. */
    private static void securityCheck(Task t, String name) {
        if (hasPrefix(name, Xattr.XATTR_SECURITY_PREFIX) && !Attr.sysAdmin(t.group.cred)) {
            throw ErrnoException.of(Errno.EPERM);
        }
    }

    // ---- set

    static long setxattrPath(Task t, long pathAddr, boolean follow, long nameAddr, long valueAddr, long size, int flags) {
        String[] name = new String[1];
        byte[] value = setxattrCopy(t, nameAddr, valueAddr, size, flags, name)[0];
        FsPath p = Namei.lookup(t, Fcntl.AT_FDCWD, t.mem.readPath(pathAddr, false), follow);
        return setxattr(t, p, name[0], value, flags);
    }

    /** filename_setxattr on a location already looked up. */
    static long setxattr(Task t, FsPath p, String name, byte[] value, int flags) {
        return vfsSetxattr(t, target(p), name, value, flags);
    }

    /** fsetxattr is path_setxattrat(fd, NULL, AT_EMPTY_PATH, ...) since 6.13: the arguments are copied before the fd is looked at. */
    static long fsetxattr(Task t, int fd, long nameAddr, long valueAddr, long size, int flags) {
        String[] name = new String[1];
        byte[] value = setxattrCopy(t, nameAddr, valueAddr, size, flags, name)[0];
        File f = fdget(t, fd);
        return vfsSetxattr(t, target(f), name[0], value, flags);
    }

    /** file_setxattr / filename_setxattr: mnt_want_write, then vfs_setxattr. */
    private static long vfsSetxattr(Task t, Target tg, String name, byte[] value, int flags) {
        tg.wantWrite();
        permission(t, tg, name, true);
        securityCheck(t, name);
        resolve(tg, name);
        Inode inode = tg.inode();
        synchronized (inode.lock) {
            inode.setxattr(name, value, flags);
        }
        dev.kava.fs.notify.Fsnotify.xattr(tg.dentry()); // fsnotify_xattr
        return 0;
    }

    // ---- get

    static long getxattrPath(Task t, long pathAddr, boolean follow, long nameAddr, long valueAddr, long size) {
        String name = importName(t, nameAddr);
        FsPath p = Namei.lookup(t, Fcntl.AT_FDCWD, t.mem.readPath(pathAddr, false), follow);
        return doGetxattr(t, target(p), name, valueAddr, size);
    }

    /** vfs_getxattr on a location: the value, after the permission and namespace checks. */
    static byte[] getxattr(Task t, FsPath p, String name) {
        Target tg = target(p);
        permission(t, tg, name, false);
        resolve(tg, name);
        return tg.inode().getxattr(name);
    }

    static long fgetxattr(Task t, int fd, long nameAddr, long valueAddr, long size) {
        String name = importName(t, nameAddr);
        File f = fdget(t, fd);
        return doGetxattr(t, target(f), name, valueAddr, size);
    }

    /**
     * do_getxattr: size 0 asks for the value's size; a buffer too small is ERANGE. A size past
     * XATTR_SIZE_MAX is treated as XATTR_SIZE_MAX.
     */
    private static long doGetxattr(Task t, Target tg, String name, long valueAddr, long size) {
        permission(t, tg, name, false);
        resolve(tg, name);
        byte[] v = tg.inode().getxattr(name);
        if (size == 0) return v.length;
        long cap = Long.compareUnsigned(size, Xattr.XATTR_SIZE_MAX) > 0 ? Xattr.XATTR_SIZE_MAX : size;
        if (v.length > cap) return cap >= Xattr.XATTR_SIZE_MAX ? -Errno.E2BIG : -Errno.ERANGE;
        if (v.length > 0) t.mem.write(valueAddr, v);
        return v.length;
    }

    // ---- list

    static long listxattrPath(Task t, long pathAddr, boolean follow, long listAddr, long size) {
        FsPath p = Namei.lookup(t, Fcntl.AT_FDCWD, t.mem.readPath(pathAddr, false), follow);
        return doListxattr(t, p.inode(), listAddr, size);
    }

    static long flistxattr(Task t, int fd, long listAddr, long size) {
        File f = fdget(t, fd);
        return doListxattr(t, f.path() != null ? f.path().inode() : null, listAddr, size);
    }

    /**
     * listxattr: the names, each NUL-terminated; trusted.* only for CAP_SYS_ADMIN. Size 0 asks
     * for the length; a buffer too small is ERANGE (E2BIG past XATTR_LIST_MAX).
     */
    private static long doListxattr(Task t, Inode inode, long listAddr, long size) {
        boolean trusted = Attr.sysAdmin(t.group.cred);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String n : inode == null ? List.<String>of() : inode.listxattr()) {
            if (!trusted && hasPrefix(n, Xattr.XATTR_TRUSTED_PREFIX)) continue;
            out.writeBytes(n.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        byte[] list = out.toByteArray();
        if (size == 0) return list.length;
        long cap = Long.compareUnsigned(size, Xattr.XATTR_LIST_MAX) > 0 ? Xattr.XATTR_LIST_MAX : size;
        if (list.length > cap) return cap >= Xattr.XATTR_LIST_MAX ? -Errno.E2BIG : -Errno.ERANGE;
        if (list.length > 0) t.mem.write(listAddr, list);
        return list.length;
    }

    // ---- remove

    static long removexattrPath(Task t, long pathAddr, boolean follow, long nameAddr) {
        String name = importName(t, nameAddr);
        FsPath p = Namei.lookup(t, Fcntl.AT_FDCWD, t.mem.readPath(pathAddr, false), follow);
        return removexattr(t, p, name);
    }

    /** filename_removexattr on a location already looked up. */
    static long removexattr(Task t, FsPath p, String name) {
        return vfsRemovexattr(t, target(p), name);
    }

    static long fremovexattr(Task t, int fd, long nameAddr) {
        String name = importName(t, nameAddr);
        File f = fdget(t, fd);
        return vfsRemovexattr(t, target(f), name);
    }

    private static long vfsRemovexattr(Task t, Target tg, String name) {
        tg.wantWrite();
        permission(t, tg, name, true);
        securityCheck(t, name);
        resolve(tg, name);
        Inode inode = tg.inode();
        synchronized (inode.lock) {
            inode.removexattr(name);
        }
        dev.kava.fs.notify.Fsnotify.xattr(tg.dentry());
        return 0;
    }
}
