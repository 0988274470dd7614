package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Stat;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;

/**
 * inode_permission and generic_permission (fs/namei.c): mode bits against the caller's fsuid
 * and fsgid, with root's CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH (kava gives root every
 * capability, as Linux gives a root user in the initial user namespace).
 */
public final class Permission {
    private Permission() {}

    public static final int MAY_EXEC = 1;
    public static final int MAY_WRITE = 2;
    public static final int MAY_READ = 4;

    /** Whether c may access inode for mask; the read-only check is the caller's (it depends on the mount). */
    public static boolean allowed(Cred c, Inode inode, int mask) {
        int mode = inode.mode();
        if (c.fsuid() == 0) {
            // CAP_DAC_OVERRIDE: everything but executing a file no one may execute.
            if ((mask & MAY_EXEC) == 0 || (mode & Stat.S_IFMT) == Stat.S_IFDIR) return true;
            return (mode & 0111) != 0;
        }
        int bits;
        if (c.fsuid() == inode.uid()) bits = mode >> 6;
        else if (c.fsgid() == inode.gid()) bits = mode >> 3;
        else bits = mode;
        return (mask & ~bits & 7) == 0;
    }

    /** Throws EPERM for writing an immutable inode (inode_permission checks that first), EACCES unless allowed. */
    public static void check(Cred c, Inode inode, int mask) {
        if ((mask & MAY_WRITE) != 0 && inode.immutable()) throw ErrnoException.of(Errno.EPERM);
        if (!allowed(c, inode, mask)) throw ErrnoException.of(Errno.EACCES);
    }

    /** Writing to a file on a read-only mount (sb_permission / mnt_want_write): EROFS for files, dirs and links. */
    public static void checkWritable(FsPath p) {
        int type = p.inode().type();
        if (p.mnt().readOnly() && (type == Stat.S_IFREG || type == Stat.S_IFDIR || type == Stat.S_IFLNK)) {
            throw ErrnoException.of(Errno.EROFS);
        }
    }

    /** Whether c owns inode or is root (inode_owner_or_capable). */
    public static boolean ownerOrCapable(Cred c, Inode inode) {
        return c.fsuid() == 0 || c.fsuid() == inode.uid();
    }

    /** may_delete's sticky-directory rule (check_sticky): only the owner of the file or the directory, or root. */
    public static boolean stickyDenies(Cred c, Inode dir, Inode victim) {
        if ((dir.mode() & Stat.S_ISVTX) == 0) return false;
        return c.fsuid() != 0 && c.fsuid() != victim.uid() && c.fsuid() != dir.uid();
    }
}
