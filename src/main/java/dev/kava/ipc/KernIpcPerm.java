package dev.kava.ipc;

import dev.kava.abi.Ipc;
import dev.kava.kernel.Uaccess;

/**
 * struct kern_ipc_perm (include/linux/ipc.h): the key, id, owner, creator and mode every
 * System V IPC object has. Subclasses are the objects (a segment, a semaphore set, a message
 * queue); each object's monitor is its lock (kern_ipc_perm.lock).
 */
public abstract class KernIpcPerm {
    /** The key; IPC_RMID of a segment still attached makes it IPC_PRIVATE. */
    int key;
    /** The id: seq * IPCMNI + index (set by {@link IpcIds#add}). */
    int id;
    int seq;
    int uid, gid, cuid, cgid;
    /** The permission bits and the kernel's flags (SHM_DEST, SHM_LOCKED). */
    int mode;
    /** Removed from its table (ipc_valid_object is false): waiters see EIDRM. */
    boolean deleted;

    KernIpcPerm(int key, int mode) {
        this.key = key;
        this.mode = mode;
    }

    public int id() {
        return id;
    }

    public int key() {
        return key;
    }

    public synchronized int mode() {
        return mode;
    }

    public synchronized boolean deleted() {
        return deleted;
    }

    /** kernel_to_ipc64_perm: this object's struct ipc64_perm at off of b. Caller holds the lock. */
    void toIpc64Perm(byte[] b, int off) {
        Uaccess.putInt(b, off + Ipc.PERM_KEY, key);
        Uaccess.putInt(b, off + Ipc.PERM_UID, uid);
        Uaccess.putInt(b, off + Ipc.PERM_GID, gid);
        Uaccess.putInt(b, off + Ipc.PERM_CUID, cuid);
        Uaccess.putInt(b, off + Ipc.PERM_CGID, cgid);
        Uaccess.putInt(b, off + Ipc.PERM_MODE, mode);
        Uaccess.putShort(b, off + Ipc.PERM_SEQ, seq);
    }
}
