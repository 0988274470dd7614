package dev.kava.ipc;

import dev.kava.kernel.sched.WaitQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * struct sem_array (ipc/sem.c): a set of semaphores, the operations sleeping on it in arrival
 * order, and the undo structures that refer to it. Everything is guarded by this object's
 * monitor (sem_lock of the whole array).
 */
final class SemArray extends KernIpcPerm {
    final int nsems;
    final int[] semval;
    final int[] sempid;
    long otime, ctime;
    /** Operations waiting to be performed (pending_alter and pending_const), oldest first. */
    final List<SemQueue> pending = new ArrayList<>();
    /** The undo structures of processes that used SEM_UNDO on this set (list_id). */
    final List<SemUndoList.Undo> undos = new ArrayList<>();
    /** Where sleepers wait for their queue entry's status to change. */
    final WaitQueue wq = new WaitQueue();

    SemArray(int key, int mode, int nsems) {
        super(key, mode);
        this.nsems = nsems;
        this.semval = new int[nsems];
        this.sempid = new int[nsems];
    }

    /** One sleeping semop (struct sem_queue). */
    static final class SemQueue {
        final short[] num, op, flg;
        final SemUndoList.Undo undo;
        final int pid;
        final boolean alter;
        /** Which operation would block (q->blocking), for GETNCNT and GETZCNT. */
        int blocking;
        /** -EINTR while waiting; set by whoever completes or fails the operation. */
        volatile int status;

        SemQueue(short[] num, short[] op, short[] flg, SemUndoList.Undo undo, int pid, boolean alter) {
            this.num = num;
            this.op = op;
            this.flg = flg;
            this.undo = undo;
            this.pid = pid;
            this.alter = alter;
        }
    }
}
