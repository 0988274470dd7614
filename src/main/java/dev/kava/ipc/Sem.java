package dev.kava.ipc;

import dev.kava.abi.Errno;
import dev.kava.abi.Ipc;
import dev.kava.abi.SyscallNr;
import dev.kava.abi.Time;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

import java.util.Iterator;

/**
 * System V semaphores (ipc/sem.c): semget, semop, semtimedop and semctl. An operation array
 * is performed all or nothing (perform_atomic_semop_slow: applied in order, rolled back when
 * one would block); one that must wait queues on the set and sleeps until a change lets it
 * through (whoever makes the change performs it and sets its status), the set is removed
 * (EIDRM), a signal comes (EINTR: semop is never restarted) or the timeout passes (EAGAIN).
 * SEM_UNDO adjustments are kept per process and applied at exit (exit_sem).
 */
public final class Sem {
    private Sem() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.SEMGET, (task, a) -> semget(task, (int) a[0], (int) a[1], (int) a[2]));
        t.register(SyscallNr.SEMOP, (task, a) -> semtimedop(task, (int) a[0], a[1], a[2], 0));
        t.register(SyscallNr.SEMTIMEDOP, (task, a) -> semtimedop(task, (int) a[0], a[1], a[2], a[3]));
        t.register(SyscallNr.SEMCTL, (task, a) -> semctl(task, (int) a[0], (int) a[1], (int) a[2], a[3]));
    }

    // ---- semget ----

    static long semget(Task t, int key, int nsems, int semflg) {
        IpcNamespace ns = IpcNamespace.of(t.kernel);
        if (nsems < 0 || nsems > ns.semMsl) return -Errno.EINVAL;
        return IpcUtil.ipcget(t, ns.semIds, key, semflg, new IpcUtil.Ops<>() {
            @Override
            public int newObject(Task task, int k, int flg) {
                return newary(task, ns, k, nsems, flg);
            }

            @Override
            public void moreChecks(SemArray sma) {
                if (nsems > sma.nsems) throw ErrnoException.of(Errno.EINVAL);
            }
        });
    }

    /** newary. Caller holds the table's lock. */
    private static int newary(Task t, IpcNamespace ns, int key, int nsems, int semflg) {
        if (nsems == 0) throw ErrnoException.of(Errno.EINVAL);
        if ((long) ns.usedSems + nsems > ns.semMns) throw ErrnoException.of(Errno.ENOSPC);
        SemArray sma = new SemArray(key, semflg & IpcUtil.S_IRWXUGO, nsems);
        IpcUtil.setOwner(t, sma);
        sma.ctime = IpcUtil.now(t);
        int id = ns.semIds.add(sma, ns.semMni);
        ns.usedSems += nsems;
        return id;
    }

    // ---- semop and semtimedop ----

    /** do_semtimedop. */
    static long semtimedop(Task t, int semid, long tsops, long nsopsArg, long timeout) {
        IpcNamespace ns = IpcNamespace.of(t.kernel);
        if (nsopsArg < 1 || semid < 0) return -Errno.EINVAL;
        if (nsopsArg > ns.semOpm) return -Errno.E2BIG;
        int nsops = (int) nsopsArg;
        byte[] raw = t.mem.read(tsops, nsops * dev.kava.abi.Sem.SEMBUF_SIZE);
        long deadline = Long.MAX_VALUE;
        if (timeout != 0) {
            byte[] ts = t.mem.read(timeout, Time.TIMESPEC_SIZE);
            long sec = Uaccess.getLong(ts, 0), nsec = Uaccess.getLong(ts, 8);
            if (sec < 0 || nsec < 0 || nsec >= Time.NSEC_PER_SEC) return -Errno.EINVAL;
            long ns0 = sec > Long.MAX_VALUE / Time.NSEC_PER_SEC - 1 ? Long.MAX_VALUE : sec * Time.NSEC_PER_SEC + nsec;
            long now = t.kernel.clock().monotonicNanos();
            deadline = ns0 == Long.MAX_VALUE || now + ns0 < now ? Long.MAX_VALUE : now + ns0;
        }
        short[] num = new short[nsops], op = new short[nsops], flg = new short[nsops];
        int max = 0;
        boolean undos = false, alter = false;
        for (int i = 0; i < nsops; i++) {
            int o = i * dev.kava.abi.Sem.SEMBUF_SIZE;
            num[i] = (short) ((raw[o] & 0xff) | (raw[o + 1] & 0xff) << 8);
            op[i] = (short) ((raw[o + 2] & 0xff) | (raw[o + 3] & 0xff) << 8);
            flg[i] = (short) ((raw[o + 4] & 0xff) | (raw[o + 5] & 0xff) << 8);
            max = Math.max(max, num[i] & 0xffff);
            if ((flg[i] & dev.kava.abi.Sem.SEM_UNDO) != 0) undos = true;
            if (op[i] != 0) alter = true;
        }
        SemUndoList.Undo un = undos ? findAllocUndo(t, ns, semid) : null;
        SemArray sma = ns.semIds.check(semid);
        if (max >= sma.nsems) return -Errno.EFBIG;
        SemArray.SemQueue q;
        synchronized (sma) {
            if (!IpcUtil.ipcperms(t.group, sma, alter ? IpcUtil.S_IWUGO : IpcUtil.S_IRUGO)) return -Errno.EACCES;
            if (sma.deleted) return -Errno.EIDRM;
            // A set removed (and its id reused) after the undo structure was made.
            if (un != null && un.semid == -1) return -Errno.EIDRM;
            q = new SemArray.SemQueue(num, op, flg, un, t.group.tgid, alter);
            int r = perform(sma, q);
            if (r == 0) {
                sma.otime = IpcUtil.now(t);
                if (alter) updateQueue(sma, t);
                return 0;
            }
            if (r < 0) return r;
            q.status = -Errno.EINTR;
            sma.pending.add(q);
        }
        int w = t.waitEvent(sma.wq, () -> q.status != -Errno.EINTR, deadline);
        synchronized (sma) {
            // Completed (0 or an error such as EIDRM) by another task, even if a signal or the
            // deadline came at the same time.
            if (q.status != -Errno.EINTR) return q.status;
            sma.pending.remove(q);
        }
        return w == -Errno.ETIMEDOUT ? -Errno.EAGAIN : -Errno.EINTR;
    }

    /**
     * perform_atomic_semop_slow: applies the operations in order; returns 0 when all were done,
     * 1 when one must wait (q.blocking names it), -EAGAIN for IPC_NOWAIT, -ERANGE beyond SEMVMX
     * or the undo range. Anything but 0 leaves the values and adjustments as they were.
     */
    private static int perform(SemArray sma, SemArray.SemQueue q) {
        int i = 0, result = 0;
        for (; i < q.num.length; i++) {
            int n = q.num[i] & 0xffff;
            int sop = q.op[i];
            int v = sma.semval[n];
            if (sop == 0 && v != 0) {
                result = wouldBlock(q, i);
                break;
            }
            v += sop;
            if (v < 0) {
                result = wouldBlock(q, i);
                break;
            }
            if (v > dev.kava.abi.Sem.SEMVMX) {
                result = -Errno.ERANGE;
                break;
            }
            if ((q.flg[i] & dev.kava.abi.Sem.SEM_UNDO) != 0) {
                int undo = q.undo.semadj[n] - sop;
                if (undo < -dev.kava.abi.Sem.SEMAEM - 1 || undo > dev.kava.abi.Sem.SEMAEM) {
                    result = -Errno.ERANGE;
                    break;
                }
                q.undo.semadj[n] = undo;
            }
            sma.semval[n] = v;
        }
        if (result == 0) {
            for (int j = 0; j < q.num.length; j++) sma.sempid[q.num[j] & 0xffff] = q.pid;
            return 0;
        }
        // undo: roll back what was applied before the operation that stopped.
        for (int j = i - 1; j >= 0; j--) {
            int n = q.num[j] & 0xffff;
            sma.semval[n] -= q.op[j];
            if ((q.flg[j] & dev.kava.abi.Sem.SEM_UNDO) != 0) q.undo.semadj[n] += q.op[j];
        }
        return result;
    }

    private static int wouldBlock(SemArray.SemQueue q, int i) {
        q.blocking = i;
        return (q.flg[i] & Ipc.IPC_NOWAIT) != 0 ? -Errno.EAGAIN : 1;
    }

    /**
     * update_queue / do_smart_update: after the values changed, the sleeping operations that
     * can now complete do, oldest first, and the scan starts over after each one that changed
     * a value. Caller holds the set's lock.
     */
    private static void updateQueue(SemArray sma, Task t) {
        boolean woke = false, restart = true;
        while (restart) {
            restart = false;
            for (Iterator<SemArray.SemQueue> it = sma.pending.iterator(); it.hasNext(); ) {
                SemArray.SemQueue q = it.next();
                int r = perform(sma, q);
                if (r == 1) continue;
                it.remove();
                q.status = r;
                woke = true;
                if (r == 0) {
                    sma.otime = IpcUtil.now(t);
                    if (q.alter) {
                        restart = true;
                        break;
                    }
                }
            }
        }
        if (woke) sma.wq.wakeAll();
    }

    /** find_alloc_undo: the caller's undo structure for semid, made (with the process's list) if missing. */
    private static SemUndoList.Undo findAllocUndo(Task t, IpcNamespace ns, int semid) {
        SemUndoList ulp = t.semUndo;
        if (ulp == null) t.semUndo = ulp = new SemUndoList();
        synchronized (ulp) {
            for (SemUndoList.Undo u : ulp.undos) {
                synchronized (u.sma) {
                    if (u.semid == semid) return u;
                }
            }
            SemArray sma = ns.semIds.check(semid);
            synchronized (sma) {
                if (sma.deleted) throw ErrnoException.of(Errno.EIDRM);
                SemUndoList.Undo u = new SemUndoList.Undo(semid, sma);
                ulp.undos.add(u);
                sma.undos.add(u);
                return u;
            }
        }
    }

    /**
     * exit_sem: a task drops its undo list; the last task sharing it applies each set's
     * adjustments, capped to [0, SEMVMX], and lets waiting operations run.
     */
    public static void exitSem(Task t) {
        SemUndoList ulp = t.semUndo;
        if (ulp == null) return;
        t.semUndo = null;
        if (!ulp.put()) return;
        java.util.List<SemUndoList.Undo> list;
        synchronized (ulp) {
            list = new java.util.ArrayList<>(ulp.undos);
            ulp.undos.clear();
        }
        for (SemUndoList.Undo un : list) {
            SemArray sma = un.sma;
            synchronized (sma) {
                if (sma.deleted || un.semid == -1) continue;
                sma.undos.remove(un);
                for (int i = 0; i < sma.nsems; i++) {
                    if (un.semadj[i] == 0) continue;
                    int v = sma.semval[i] + un.semadj[i];
                    sma.semval[i] = Math.max(0, Math.min(v, dev.kava.abi.Sem.SEMVMX));
                    sma.sempid[i] = t.group.tgid;
                }
                sma.otime = IpcUtil.now(t);
                updateQueue(sma, t);
            }
        }
    }

    // ---- semctl ----

    static long semctl(Task t, int semid, int semnum, int cmd, long arg) {
        if (semid < 0) return -Errno.EINVAL;
        IpcNamespace ns = IpcNamespace.of(t.kernel);
        switch (cmd) {
            case Ipc.IPC_INFO, dev.kava.abi.Sem.SEM_INFO -> {
                return info(t, ns, cmd, arg);
            }
            case Ipc.IPC_STAT, dev.kava.abi.Sem.SEM_STAT, dev.kava.abi.Sem.SEM_STAT_ANY -> {
                return stat(t, ns, semid, cmd, arg);
            }
            case dev.kava.abi.Sem.GETALL, dev.kava.abi.Sem.GETVAL, dev.kava.abi.Sem.GETPID, dev.kava.abi.Sem.GETNCNT,
                    dev.kava.abi.Sem.GETZCNT, dev.kava.abi.Sem.SETALL -> {
                return main(t, ns, semid, semnum, cmd, arg);
            }
            case dev.kava.abi.Sem.SETVAL -> {
                return setval(t, ns, semid, semnum, (int) arg); // the low 32 bits on little-endian 64-bit
            }
            case Ipc.IPC_SET -> {
                byte[] b = t.mem.read(arg, dev.kava.abi.Sem.SEMID64_DS_SIZE);
                return down(t, ns, semid, cmd, IpcUtil.PermSet.read(b, 0));
            }
            case Ipc.IPC_RMID -> {
                return down(t, ns, semid, cmd, null);
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    /** semctl_info: struct seminfo; SEM_INFO reports the sets and semaphores in use. */
    private static long info(Task t, IpcNamespace ns, int cmd, long buf) {
        byte[] b = new byte[dev.kava.abi.Sem.SEMINFO_SIZE];
        int maxIdx;
        Uaccess.putInt(b, 0, dev.kava.abi.Sem.SEMMAP);
        Uaccess.putInt(b, 4, ns.semMni);
        Uaccess.putInt(b, 8, ns.semMns);
        Uaccess.putInt(b, 12, dev.kava.abi.Sem.SEMMNU);
        Uaccess.putInt(b, 16, ns.semMsl);
        Uaccess.putInt(b, 20, ns.semOpm);
        Uaccess.putInt(b, 24, dev.kava.abi.Sem.SEMUME);
        synchronized (ns.semIds) {
            boolean semInfo = cmd == dev.kava.abi.Sem.SEM_INFO;
            Uaccess.putInt(b, 28, semInfo ? ns.semIds.inUse() : dev.kava.abi.Sem.SEMUSZ);
            Uaccess.putInt(b, 36, semInfo ? ns.usedSems : dev.kava.abi.Sem.SEMAEM);
            maxIdx = ns.semIds.maxIndex();
        }
        Uaccess.putInt(b, 32, dev.kava.abi.Sem.SEMVMX);
        t.mem.write(buf, b);
        return Math.max(maxIdx, 0);
    }

    /** semctl_stat: IPC_STAT by id; SEM_STAT and SEM_STAT_ANY by index, returning the id. */
    private static long stat(Task t, IpcNamespace ns, int semid, int cmd, long buf) {
        SemArray sma = cmd == Ipc.IPC_STAT ? ns.semIds.check(semid) : ns.semIds.byIndex(semid);
        byte[] b = new byte[dev.kava.abi.Sem.SEMID64_DS_SIZE];
        synchronized (sma) {
            if (cmd != dev.kava.abi.Sem.SEM_STAT_ANY && !IpcUtil.ipcperms(t.group, sma, IpcUtil.S_IRUGO)) return -Errno.EACCES;
            if (sma.deleted) return -Errno.EIDRM;
            sma.toIpc64Perm(b, 0);
            Uaccess.putLong(b, dev.kava.abi.Sem.SEM_OTIME, sma.otime);
            Uaccess.putLong(b, dev.kava.abi.Sem.SEM_CTIME, sma.ctime);
            Uaccess.putLong(b, dev.kava.abi.Sem.SEM_NSEMS, sma.nsems);
        }
        t.mem.write(buf, b);
        return cmd == Ipc.IPC_STAT ? 0 : sma.id;
    }

    /** semctl_setval. */
    private static long setval(Task t, IpcNamespace ns, int semid, int semnum, int val) {
        if (val > dev.kava.abi.Sem.SEMVMX || val < 0) return -Errno.ERANGE;
        SemArray sma = ns.semIds.check(semid);
        synchronized (sma) {
            if (semnum < 0 || semnum >= sma.nsems) return -Errno.EINVAL;
            if (!IpcUtil.ipcperms(t.group, sma, IpcUtil.S_IWUGO)) return -Errno.EACCES;
            if (sma.deleted) return -Errno.EIDRM;
            for (SemUndoList.Undo un : sma.undos) un.semadj[semnum] = 0;
            sma.semval[semnum] = val;
            sma.sempid[semnum] = t.group.tgid;
            sma.ctime = IpcUtil.now(t);
            updateQueue(sma, t);
        }
        return 0;
    }

    /** semctl_main: GETALL, SETALL, and the per-semaphore GETVAL, GETPID, GETNCNT, GETZCNT. */
    private static long main(Task t, IpcNamespace ns, int semid, int semnum, int cmd, long p) {
        SemArray sma = ns.semIds.check(semid);
        int nsems = sma.nsems;
        synchronized (sma) {
            if (!IpcUtil.ipcperms(t.group, sma, cmd == dev.kava.abi.Sem.SETALL ? IpcUtil.S_IWUGO : IpcUtil.S_IRUGO)) {
                return -Errno.EACCES;
            }
        }
        if (cmd == dev.kava.abi.Sem.GETALL) {
            byte[] b = new byte[nsems * 2];
            synchronized (sma) {
                if (sma.deleted) return -Errno.EIDRM;
                for (int i = 0; i < nsems; i++) Uaccess.putShort(b, i * 2, sma.semval[i]);
            }
            t.mem.write(p, b);
            return 0;
        }
        if (cmd == dev.kava.abi.Sem.SETALL) {
            byte[] b = t.mem.read(p, nsems * 2);
            int[] v = new int[nsems];
            for (int i = 0; i < nsems; i++) {
                v[i] = (b[2 * i] & 0xff) | (b[2 * i + 1] & 0xff) << 8;
                if (v[i] > dev.kava.abi.Sem.SEMVMX) return -Errno.ERANGE;
            }
            synchronized (sma) {
                if (sma.deleted) return -Errno.EIDRM;
                for (int i = 0; i < nsems; i++) {
                    sma.semval[i] = v[i];
                    sma.sempid[i] = t.group.tgid;
                }
                for (SemUndoList.Undo un : sma.undos) java.util.Arrays.fill(un.semadj, 0);
                sma.ctime = IpcUtil.now(t);
                updateQueue(sma, t);
            }
            return 0;
        }
        if (semnum < 0 || semnum >= nsems) return -Errno.EINVAL;
        synchronized (sma) {
            if (sma.deleted) return -Errno.EIDRM;
            return switch (cmd) {
                case dev.kava.abi.Sem.GETVAL -> sma.semval[semnum];
                case dev.kava.abi.Sem.GETPID -> sma.sempid[semnum];
                case dev.kava.abi.Sem.GETNCNT -> countWaiters(sma, semnum, false);
                default -> countWaiters(sma, semnum, true);
            };
        }
    }

    /** count_semcnt: sleepers blocked on semnum, waiting for it to grow (ncnt) or to be zero (zcnt). */
    private static int countWaiters(SemArray sma, int semnum, boolean zero) {
        int n = 0;
        for (SemArray.SemQueue q : sma.pending) {
            int i = q.blocking;
            if ((q.num[i] & 0xffff) != semnum) continue;
            if (zero ? q.op[i] == 0 : q.op[i] < 0) n++;
        }
        return n;
    }

    /** semctl_down: IPC_SET and IPC_RMID for the set's owner, creator or CAP_SYS_ADMIN. */
    private static long down(Task t, IpcNamespace ns, int semid, int cmd, IpcUtil.PermSet set) {
        synchronized (ns.semIds) {
            SemArray sma = ns.semIds.check(semid);
            synchronized (sma) {
                IpcUtil.checkOwner(t, sma);
                if (cmd == Ipc.IPC_SET) {
                    IpcUtil.updatePerm(set, sma);
                    sma.ctime = IpcUtil.now(t);
                    return 0;
                }
                freeary(ns, sma);
            }
            return 0;
        }
    }

    /** freeary: undo structures go stale, every sleeper fails with EIDRM, the set leaves the table. */
    private static void freeary(IpcNamespace ns, SemArray sma) {
        for (SemUndoList.Undo un : sma.undos) un.semid = -1;
        sma.undos.clear();
        for (SemArray.SemQueue q : sma.pending) q.status = -Errno.EIDRM;
        sma.pending.clear();
        sma.wq.wakeAll();
        ns.semIds.remove(sma);
        ns.usedSems -= sma.nsems;
    }

    // ---- /proc/sysvipc/sem ----

    public static String procShow(Kernel k) {
        IpcNamespace ns = IpcNamespace.of(k);
        StringBuilder sb = new StringBuilder("       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n");
        for (SemArray s : ns.semIds.all()) {
            synchronized (s) {
                sb.append(String.format("%10d %10d  %4o %10d %5d %5d %5d %5d %10d %10d\n", s.key, s.id, s.mode, s.nsems,
                        Integer.toUnsignedLong(s.uid), Integer.toUnsignedLong(s.gid), Integer.toUnsignedLong(s.cuid),
                        Integer.toUnsignedLong(s.cgid), s.otime, s.ctime));
            }
        }
        return sb.toString();
    }
}
