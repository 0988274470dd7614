package dev.kava.block;

import dev.kava.abi.Errno;
import dev.kava.abi.Ioprio;
import dev.kava.abi.Sched;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.Cred;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * ioprio_set and ioprio_get (block/ioprio.c): a task's I/O priority, by process, process group
 * or user, as getpriority/setpriority select. kava schedules no I/O by it; the value is kept in
 * the task's {@link IoContext} and read back as Linux does.
 */
public final class IoprioSyscalls {
    private IoprioSyscalls() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.IOPRIO_SET, (task, a) -> ioprioSet(task, (int) a[0], (int) a[1], (int) a[2]));
        t.register(SyscallNr.IOPRIO_GET, (task, a) -> ioprioGet(task, (int) a[0], (int) a[1]));
    }

    /** IOPRIO_DEFAULT (include/linux/ioprio.h): class NONE, level 0. */
    static final int IOPRIO_DEFAULT = Ioprio.prioValue(Ioprio.IOPRIO_CLASS_NONE, 0);

    /** CAP_SYS_NICE / CAP_SYS_ADMIN: kava has no capability sets yet, so they are effective uid 0. */
    private static boolean capable(Cred c) {
        return c.euid() == 0;
    }

    /** ioprio_check_cap: the class must be known; RT needs CAP_SYS_ADMIN or CAP_SYS_NICE; NONE takes no level. */
    static int checkCap(Task t, int ioprio) {
        int level = Ioprio.prioLevel(ioprio);
        return switch (Ioprio.prioClass(ioprio)) {
            case Ioprio.IOPRIO_CLASS_RT -> capable(t.group.cred) ? 0 : -Errno.EPERM;
            case Ioprio.IOPRIO_CLASS_BE, Ioprio.IOPRIO_CLASS_IDLE -> 0;
            case Ioprio.IOPRIO_CLASS_NONE -> level != 0 ? -Errno.EINVAL : 0;
            default -> -Errno.EINVAL;
        };
    }

    /** set_task_ioprio: the caller's uid or euid must be the task's uid, or CAP_SYS_NICE. */
    static int setTaskIoprio(Task t, Task p, int ioprio) {
        Cred c = t.group.cred, pc = p.group.cred;
        if (pc.uid() != c.euid() && pc.uid() != c.uid() && !capable(c)) return -Errno.EPERM;
        synchronized (IoContext.class) { // task_lock: one context per task, even with racing setters
            IoContext ioc = p.ioContext;
            if (ioc == null) p.ioContext = new IoContext(ioprio);
            else ioc.setIoprio(ioprio);
        }
        return 0;
    }

    static long ioprioSet(Task t, int which, int who, int ioprio) {
        int ret = checkCap(t, ioprio);
        if (ret != 0) return ret;
        ret = -Errno.ESRCH;
        switch (which) {
            case Ioprio.IOPRIO_WHO_PROCESS -> {
                Task p = who == 0 ? t : t.kernel.findTask(who);
                if (p != null) ret = setTaskIoprio(t, p, ioprio);
            }
            case Ioprio.IOPRIO_WHO_PGRP -> {
                for (Task p : pgrpThreads(t, who)) {
                    ret = setTaskIoprio(t, p, ioprio);
                    if (ret != 0) break;
                }
            }
            case Ioprio.IOPRIO_WHO_USER -> {
                // uid_valid: (uid_t)-1 names no user. Note: who 0 is uid 0 here (not the
                // caller's user, as in ioprio_get): Linux compares with make_kuid(who).
                if (who == -1) break;
                for (Task p : userThreads(t, who)) {
                    ret = setTaskIoprio(t, p, ioprio);
                    if (ret != 0) break;
                }
            }
            default -> ret = -Errno.EINVAL;
        }
        return ret;
    }

    /** get_task_raw_ioprio: the value as set, IOPRIO_DEFAULT without a context (IOPRIO_WHO_PROCESS). */
    static int rawIoprio(Task p) {
        IoContext ioc = p.ioContext;
        return ioc != null ? ioc.ioprio() : IOPRIO_DEFAULT;
    }

    /**
     * __get_task_ioprio: a context of class NONE takes its class from the scheduling policy
     * (SCHED_IDLE: IDLE; real-time: RT; else BE) and its level from the nice value, (nice + 20) / 5.
     */
    static int effectiveIoprio(Task p) {
        IoContext ioc = p.ioContext;
        if (ioc == null) return IOPRIO_DEFAULT;
        int prio = ioc.ioprio();
        if (Ioprio.prioClass(prio) == Ioprio.IOPRIO_CLASS_NONE) {
            int policy = p.schedPolicy;
            int cls = policy == Sched.SCHED_IDLE ? Ioprio.IOPRIO_CLASS_IDLE
                    : policy == Sched.SCHED_FIFO || policy == Sched.SCHED_RR ? Ioprio.IOPRIO_CLASS_RT
                    : Ioprio.IOPRIO_CLASS_BE;
            prio = Ioprio.prioValue(cls, (p.nice + 20) / 5);
        }
        return prio;
    }

    static long ioprioGet(Task t, int which, int who) {
        int ret = -Errno.ESRCH;
        switch (which) {
            case Ioprio.IOPRIO_WHO_PROCESS -> {
                Task p = who == 0 ? t : t.kernel.findTask(who);
                if (p != null) ret = rawIoprio(p);
            }
            case Ioprio.IOPRIO_WHO_PGRP -> {
                for (Task p : pgrpThreads(t, who)) ret = best(ret, effectiveIoprio(p));
            }
            case Ioprio.IOPRIO_WHO_USER -> {
                int uid = who == 0 ? t.group.cred.uid() : who;
                for (Task p : userThreads(t, uid)) ret = best(ret, effectiveIoprio(p));
            }
            default -> ret = -Errno.EINVAL;
        }
        return ret;
    }

    /** ioprio_best: the lower value wins; the first value replaces -ESRCH. */
    private static int best(int sofar, int prio) {
        return sofar == -Errno.ESRCH ? prio : Math.min(sofar, prio);
    }

    /** do_each_pid_thread(PIDTYPE_PGID): every thread of every process in the group (0: the caller's). */
    private static List<Task> pgrpThreads(Task t, int who) {
        List<Task> out = new ArrayList<>();
        int pgid = who == 0 ? t.group.pgid : who;
        for (TaskGroup g : t.kernel.groupsInPgid(pgid)) out.addAll(g.threadsSnapshot());
        return out;
    }

    /** for_each_process_thread with task_uid(p) == uid. */
    private static List<Task> userThreads(Task t, int uid) {
        List<Task> out = new ArrayList<>();
        for (TaskGroup g : t.kernel.allGroups()) if (g.cred.uid() == uid) out.addAll(g.threadsSnapshot());
        return out;
    }
}
