package dev.kava.fs;

import dev.kava.abi.Errno;
import dev.kava.abi.Resource;
import dev.kava.abi.Signal;
import dev.kava.abi.Stat;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;

/**
 * The VFS's attribute-change rules (fs/attr.c): who may change what (setattr_prepare,
 * chown_ok, chgrp_ok), when setuid and setgid bits go (setattr_should_drop_sgid,
 * setattr_should_drop_suidgid, file_remove_privs), and whether a new size is allowed
 * (inode_newsize_ok). kava gives root every capability; like Linux, the filesystem
 * capabilities (CAP_CHOWN, CAP_FOWNER, CAP_FSETID) follow the fsuid.
 */
public final class Attr {
    private Attr() {}

    /** CAP_CHOWN, CAP_FOWNER, CAP_FSETID: in the capability set while the fsuid is 0. */
    static boolean fsCapable(Cred c) {
        return c.fsuid() == 0;
    }

    /** CAP_SYS_ADMIN: an effective uid of 0. */
    static boolean sysAdmin(Cred c) {
        return c.euid() == 0;
    }

    /** in_group_p: the fsgid or a supplementary group. */
    static boolean inGroup(Task t, int gid) {
        if (t.group.cred.fsgid() == gid) return true;
        for (int g : t.group.groups) if (g == gid) return true;
        return false;
    }

    /** in_group_or_capable: in the group, or CAP_FSETID. */
    static boolean inGroupOrCapable(Task t, int gid) {
        return inGroup(t, gid) || fsCapable(t.group.cred);
    }

    /** setattr_should_drop_sgid: a setgid file loses the bit when group-executable or not the caller's group. */
    static boolean shouldDropSgid(Task t, int mode, int gid) {
        if ((mode & Stat.S_ISGID) == 0) return false;
        if ((mode & 0010) != 0) return true;
        return !inGroupOrCapable(t, gid);
    }

    /**
     * setattr_should_drop_suidgid: the bits a write, truncate or fallocate by t removes from a
     * regular file (none for a caller with CAP_FSETID).
     */
    static int suidSgidToDrop(Task t, Inode inode) {
        int mode = inode.mode();
        int kill = mode & Stat.S_ISUID;
        if (shouldDropSgid(t, mode, inode.gid())) kill |= Stat.S_ISGID;
        if (kill != 0 && !fsCapable(t.group.cred) && (mode & Stat.S_IFMT) == Stat.S_IFREG) return kill;
        return 0;
    }

    /** file_remove_privs: a non-root write to a setuid/setgid file clears the bits (and changes ctime). */
    public static void removePrivs(Task t, Inode inode) {
        if ((inode.mode() & (Stat.S_ISUID | Stat.S_ISGID)) == 0) return; // the S_NOSEC fast path
        int kill = suidSgidToDrop(t, inode);
        if (kill != 0) inode.setMode(inode.mode() & ~kill & 07777);
    }

    /**
     * inode_newsize_ok: EINVAL for a negative size; growing past RLIMIT_FSIZE raises SIGXFSZ
     * and fails with EFBIG.
     */
    public static void newsizeOk(Task t, Inode inode, long offset) {
        if (offset < 0) throw ErrnoException.of(Errno.EINVAL);
        if (inode.size() < offset) {
            long limit = t.group.rlimits.cur(Resource.RLIMIT_FSIZE);
            if (limit != Resource.RLIM_INFINITY && Long.compareUnsigned(offset, limit) > 0) {
                dev.kava.kernel.signal.Signals.sendToTask(t,
                        dev.kava.kernel.signal.SigInfo.user(Signal.SIGXFSZ, 0, t.group.tgid, t.group.cred.uid()));
                throw ErrnoException.of(Errno.EFBIG);
            }
        }
    }

    /**
     * do_truncate: a new size for a regular file, after inode_newsize_ok, dropping setuid and
     * setgid as a non-root write does (ATTR_KILL_S*ID | ATTR_FORCE). The filesystem's truncate
     * updates mtime and ctime when the size changes; timeAttrs (ATTR_MTIME | ATTR_CTIME, set by
     * ftruncate and O_TRUNC) updates them even when it does not.
     */
    public static void doTruncate(Task t, Inode inode, long length, boolean timeAttrs) {
        if (length < 0) throw ErrnoException.of(Errno.EINVAL);
        newsizeOk(t, inode, length);
        removePrivs(t, inode);
        inode.truncate(length);
        if (timeAttrs) inode.touchMtime();
    }

    /** inode_owner_or_capable */
    static boolean ownerOrCapable(Cred c, Inode inode) {
        return Permission.ownerOrCapable(c, inode);
    }

    /** chown_ok: the owner may "change" the owner to itself; otherwise CAP_CHOWN. */
    static boolean chownOk(Cred c, Inode inode, int newUid) {
        if (c.fsuid() == inode.uid() && newUid == inode.uid()) return true;
        return fsCapable(c);
    }

    /** chgrp_ok: the owner may give the file a group it is in; otherwise CAP_CHOWN. */
    static boolean chgrpOk(Task t, Inode inode, int newGid) {
        Cred c = t.group.cred;
        if (c.fsuid() == inode.uid() && (newGid == inode.gid() || inGroup(t, newGid))) return true;
        return fsCapable(c);
    }
}
