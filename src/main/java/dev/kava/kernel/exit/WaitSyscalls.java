package dev.kava.kernel.exit;

import dev.kava.abi.Errno;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.abi.Wait;
import dev.kava.kernel.ExitStatus;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.Uaccess;

import java.util.ArrayList;
import java.util.List;

/** wait4 and waitid (kernel/exit.c do_wait), getrusage and times (kernel/sys.c). */
public final class WaitSyscalls {
    private WaitSyscalls() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.WAIT4, (task, a) -> wait4(task, (int) a[0], a[1], (int) a[2], a[3]));
        t.register(SyscallNr.WAITID, (task, a) -> waitid(task, (int) a[0], (int) a[1], a[2], (int) a[3], a[4]));
        t.register(SyscallNr.GETRUSAGE, (task, a) -> getrusage(task, (int) a[0], a[1]));
        t.register(SyscallNr.TIMES, (task, a) -> times(task, a[0]));
    }

    /** What do_wait found: a child's pid, wait status, siginfo code and status, and CPU time. */
    record Report(int pid, int uid, int waitStatus, int code, int status, long cpuNanos) {}

    /** The wait_opts of one call. */
    record Opts(int type, int id, int options) {}

    static long wait4(Task t, int upid, long statAddr, int options, long ru) {
        if ((options & ~(Wait.WNOHANG | Wait.WUNTRACED | Wait.WCONTINUED | Wait.__WNOTHREAD | Wait.__WCLONE | Wait.__WALL)) != 0) {
            return -Errno.EINVAL;
        }
        // -INT_MIN is not defined
        if (upid == Integer.MIN_VALUE) return -Errno.ESRCH;
        int type, id = 0;
        if (upid == -1) {
            type = Wait.P_ALL;
        } else if (upid < 0) {
            type = Wait.P_PGID;
            id = -upid;
        } else if (upid == 0) {
            type = Wait.P_PGID;
            id = t.group.pgid;
        } else {
            type = Wait.P_PID;
            id = upid;
        }
        Object r = doWait(t, new Opts(type, id, options | Wait.WEXITED));
        if (r instanceof Long err) return err;
        Report rep = (Report) r;
        if (rep == null) return 0;
        if (statAddr != 0) t.mem.write32(statAddr, rep.waitStatus);
        if (ru != 0) t.mem.write(ru, rusage(rep.cpuNanos));
        return rep.pid;
    }

    /**
     * waitid: what kernel_waitid found is written to *infop whether it succeeded or not (all
     * zero when there is no child to report, or on an error), and *ru only for a child.
     */
    static long waitid(Task t, int which, int upid, long infop, int options, long ru) {
        Object r;
        try {
            r = kernelWaitid(t, which, upid, options);
        } catch (dev.kava.kernel.ErrnoException e) {
            r = (long) -e.errno;
        }
        Report rep = r instanceof Report x ? x : null;
        long ret = r instanceof Long err ? err : 0;
        if (ru != 0 && rep != null) t.mem.write(ru, rusage(rep.cpuNanos));
        if (infop != 0) {
            // si_signo, si_errno, si_code, si_pid, si_uid, si_status: each put_user'd; the rest untouched.
            t.mem.write32(infop, rep == null ? 0 : Signal.SIGCHLD);
            t.mem.write32(infop + 4, 0);
            t.mem.write32(infop + 8, rep == null ? 0 : rep.code);
            t.mem.write32(infop + 16, rep == null ? 0 : rep.pid);
            t.mem.write32(infop + 20, rep == null ? 0 : rep.uid);
            t.mem.write32(infop + 24, rep == null ? 0 : rep.status);
        }
        return ret;
    }

    /** kernel_waitid: a Report, null (WNOHANG and nothing to report), or an error as a Long. */
    private static Object kernelWaitid(Task t, int which, int upid, int options) {
        if ((options & ~(Wait.WNOHANG | Wait.WNOWAIT | Wait.WEXITED | Wait.WSTOPPED | Wait.WCONTINUED
                | Wait.__WNOTHREAD | Wait.__WCLONE | Wait.__WALL)) != 0) {
            return (long) -Errno.EINVAL;
        }
        if ((options & (Wait.WEXITED | Wait.WSTOPPED | Wait.WCONTINUED)) == 0) return (long) -Errno.EINVAL;
        int type, id = 0;
        boolean pidfdNonblock = false;
        switch (which) {
            case Wait.P_ALL -> type = Wait.P_ALL;
            case Wait.P_PID -> {
                type = Wait.P_PID;
                if (upid <= 0) return (long) -Errno.EINVAL;
                id = upid;
            }
            case Wait.P_PGID -> {
                type = Wait.P_PGID;
                if (upid < 0) return (long) -Errno.EINVAL;
                id = upid == 0 ? t.group.pgid : upid;
            }
            case Wait.P_PIDFD -> {
                // pidfd_get_pid: the pidfd's process; a PIDFD_NONBLOCK pidfd makes the wait WNOHANG.
                if (upid < 0) return (long) -Errno.EINVAL;
                dev.kava.fs.PidFd p = dev.kava.kernel.PidSyscalls.pidfdGet(t, upid);
                type = Wait.P_PID;
                id = p.pid();
                pidfdNonblock = (p.flags() & dev.kava.abi.Pidfd.PIDFD_NONBLOCK) != 0;
            }
            default -> {
                return (long) -Errno.EINVAL;
            }
        }
        Object r = doWait(t, new Opts(type, id, pidfdNonblock ? options | Wait.WNOHANG : options));
        // Nothing to report through a PIDFD_NONBLOCK pidfd, and the caller did not ask WNOHANG.
        if (r == null && pidfdNonblock && (options & Wait.WNOHANG) == 0) return (long) -Errno.EAGAIN;
        return r;
    }

    /** Whether a child is one this wait is for (eligible_pid, eligible_child). */
    private static boolean eligible(TaskGroup c, Opts o) {
        if (o.type == Wait.P_PID && c.tgid != o.id) return false;
        if (o.type == Wait.P_PGID && c.pgid != o.id) return false;
        if ((o.options & Wait.__WALL) != 0) return true;
        // A "clone" child reports to its parent with a signal other than SIGCHLD.
        boolean cloneChild = c.exitSignal != Signal.SIGCHLD;
        return cloneChild == ((o.options & Wait.__WCLONE) != 0);
    }

    /**
     * do_wait: a Report, null (WNOHANG and nothing to report), or an error as a Long. Sleeps on
     * the group's child wait queue until a child changes state.
     */
    static Object doWait(Task t, Opts o) {
        Kernel k = t.kernel;
        TaskGroup g = t.group;
        while (true) {
            Object r;
            synchronized (k.tasklist) {
                r = scan(k, g, o);
            }
            if (r != null) return r;
            if ((o.options & Wait.WNOHANG) != 0) return null;
            int rc = t.waitEvent(g.childWait, () -> {
                synchronized (k.tasklist) {
                    return ready(k, g, o);
                }
            }, Long.MAX_VALUE);
            if (rc != 0) return (long) -Errno.ERESTARTSYS;
        }
    }

    /** Whether scan would return something now (without reaping). */
    private static boolean ready(Kernel k, TaskGroup g, Opts o) {
        boolean any = false;
        for (TaskGroup c : k.childrenOf(g)) {
            if (!eligible(c, o)) continue;
            any = true;
            if (c.zombie && (o.options & Wait.WEXITED) != 0) return true;
            if (stopReport(c) != 0 && (o.options & Wait.WSTOPPED) != 0) return true;
            if (continueReport(c) && (o.options & Wait.WCONTINUED) != 0) return true;
        }
        return !any;
    }

    /** One pass over the children under the tasklist lock: a Report, ECHILD, or null (nothing yet). */
    private static Object scan(Kernel k, TaskGroup g, Opts o) {
        boolean any = false;
        boolean nowait = (o.options & Wait.WNOWAIT) != 0;
        for (TaskGroup c : new ArrayList<>(k.childrenOf(g))) {
            if (!eligible(c, o)) continue;
            any = true;
            if (c.zombie && (o.options & Wait.WEXITED) != 0) {
                ExitStatus st = c.exitStatus();
                int code = st.signal() == 0 ? Wait.CLD_EXITED : st.coreDumped() ? Wait.CLD_DUMPED : Wait.CLD_KILLED;
                int status = st.signal() == 0 ? st.code() : st.signal();
                Report rep = new Report(c.tgid, c.cred.uid(), st.waitStatus(), code, status, c.cpuNanos() + c.childrenCpuNanos());
                if (!nowait) k.releaseGroup(c);
                return rep;
            }
            int stop = stopReport(c);
            if (stop != 0 && (o.options & Wait.WSTOPPED) != 0) {
                if (!nowait) clearStopReport(c);
                return new Report(c.tgid, c.cred.uid(), (stop << 8) | 0x7f, Wait.CLD_STOPPED, stop, c.cpuNanos());
            }
            if (continueReport(c) && (o.options & Wait.WCONTINUED) != 0) {
                if (!nowait) clearContinueReport(c);
                return new Report(c.tgid, c.cred.uid(), 0xffff, Wait.CLD_CONTINUED, Signal.SIGCONT, c.cpuNanos());
            }
        }
        return any ? null : (Object) (long) -Errno.ECHILD;
    }

    private static int stopReport(TaskGroup c) {
        return JobControl.stopReport(c);
    }

    private static boolean continueReport(TaskGroup c) {
        return JobControl.continueReport(c);
    }

    private static void clearStopReport(TaskGroup c) {
        JobControl.clearStopReport(c);
    }

    private static void clearContinueReport(TaskGroup c) {
        JobControl.clearContinueReport(c);
    }

    /** struct rusage with ru_utime from CPU time in ns (stime 0, the other fields 0). */
    static byte[] rusage(long ns) {
        byte[] b = new byte[Wait.RUSAGE_SIZE];
        Uaccess.putLong(b, 0, ns / 1_000_000_000L);
        Uaccess.putLong(b, 8, (ns % 1_000_000_000L) / 1000);
        return b;
    }

    /** getrusage (kernel/sys.c): RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD. */
    static long getrusage(Task t, int who, long ru) {
        long ns;
        switch (who) {
            case Wait.RUSAGE_SELF -> ns = t.group.cpuNanos();
            case Wait.RUSAGE_CHILDREN -> ns = t.group.childrenCpuNanos();
            case Wait.RUSAGE_THREAD -> ns = t.instructionsRetired();
            default -> {
                return -Errno.EINVAL;
            }
        }
        t.mem.write(ru, rusage(ns));
        return 0;
    }

    /** times (kernel/sys.c): struct tms in clock ticks (USER_HZ 100), returns jiffies since boot. */
    static long times(Task t, long tbuf) {
        if (tbuf != 0) {
            byte[] b = new byte[32];
            Uaccess.putLong(b, 0, t.group.cpuNanos() / 10_000_000L);
            Uaccess.putLong(b, 16, t.group.childrenCpuNanos() / 10_000_000L);
            t.mem.write(tbuf, b);
        }
        // clock_t of jiffies since boot, INITIAL_JIFFIES (-300 s) included, as Linux reports it.
        return t.kernel.clock().monotonicNanos() / 10_000_000L - 30_000L;
    }

    static List<TaskGroup> none() {
        return List.of();
    }
}
