package dev.kava.ipc;

import dev.kava.abi.Errno;
import dev.kava.abi.Ipc;
import dev.kava.kernel.Cred;
import dev.kava.kernel.ErrnoException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ID allocator of ipc/util.c (ipc_idr_alloc, ipc_obtain_object_check) and ipcperms. */
class IpcIdsTest {
    static final class Obj extends KernIpcPerm {
        Obj(int key, int mode) {
            super(key, mode);
        }
    }

    private static int errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno;
    }

    @Test
    void idsCycleThroughIndicesAndBumpTheSequenceOnWrap() {
        IpcIds<Obj> ids = new IpcIds<>();
        Obj a = new Obj(Ipc.IPC_PRIVATE, 0600), b = new Obj(Ipc.IPC_PRIVATE, 0600);
        assertEquals(0, ids.add(a, 100));
        assertEquals(1, ids.add(b, 100));
        ids.remove(a);
        assertTrue(a.deleted());
        // idr_alloc_cyclic goes on from the last index rather than reusing 0 at once.
        Obj c = new Obj(Ipc.IPC_PRIVATE, 0600);
        assertEquals(2, ids.add(c, 100));
        // The stale id no longer names anything.
        assertEquals(Errno.EINVAL, errno(() -> ids.check(0)));
        assertSame(b, ids.check(1));
        assertEquals(2, ids.maxIndex());
    }

    @Test
    void theRangeGrowsWithUseAndAWrapBumpsTheSequence() {
        IpcIds<Obj> ids = new IpcIds<>();
        // One object made and removed over and over: the cursor runs through [0, 64) and wraps.
        int first = ids.add(new Obj(Ipc.IPC_PRIVATE, 0600), 1000);
        ids.remove(ids.check(first));
        for (int i = 1; i < Ipc.IPC_MIN_CYCLE; i++) {
            int id = ids.add(new Obj(Ipc.IPC_PRIVATE, 0600), 1000);
            assertEquals(i, id);
            ids.remove(ids.check(id));
        }
        Obj again = new Obj(Ipc.IPC_PRIVATE, 0600);
        int id = ids.add(again, 1000);
        assertEquals(0, id & (Ipc.IPCMNI - 1));
        assertEquals(1, id >> Ipc.IPCMNI_SHIFT);
        assertNotEquals(first, id);
        assertSame(again, ids.check(id));
        final int stale = first;
        assertEquals(Errno.EINVAL, errno(() -> ids.check(stale)));
        assertSame(again, ids.byIndex(0)); // SHM_STAT-style lookup by index ignores the sequence
        // With 64 in use the range is in_use * 3 / 2: index 64 comes next, not a wrap.
        for (int i = 1; i < Ipc.IPC_MIN_CYCLE; i++) ids.add(new Obj(Ipc.IPC_PRIVATE, 0600), 1000);
        int next = ids.add(new Obj(Ipc.IPC_PRIVATE, 0600), 1000);
        assertEquals(Ipc.IPC_MIN_CYCLE, next & (Ipc.IPCMNI - 1));
    }

    @Test
    void keysAreFoundUntilMadePrivateAndTheLimitIsEnospc() {
        IpcIds<Obj> ids = new IpcIds<>();
        Obj a = new Obj(1234, 0600);
        ids.add(a, 2);
        assertSame(a, ids.findKey(1234));
        assertNull(ids.findKey(Ipc.IPC_PRIVATE));
        ids.setKeyPrivate(a);
        assertNull(ids.findKey(1234));
        assertEquals(Ipc.IPC_PRIVATE, a.key());
        ids.add(new Obj(Ipc.IPC_PRIVATE, 0), 2);
        assertEquals(Errno.ENOSPC, errno(() -> ids.add(new Obj(5, 0), 2)));
        assertEquals(2, ids.inUse());
    }

    private static Cred user(int uid, int gid) {
        return new Cred(uid, uid, uid, uid, gid, gid, gid, gid);
    }

    @Test
    void ipcpermsChecksOwnerThenGroupThenOther() {
        Obj o = new Obj(1, 0640);
        o.uid = o.cuid = 100;
        o.gid = o.cgid = 200;
        int r = IpcUtil.S_IRUGO, rw = IpcUtil.S_IRUGO | IpcUtil.S_IWUGO;
        assertTrue(IpcUtil.ipcperms(user(100, 1), new int[0], o, rw));
        assertTrue(IpcUtil.ipcperms(user(101, 200), new int[0], o, r));
        assertFalse(IpcUtil.ipcperms(user(101, 200), new int[0], o, rw));
        assertTrue(IpcUtil.ipcperms(user(101, 1), new int[] {200}, o, r)); // a supplementary group
        assertFalse(IpcUtil.ipcperms(user(101, 1), new int[0], o, r));
        assertTrue(IpcUtil.ipcperms(user(101, 1), new int[0], o, 0)); // nothing asked for
        assertTrue(IpcUtil.ipcperms(Cred.ROOT, new int[0], o, rw)); // CAP_IPC_OWNER
        // The creator is an owner too, after IPC_SET gave the object away.
        o.uid = 300;
        assertTrue(IpcUtil.ipcperms(user(100, 1), new int[0], o, rw));
    }
}
