package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Fcntl;
import dev.kava.abi.Statx;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

/** newfstatat, fstat and statx (fs/stat.c). */
public final class StatSyscalls {
    private StatSyscalls() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.NEWFSTATAT, (task, a) -> newfstatat(task, (int) a[0], a[1], a[2], (int) a[3]));
        t.register(SyscallNr.FSTAT, (task, a) -> fstat(task, (int) a[0], a[1]));
        t.register(SyscallNr.STATX, (task, a) -> statx(task, (int) a[0], a[1], (int) a[2], (int) a[3], a[4]));
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

    /**
     * statx(dirfd, path, flags, mask, buf). As in Linux, an empty (or NULL) name with
     * AT_EMPTY_PATH and a real dirfd is do_statx_fd, which checks the mask and the sync type
     * but not the other flags; a name is looked up (vfs_statx) after all three checks.
     */
    static long statx(Task t, int dirfd, long pathAddr, int flags, int mask, long buf) {
        boolean emptyOk = (flags & Fcntl.AT_EMPTY_PATH) != 0;
        // getname_maybe_null: with AT_EMPTY_PATH, NULL and "" are both "no name".
        String path = emptyOk && pathAddr == 0 ? "" : t.mem.readPath(pathAddr, emptyOk);
        if ((mask & Statx.STATX__RESERVED) != 0) return -Errno.EINVAL;
        if ((flags & Statx.AT_STATX_SYNC_TYPE) == Statx.AT_STATX_SYNC_TYPE) return -Errno.EINVAL;
        byte[] out;
        if (path.isEmpty() && dirfd >= 0) {
            File f = t.group.files.require(dirfd); // fdget_raw: O_PATH files too
            out = f.path() != null ? fill(f.path(), f.path().inode().getattr(), mask) : fillAnonymous(f.stat());
        } else {
            if ((flags & ~(Fcntl.AT_SYMLINK_NOFOLLOW | Fcntl.AT_NO_AUTOMOUNT | Fcntl.AT_EMPTY_PATH
                    | Statx.AT_STATX_SYNC_TYPE)) != 0) {
                return -Errno.EINVAL;
            }
            FsPath p;
            if (path.isEmpty()) {
                if (dirfd != Fcntl.AT_FDCWD) return -Errno.EBADF;
                p = t.group.fs.cwd();
            } else {
                p = Namei.lookup(t, dirfd, path, (flags & Fcntl.AT_SYMLINK_NOFOLLOW) == 0);
            }
            out = fill(p, p.inode().getattr(), mask);
        }
        t.mem.write(buf, out);
        return 0;
    }

    /** The attribute bits the VFS itself can report (vfs_getattr_nosec and vfs_statx_path). */
    private static final long VFS_ATTRIBUTES_MASK = Statx.STATX_ATTR_AUTOMOUNT | Statx.STATX_ATTR_DAX
            | Statx.STATX_ATTR_MOUNT_ROOT;

    /** vfs_statx_path + cp_statx: the struct statx for a location. */
    static byte[] fill(FsPath p, Kstat st, int requestMask) {
        Inode inode = p.inode();
        int result = Statx.STATX_BASIC_STATS;
        long[] btime = (requestMask & Statx.STATX_BTIME) != 0 ? inode.birthTime() : null;
        if (btime != null) result |= Statx.STATX_BTIME;
        long mntId;
        if ((requestMask & Statx.STATX_MNT_ID_UNIQUE) != 0) {
            result |= Statx.STATX_MNT_ID_UNIQUE;
            mntId = p.mnt().uniqueId();
        } else {
            result |= Statx.STATX_MNT_ID;
            mntId = p.mnt().id;
        }
        long attributes = p.dentry() == p.mnt().root ? Statx.STATX_ATTR_MOUNT_ROOT : 0;
        boolean cmtime = !inode.multigrainTimes() || (requestMask & (Statx.STATX_CTIME | Statx.STATX_MTIME)) != 0;
        if (!cmtime) result &= ~(Statx.STATX_CTIME | Statx.STATX_MTIME); // fill_mg_cmtime: neither asked, neither reported
        byte[] b = encode(st, result, attributes, VFS_ATTRIBUTES_MASK | inode.statxAttributesMask(), btime, cmtime);
        Uaccess.putLong(b, Statx.STX_MNT_ID, mntId);
        return b;
    }

    /**
     * A file without a location in kava's mount tree (a pipe, an eventfd): its attributes, with
     * no mount ID to report.
     */
    private static byte[] fillAnonymous(Kstat st) {
        return encode(st, Statx.STATX_BASIC_STATS, 0, VFS_ATTRIBUTES_MASK, null, true);
    }

    /** cp_statx */
    private static byte[] encode(Kstat st, int resultMask, long attributes, long attributesMask, long[] btime,
                                 boolean cmtime) {
        byte[] b = new byte[Statx.SIZE];
        Uaccess.putInt(b, Statx.STX_MASK, resultMask);
        Uaccess.putInt(b, Statx.STX_BLKSIZE, st.blksize());
        Uaccess.putLong(b, Statx.STX_ATTRIBUTES, attributes);
        Uaccess.putInt(b, Statx.STX_NLINK, st.nlink());
        Uaccess.putInt(b, Statx.STX_UID, st.uid());
        Uaccess.putInt(b, Statx.STX_GID, st.gid());
        Uaccess.putShort(b, Statx.STX_MODE, st.mode());
        Uaccess.putLong(b, Statx.STX_INO, st.ino());
        Uaccess.putLong(b, Statx.STX_SIZE, st.size());
        Uaccess.putLong(b, Statx.STX_BLOCKS, st.blocks());
        Uaccess.putLong(b, Statx.STX_ATTRIBUTES_MASK, attributesMask);
        putTime(b, Statx.STX_ATIME, st.atimeSec(), st.atimeNsec());
        if (btime != null) putTime(b, Statx.STX_BTIME, btime[0], btime[1]);
        if (cmtime) {
            putTime(b, Statx.STX_CTIME, st.ctimeSec(), st.ctimeNsec());
            putTime(b, Statx.STX_MTIME, st.mtimeSec(), st.mtimeNsec());
        }
        Uaccess.putInt(b, Statx.STX_RDEV_MAJOR, major(st.rdev()));
        Uaccess.putInt(b, Statx.STX_RDEV_MINOR, minor(st.rdev()));
        Uaccess.putInt(b, Statx.STX_DEV_MAJOR, major(st.dev()));
        Uaccess.putInt(b, Statx.STX_DEV_MINOR, minor(st.dev()));
        return b;
    }

    private static void putTime(byte[] b, int off, long sec, long nsec) {
        Uaccess.putLong(b, off, sec);
        Uaccess.putInt(b, off + 8, (int) nsec);
    }

    /** The major number of a dev_t in the user-visible encoding (new_decode_dev). */
    static int major(long dev) {
        return (int) ((dev & 0xfff00) >>> 8);
    }

    static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & 0xfff00));
    }
}
