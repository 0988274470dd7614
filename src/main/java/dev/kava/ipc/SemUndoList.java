package dev.kava.ipc;

import java.util.ArrayList;
import java.util.List;

/**
 * struct sem_undo_list (ipc/sem.c): a process's SEM_UNDO adjustments, one {@link Undo} per
 * semaphore set, applied when the last task sharing the list exits (exit_sem). Threads and
 * clone(CLONE_SYSVSEM) children share one list; a plain fork child starts without one.
 */
public final class SemUndoList {
    /** Tasks sharing the list (refcnt). Guarded by this object. */
    private int refcnt = 1;
    /** One entry per set (list_proc). Guarded by this object. */
    final List<Undo> undos = new ArrayList<>();

    /** struct sem_undo: the adjustments of one set; semid -1 once the set was removed. Guarded by the set's lock. */
    static final class Undo {
        int semid;
        final SemArray sma;
        final int[] semadj;

        Undo(int semid, SemArray sma) {
            this.semid = semid;
            this.sma = sma;
            this.semadj = new int[sma.nsems];
        }
    }

    /** copy_semundo: the list a new task starts with. CLONE_SYSVSEM shares the creator's (made now if it has none). */
    public static SemUndoList forClone(dev.kava.kernel.Task parent, boolean shareSysvsem) {
        if (!shareSysvsem) return null;
        // Only the task itself sets its own list (here and in semop), so no lock is needed to read it.
        SemUndoList l = parent.semUndo;
        if (l == null) parent.semUndo = l = new SemUndoList();
        synchronized (l) {
            l.refcnt++;
        }
        return l;
    }

    /** Drops a task's reference; true when it was the last. */
    synchronized boolean put() {
        return --refcnt == 0;
    }
}
