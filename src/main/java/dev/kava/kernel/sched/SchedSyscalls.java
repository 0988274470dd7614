package dev.kava.kernel.sched;

import dev.kava.abi.Errno;
import dev.kava.abi.Resource;
import dev.kava.abi.Sched;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.Cred;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * sched_yield, the policy and affinity calls (kernel/sched/syscalls.c), getcpu, and the nice
 * values of getpriority/setpriority (kernel/sys.c). kava's one policy is SCHED_OTHER (also
 * answering for SCHED_BATCH and SCHED_IDLE); real-time policies need privileges kava's
 * scheduler does not grant (EPERM, as for an unprivileged user).
 */
public final class SchedSyscalls {
    private SchedSyscalls() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.SCHED_YIELD, (task, a) -> {
            task.kernel.scheduler().yield(task);
            return 0;
        });
        t.register(SyscallNr.SCHED_GETAFFINITY, (task, a) -> getaffinity(task, (int) a[0], a[1], a[2]));
        t.register(SyscallNr.SCHED_SETAFFINITY, (task, a) -> setaffinity(task, (int) a[0], a[1], a[2]));
        t.register(SyscallNr.GETCPU, (task, a) -> getcpu(task, a[0], a[1]));
        t.register(SyscallNr.SCHED_GETSCHEDULER, (task, a) -> getscheduler(task, (int) a[0]));
        t.register(SyscallNr.SCHED_GETPARAM, (task, a) -> getparam(task, (int) a[0], a[1]));
        t.register(SyscallNr.SCHED_SETSCHEDULER, (task, a) -> setscheduler(task, (int) a[0], (int) a[1], a[2], false));
        t.register(SyscallNr.SCHED_SETPARAM, (task, a) -> setscheduler(task, (int) a[0], -1, a[1], true));
        t.register(SyscallNr.SCHED_GET_PRIORITY_MAX, (task, a) -> priorityLimit((int) a[0], true));
        t.register(SyscallNr.SCHED_GET_PRIORITY_MIN, (task, a) -> priorityLimit((int) a[0], false));
        t.register(SyscallNr.SCHED_RR_GET_INTERVAL, (task, a) -> rrGetInterval(task, (int) a[0], a[1]));
        t.register(SyscallNr.GETPRIORITY, (task, a) -> getpriority(task, (int) a[0], (int) a[1]));
        t.register(SyscallNr.SETPRIORITY, (task, a) -> setpriority(task, (int) a[0], (int) a[1], (int) a[2]));
    }

    /** sizeof(cpumask) as the syscalls copy it: one long for up to 64 CPUs. */
    private static final int CPUMASK_SIZE = 8;

    private static Task find(Task t, int pid) {
        return pid == 0 ? t : t.kernel.findTask(pid);
    }

    static long getaffinity(Task t, int pid, long len, long mask) {
        if (len * 8 < t.kernel.cpus()) return -Errno.EINVAL;
        if ((len & 7) != 0) return -Errno.EINVAL;
        Task p = find(t, pid);
        if (p == null) return -Errno.ESRCH;
        int ret = (int) Math.min(len, CPUMASK_SIZE);
        byte[] b = new byte[CPUMASK_SIZE];
        dev.kava.kernel.Uaccess.putLong(b, 0, p.affinity & t.kernel.cpuMask());
        t.mem.write(mask, b, 0, ret);
        return ret;
    }

    static long setaffinity(Task t, int pid, long len, long mask) {
        byte[] b = new byte[CPUMASK_SIZE];
        t.mem.read(mask, b, 0, (int) Math.min(Math.max(len, 0), CPUMASK_SIZE));
        long m = dev.kava.kernel.Uaccess.getLong(b, 0);
        Task p = find(t, pid);
        if (p == null) return -Errno.ESRCH;
        if (!mayChange(t, p)) return -Errno.EPERM;
        if ((m & t.kernel.cpuMask()) == 0) return -Errno.EINVAL;
        // Recorded and reported; kava's scheduler runs a task on any free vCPU.
        p.affinity = m & t.kernel.cpuMask();
        return 0;
    }

    static long getcpu(Task t, long cpup, long nodep) {
        if (cpup != 0) t.mem.write32(cpup, t.se.lastCpu());
        if (nodep != 0) t.mem.write32(nodep, 0);
        return 0;
    }

    static long getscheduler(Task t, int pid) {
        if (pid < 0) return -Errno.EINVAL;
        Task p = find(t, pid);
        if (p == null) return -Errno.ESRCH;
        return p.schedPolicy | (p.schedResetOnFork ? Sched.SCHED_RESET_ON_FORK : 0);
    }

    static long getparam(Task t, int pid, long param) {
        if (param == 0 || pid < 0) return -Errno.EINVAL;
        Task p = find(t, pid);
        if (p == null) return -Errno.ESRCH;
        t.mem.write32(param, 0);
        return 0;
    }

    /**
     * sched_fork's policy part: a child keeps its creator's policy and nice value, unless
     * SCHED_RESET_ON_FORK was set: then a real-time or deadline policy becomes SCHED_NORMAL,
     * a negative nice value becomes 0, and the child does not carry the flag on.
     */
    public static void fork(Task parent, Task child) {
        int policy = parent.schedPolicy;
        int nice = parent.nice;
        if (parent.schedResetOnFork) {
            if (policy == Sched.SCHED_FIFO || policy == Sched.SCHED_RR || policy == Sched.SCHED_DEADLINE) {
                policy = Sched.SCHED_NORMAL;
                nice = 0;
            } else if (nice < 0) {
                nice = 0;
            }
        }
        child.schedPolicy = policy;
        child.nice = nice;
        child.schedResetOnFork = false;
    }

    /** sched_setscheduler / sched_setparam (policy -1: keep it). */
    static long setscheduler(Task t, int pid, int policy, long param, boolean keepPolicy) {
        if (param == 0 || pid < 0) return -Errno.EINVAL;
        int prio = t.mem.read32(param);
        Task p = find(t, pid);
        if (p == null) return -Errno.ESRCH;
        // sched_setparam keeps the policy and its reset-on-fork flag; sched_setscheduler sets both.
        int pol = keepPolicy ? p.schedPolicy : policy & ~Sched.SCHED_RESET_ON_FORK;
        boolean resetOnFork = keepPolicy ? p.schedResetOnFork : (policy & Sched.SCHED_RESET_ON_FORK) != 0;
        boolean rt = pol == Sched.SCHED_FIFO || pol == Sched.SCHED_RR;
        if (!rt && pol != Sched.SCHED_NORMAL && pol != Sched.SCHED_BATCH && pol != Sched.SCHED_IDLE
                && pol != Sched.SCHED_DEADLINE) {
            return -Errno.EINVAL;
        }
        if (rt ? prio < 1 || prio > 99 : prio != 0) return -Errno.EINVAL;
        if (rt || pol == Sched.SCHED_DEADLINE) {
            t.kernel.log().once("sched-rt", t.describe() + ": real-time scheduling policies are not granted: -EPERM");
            return -Errno.EPERM;
        }
        if (!mayChange(t, p)) return -Errno.EPERM;
        // user_check_sched_setscheduler: normal users shall not clear the reset-on-fork flag.
        if (p.schedResetOnFork && !resetOnFork && t.group.cred.euid() != 0) return -Errno.EPERM;
        p.schedPolicy = pol;
        p.schedResetOnFork = resetOnFork;
        return 0;
    }

    /** CONFIG_HZ: the time slice is reported in whole jiffies (250 a second, as Debian's riscv64 kernels). */
    private static final long HZ = 250;

    /**
     * sched_rr_get_interval: every kava policy is in the fair class, whose get_rr_interval_fair
     * reports the task's slice, sysctl_sched_base_slice (0.75 ms times 1 + ilog2 of the CPUs, at
     * most 8), rounded down to jiffies: with HZ=250 that is always 0, as on Linux.
     */
    static long rrGetInterval(Task t, int pid, long interval) {
        if (pid < 0) return -Errno.EINVAL;
        Task p = find(t, pid);
        if (p == null) return -Errno.ESRCH;
        int cpus = Math.min(t.kernel.cpus(), 8);
        long sliceNs = 750_000L * (1 + (31 - Integer.numberOfLeadingZeros(cpus)));
        long jiffies = sliceNs * HZ / 1_000_000_000L;
        long ns = jiffies * (1_000_000_000L / HZ);
        byte[] ts = new byte[16];
        dev.kava.kernel.Uaccess.putLong(ts, 0, ns / 1_000_000_000L);
        dev.kava.kernel.Uaccess.putLong(ts, 8, ns % 1_000_000_000L);
        t.mem.write(interval, ts);
        return 0;
    }

    static long priorityLimit(int policy, boolean max) {
        return switch (policy) {
            case Sched.SCHED_FIFO, Sched.SCHED_RR -> max ? 99 : 1;
            case Sched.SCHED_NORMAL, Sched.SCHED_BATCH, Sched.SCHED_IDLE, Sched.SCHED_DEADLINE, Sched.SCHED_EXT -> 0;
            default -> -Errno.EINVAL;
        };
    }

    /** check_same_owner: the caller owns p, or is root. */
    private static boolean mayChange(Task t, Task p) {
        Cred c = t.group.cred, pc = p.group.cred;
        return c.euid() == 0 || c.euid() == pc.uid() || c.euid() == pc.euid();
    }

    /** The tasks a PRIO_* selector names, or null for a bad which. */
    private static List<Task> select(Task t, int which, int who) {
        List<Task> out = new ArrayList<>();
        switch (which) {
            case Sched.PRIO_PROCESS -> {
                Task p = find(t, who);
                if (p != null) out.add(p);
            }
            case Sched.PRIO_PGRP -> {
                int pgid = who == 0 ? t.group.pgid : who;
                for (TaskGroup g : t.kernel.groupsInPgid(pgid)) out.addAll(g.threadsSnapshot());
            }
            case Sched.PRIO_USER -> {
                int uid = who == 0 ? t.group.cred.uid() : who;
                for (TaskGroup g : t.kernel.allGroups()) if (g.cred.uid() == uid) out.addAll(g.threadsSnapshot());
            }
            default -> {
                return null;
            }
        }
        return out;
    }

    static long getpriority(Task t, int which, int who) {
        List<Task> ts = select(t, which, who);
        if (ts == null) return -Errno.EINVAL;
        long best = -Errno.ESRCH;
        for (Task p : ts) best = Math.max(best, 20 - p.nice);
        return best;
    }

    static long setpriority(Task t, int which, int who, int niceval) {
        if (which < Sched.PRIO_PROCESS || which > Sched.PRIO_USER) return -Errno.EINVAL;
        niceval = Math.max(-20, Math.min(19, niceval));
        List<Task> ts = select(t, which, who);
        if (ts == null) return -Errno.EINVAL;
        if (ts.isEmpty()) return -Errno.ESRCH;
        long err = 0;
        for (Task p : ts) {
            Cred c = t.group.cred, pc = p.group.cred;
            if (pc.uid() != c.euid() && pc.euid() != c.euid() && c.euid() != 0) {
                err = -Errno.EPERM;
                continue;
            }
            // can_nice: lowering the nice value needs RLIMIT_NICE room or CAP_SYS_NICE.
            long rlim = t.group.rlimits.cur(Resource.RLIMIT_NICE);
            if (niceval < p.nice && c.euid() != 0 && 20 - niceval > rlim) {
                err = -Errno.EACCES;
                continue;
            }
            p.nice = niceval;
        }
        return err;
    }
}
