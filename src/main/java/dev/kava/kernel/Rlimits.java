package dev.kava.kernel;

import dev.kava.abi.Errno;
import dev.kava.abi.Resource;
import dev.kava.fs.FdTable;

/**
 * A process's resource limits (signal_struct->rlim). Defaults are Linux's INIT_RLIMITS
 * (include/asm-generic/resource.h) for a machine of the kernel's memory size. Also the
 * prlimit64/getrlimit/setrlimit logic (kernel/sys.c do_prlimit) and the checks other
 * subsystems make against the limits.
 */
public final class Rlimits {
    private static final long INF = Resource.RLIM_INFINITY;

    private final long[] cur = new long[Resource.RLIM_NLIMITS];
    private final long[] max = new long[Resource.RLIM_NLIMITS];

    /** @param maxThreads the kernel's max_threads; NPROC and SIGPENDING default to half of it, as fork_init() sets */
    public Rlimits(long maxThreads) {
        for (int i = 0; i < Resource.RLIM_NLIMITS; i++) set(i, INF, INF);
        set(Resource.RLIMIT_STACK, 8L << 20, INF);               // _STK_LIM
        set(Resource.RLIMIT_CORE, 0, INF);
        set(Resource.RLIMIT_NPROC, maxThreads / 2, maxThreads / 2);
        set(Resource.RLIMIT_NOFILE, 1024, 4096);                   // INR_OPEN_CUR, INR_OPEN_MAX
        set(Resource.RLIMIT_MEMLOCK, 8L << 20, 8L << 20);          // MLOCK_LIMIT
        set(Resource.RLIMIT_SIGPENDING, maxThreads / 2, maxThreads / 2);
        set(Resource.RLIMIT_MSGQUEUE, 819200, 819200);             // MQ_BYTES_MAX
        set(Resource.RLIMIT_NICE, 0, 0);
        set(Resource.RLIMIT_RTPRIO, 0, 0);
    }

    private Rlimits(Rlimits o) {
        synchronized (o) {
            System.arraycopy(o.cur, 0, cur, 0, cur.length);
            System.arraycopy(o.max, 0, max, 0, max.length);
        }
    }

    /** A copy for a new process (fork copies signal->rlim). */
    public Rlimits copy() {
        return new Rlimits(this);
    }

    public synchronized long cur(int resource) {
        return cur[resource];
    }

    public synchronized long max(int resource) {
        return max[resource];
    }

    public synchronized void set(int resource, long soft, long hard) {
        cur[resource] = soft;
        max[resource] = hard;
    }

    // ---- checks for other subsystems ----

    /** CAP_SYS_RESOURCE: kava has no capability sets yet, so it is effective uid 0. */
    public static boolean capSysResource(Cred c) {
        return c.euid() == 0;
    }

    /**
     * copy_process's RLIMIT_NPROC check, for fork/clone: -EAGAIN when the user already has
     * RLIMIT_NPROC or more tasks, unless it is root (INIT_USER, CAP_SYS_RESOURCE/CAP_SYS_ADMIN).
     *
     * @param tasksOfUser how many tasks (threads included) the parent's real uid owns now
     */
    public static int checkNproc(Task parent, long tasksOfUser) {
        Cred c = parent.group.cred;
        long limit = parent.group.rlimits.cur(Resource.RLIMIT_NPROC);
        if (Long.compareUnsigned(tasksOfUser, limit) >= 0 && c.uid() != 0 && !capSysResource(c)) return -Errno.EAGAIN;
        return 0;
    }

    /** RLIMIT_NOFILE as the fd table's limit (rlimit(RLIMIT_NOFILE) in alloc_fd/ksys_dup3). */
    public static long nofile(Task t) {
        return t.group.rlimits.cur(Resource.RLIMIT_NOFILE);
    }

    /** RLIMIT_STACK as exec's stack size: the soft limit, at least a page (setup_arg_pages/mmap_base). */
    public static long stackSize(Task t) {
        long s = t.group.rlimits.cur(Resource.RLIMIT_STACK);
        return Long.compareUnsigned(s, 4096) < 0 ? 4096 : s;
    }

    /** RLIMIT_CORE: the most bytes a core dump may have (0: no core dump, so "core dumped" is never reported). */
    public static long coreLimit(Task t) {
        return t.group.rlimits.cur(Resource.RLIMIT_CORE);
    }

    // ---- prlimit64, getrlimit, setrlimit (kernel/sys.c) ----

    /** SYSCALL_DEFINE4(prlimit64): new limits read first, then the target and its permission, then do_prlimit. */
    public static long prlimit64(Task t, int pid, int resource, long newAddr, long oldAddr) {
        long newCur = 0, newMax = 0;
        if (newAddr != 0) {
            byte[] b = t.mem.read(newAddr, 16);
            newCur = Uaccess.getLong(b, 0);
            newMax = Uaccess.getLong(b, 8);
        }
        Task target = pid == 0 ? t : t.kernel.findTask(pid);
        if (target == null) return -Errno.ESRCH;
        if (!prlimitPermitted(t, target)) return -Errno.EPERM;
        long[] old = new long[2];
        long r = doPrlimit(t, target.group, resource, newAddr != 0, newCur, newMax, old);
        if (r != 0) return r;
        if (oldAddr != 0) {
            byte[] b = new byte[16];
            Uaccess.putLong(b, 0, old[0]);
            Uaccess.putLong(b, 8, old[1]);
            t.mem.write(oldAddr, b);
        }
        return 0;
    }

    /** getrlimit: do_prlimit on the caller, then copy out. */
    public static long getrlimit(Task t, int resource, long addr) {
        long[] old = new long[2];
        long r = doPrlimit(t, t.group, resource, false, 0, 0, old);
        if (r != 0) return r;
        byte[] b = new byte[16];
        Uaccess.putLong(b, 0, old[0]);
        Uaccess.putLong(b, 8, old[1]);
        t.mem.write(addr, b);
        return 0;
    }

    /** setrlimit: copy in, then do_prlimit on the caller. */
    public static long setrlimit(Task t, int resource, long addr) {
        byte[] b = t.mem.read(addr, 16);
        return doPrlimit(t, t.group, resource, true, Uaccess.getLong(b, 0), Uaccess.getLong(b, 8), null);
    }

    /** check_prlimit_permission: the same thread group, matching ids, or CAP_SYS_RESOURCE. */
    static boolean prlimitPermitted(Task t, Task target) {
        if (target.group == t.group) return true;
        Cred c = t.group.cred, tc = target.group.cred;
        if (c.uid() == tc.euid() && c.uid() == tc.suid() && c.uid() == tc.uid()
                && c.gid() == tc.egid() && c.gid() == tc.sgid() && c.gid() == tc.gid()) {
            return true;
        }
        return capSysResource(c);
    }

    /** do_prlimit. */
    static long doPrlimit(Task t, TaskGroup g, int resource, boolean set, long newCur, long newMax, long[] old) {
        if (resource < 0 || resource >= Resource.RLIM_NLIMITS) return -Errno.EINVAL;
        if (set) {
            if (Long.compareUnsigned(newCur, newMax) > 0) return -Errno.EINVAL;
            if (resource == Resource.RLIMIT_NOFILE && Long.compareUnsigned(newMax, FdTable.NR_OPEN) > 0) return -Errno.EPERM;
        }
        Rlimits r = g.rlimits;
        synchronized (r) {
            if (set && Long.compareUnsigned(newMax, r.max[resource]) > 0 && !capSysResource(t.group.cred)) {
                return -Errno.EPERM;
            }
            if (old != null) {
                old[0] = r.cur[resource];
                old[1] = r.max[resource];
            }
            if (set) {
                r.cur[resource] = newCur;
                r.max[resource] = newMax;
            }
        }
        return 0;
    }
}
