package dev.kava.ipc;

import dev.kava.abi.Errno;
import dev.kava.abi.Ipc;
import dev.kava.kernel.ErrnoException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * struct ipc_ids and its allocator (ipc/util.c): one table of objects of one kind, indexed by
 * a small number that cycles through [0, max(in_use * 3 / 2, 64)) as idr_alloc_cyclic does;
 * an id is seq * IPCMNI + index, where seq grows each time the cursor wraps, so a stale id of
 * a removed object does not name its successor. Keys other than IPC_PRIVATE are unique.
 * Callers hold the table's monitor (ipc_ids.rwsem) around lookups and changes.
 */
public final class IpcIds<T extends KernIpcPerm> {
    private final TreeMap<Integer, T> byIndex = new TreeMap<>();
    private final Map<Integer, T> byKey = new HashMap<>();
    private int seq;
    private int lastIdx = -1;
    /** Where idr_alloc_cyclic's search starts (idr_next). */
    private int next;

    /** How many objects the table holds (in_use). */
    public synchronized int inUse() {
        return byIndex.size();
    }

    /** ipc_findkey: the object with key, or null. */
    public synchronized T findKey(int key) {
        return byKey.get(key);
    }

    /**
     * ipc_addid: gives obj an index, a sequence number and an id, and enters it (and its key,
     * unless IPC_PRIVATE). limit is the namespace's maximum count (shmmni, semmni, msgmni);
     * a full table fails with ENOSPC.
     */
    public synchronized int add(T obj, int limit) {
        if (limit > Ipc.IPCMNI) limit = Ipc.IPCMNI;
        if (byIndex.size() >= limit) throw ErrnoException.of(Errno.ENOSPC);
        // ipc_idr_alloc: idr_alloc_cyclic over [0, max_idx).
        int maxIdx = Math.min(Math.max(byIndex.size() * 3 / 2, Ipc.IPC_MIN_CYCLE), Ipc.IPCMNI);
        int idx = freeIndex(Math.min(next, maxIdx), maxIdx);
        if (idx < 0) idx = freeIndex(0, maxIdx);
        if (idx < 0) throw ErrnoException.of(Errno.ENOSPC);
        next = idx + 1;
        if (idx <= lastIdx) {
            seq++;
            if (seq >= Ipc.IPCID_SEQ_MAX) seq = 0;
        }
        lastIdx = idx;
        obj.seq = seq;
        obj.id = (seq << Ipc.IPCMNI_SHIFT) + idx;
        byIndex.put(idx, obj);
        if (obj.key != Ipc.IPC_PRIVATE) byKey.put(obj.key, obj);
        return obj.id;
    }

    private int freeIndex(int from, int to) {
        for (int i = from; i < to; i++) if (!byIndex.containsKey(i)) return i;
        return -1;
    }

    /** ipc_rmid: the object leaves the table and is marked deleted. */
    public synchronized void remove(T obj) {
        int idx = obj.id & (Ipc.IPCMNI - 1);
        if (byIndex.get(idx) == obj) byIndex.remove(idx);
        if (obj.key != Ipc.IPC_PRIVATE && byKey.get(obj.key) == obj) byKey.remove(obj.key);
        synchronized (obj) {
            obj.deleted = true;
        }
    }

    /** ipc_set_key_private: the object keeps its id but can no longer be found by its key. */
    public synchronized void setKeyPrivate(T obj) {
        if (obj.key != Ipc.IPC_PRIVATE && byKey.get(obj.key) == obj) byKey.remove(obj.key);
        synchronized (obj) {
            obj.key = Ipc.IPC_PRIVATE;
        }
    }

    /** ipc_obtain_object_idr: the object at the index an id (or a bare index) names; EINVAL if none. */
    public synchronized T byIndex(int idOrIndex) {
        T obj = byIndex.get(idOrIndex & (Ipc.IPCMNI - 1));
        if (obj == null) throw ErrnoException.of(Errno.EINVAL);
        return obj;
    }

    /** ipc_obtain_object_check: the object with exactly this id; EINVAL when the index is free or the sequence differs. */
    public synchronized T check(int id) {
        T obj = byIndex(id);
        if ((id >> Ipc.IPCMNI_SHIFT) != obj.seq) throw ErrnoException.of(Errno.EINVAL);
        return obj;
    }

    /** ipc_get_maxidx: the highest index in use, or -1 when the table is empty. */
    public synchronized int maxIndex() {
        return byIndex.isEmpty() ? -1 : byIndex.lastKey();
    }

    /** Every object, by index (the order /proc/sysvipc lists them). */
    public synchronized List<T> all() {
        return new ArrayList<>(byIndex.values());
    }
}
