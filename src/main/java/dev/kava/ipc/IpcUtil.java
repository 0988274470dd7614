package dev.kava.ipc;

import dev.kava.abi.Errno;
import dev.kava.abi.Ipc;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.Uaccess;

/**
 * The helpers of ipc/util.c every System V IPC kind shares: ipcget (find or create by key),
 * ipcperms, the owner check of IPC_SET and IPC_RMID (ipcctl_obtain_check) and ipc_update_perm.
 * kava gives root every capability, as Linux gives a root user in the initial user namespace.
 */
public final class IpcUtil {
    private IpcUtil() {}

    /** S_IRUGO, S_IWUGO, S_IXUGO and S_IRWXUGO. */
    static final int S_IRUGO = 0444, S_IWUGO = 0222, S_IXUGO = 0111, S_IRWXUGO = 0777;

    /** What one IPC kind does for ipcget (struct ipc_ops). */
    interface Ops<T extends KernIpcPerm> {
        /** getnew: makes and enters a new object; returns its id. */
        int newObject(Task t, int key, int flg);

        /** more_checks: a kind's extra checks on an object found by key (shm's size); may throw. */
        default void moreChecks(T obj) {}
    }

    /** ipcget: IPC_PRIVATE always creates; a key is looked up and created with IPC_CREAT. */
    static <T extends KernIpcPerm> int ipcget(Task t, IpcIds<T> ids, int key, int flg, Ops<T> ops) {
        synchronized (ids) {
            if (key == Ipc.IPC_PRIVATE) return ops.newObject(t, key, flg);
            // ipcget_public
            T obj = ids.findKey(key);
            if (obj == null) {
                if ((flg & Ipc.IPC_CREAT) == 0) throw ErrnoException.of(Errno.ENOENT);
                return ops.newObject(t, key, flg);
            }
            if ((flg & Ipc.IPC_CREAT) != 0 && (flg & Ipc.IPC_EXCL) != 0) throw ErrnoException.of(Errno.EEXIST);
            ops.moreChecks(obj);
            // ipc_check_perms
            synchronized (obj) {
                if (!ipcperms(t.group, obj, flg)) throw ErrnoException.of(Errno.EACCES);
            }
            return obj.id;
        }
    }

    /** The new object's owner and creator: the caller's euid and egid (ipc_addid). */
    static void setOwner(Task t, KernIpcPerm p) {
        Cred c = t.group.cred;
        p.uid = p.cuid = c.euid();
        p.gid = p.cgid = c.egid();
    }

    /** in_group_p: the fsgid or a supplementary group. */
    static boolean inGroup(Cred c, int[] groups, int gid) {
        if (c.fsgid() == gid) return true;
        for (int s : groups) if (s == gid) return true;
        return false;
    }

    /** capable(): root has every capability. */
    static boolean capable(TaskGroup g) {
        return g.cred.euid() == 0;
    }

    /**
     * ipcperms: whether g may access p for flag's rwx bits (any of the user, group and other
     * triplets of flag asks for them); CAP_IPC_OWNER overrides. Caller holds p's lock.
     */
    public static boolean ipcperms(TaskGroup g, KernIpcPerm p, int flag) {
        return ipcperms(g.cred, g.groups, p, flag);
    }

    /** ipcperms for credentials c with supplementary groups. */
    static boolean ipcperms(Cred c, int[] groups, KernIpcPerm p, int flag) {
        int requested = (flag >> 6) | (flag >> 3) | flag;
        int granted = p.mode;
        int euid = c.euid();
        if (euid == p.cuid || euid == p.uid) granted >>= 6;
        else if (inGroup(c, groups, p.cgid) || inGroup(c, groups, p.gid)) granted >>= 3;
        return (requested & ~granted & 7) == 0 || euid == 0;
    }

    /** ipcctl_obtain_check's owner test for IPC_SET and IPC_RMID: creator, owner or CAP_SYS_ADMIN; else EPERM. */
    static void checkOwner(Task t, KernIpcPerm p) {
        int euid = t.group.cred.euid();
        if (euid != p.cuid && euid != p.uid && !capable(t.group)) throw ErrnoException.of(Errno.EPERM);
    }

    /** The uid, gid and mode IPC_SET takes from a struct ipc64_perm. */
    record PermSet(int uid, int gid, int mode) {
        static PermSet read(byte[] b, int off) {
            return new PermSet(Uaccess.getInt(b, off + Ipc.PERM_UID), Uaccess.getInt(b, off + Ipc.PERM_GID),
                    Uaccess.getInt(b, off + Ipc.PERM_MODE));
        }
    }

    /** ipc_update_perm: new owner ids (-1 is no valid id: EINVAL) and permission bits. Caller holds p's lock. */
    static void updatePerm(PermSet in, KernIpcPerm p) {
        if (in.uid() == -1 || in.gid() == -1) throw ErrnoException.of(Errno.EINVAL);
        p.uid = in.uid();
        p.gid = in.gid();
        p.mode = (p.mode & ~S_IRWXUGO) | (in.mode() & S_IRWXUGO);
    }

    /** ktime_get_real_seconds. */
    static long now(Task t) {
        return Math.floorDiv(t.kernel.clock().realtimeNanos(), 1_000_000_000L);
    }
}
