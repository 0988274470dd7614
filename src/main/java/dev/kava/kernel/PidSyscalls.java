package dev.kava.kernel;

import dev.kava.abi.Errno;
import dev.kava.abi.Pidfd;
import dev.kava.abi.Resource;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.File;
import dev.kava.fs.PidFd;

/** pidfd_open and pidfd_getfd (kernel/pid.c), and the pidfd lookups other calls share. */
public final class PidSyscalls {
    private PidSyscalls() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.PIDFD_OPEN, (task, a) -> pidfdOpen(task, (int) a[0], (int) a[1]));
        t.register(SyscallNr.PIDFD_GETFD, (task, a) -> pidfdGetfd(task, (int) a[0], (int) a[1], (int) a[2]));
    }

    /**
     * pidfd_open: a pidfd for a process (pid must be a thread-group leader's, zombies
     * included), or for any thread with PIDFD_THREAD. Always close-on-exec.
     */
    static long pidfdOpen(Task t, int pid, int flags) {
        if ((flags & ~(Pidfd.PIDFD_NONBLOCK | Pidfd.PIDFD_THREAD)) != 0) return -Errno.EINVAL;
        if (pid <= 0) return -Errno.EINVAL;
        Kernel k = t.kernel;
        PidFd f;
        if ((flags & Pidfd.PIDFD_THREAD) != 0) {
            Task th = k.findTask(pid);
            TaskGroup g = k.findGroup(pid);
            if (th != null) {
                f = new PidFd(th.group, th, flags);
            } else {
                // A zombie process keeps its leader's pid until reaped: the pidfd stands for the process.
                if (g == null || g.reaped) return -Errno.ESRCH;
                f = new PidFd(g, null, flags);
            }
        } else {
            TaskGroup g = k.findGroup(pid);
            // pidfd_prepare: a thread that is not a thread-group leader is ENOENT.
            if (g == null || g.reaped) return k.findTask(pid) != null ? -Errno.ENOENT : -Errno.ESRCH;
            f = new PidFd(g, null, flags);
        }
        return pidfdInstall(t, f);
    }

    private static long pidfdInstall(Task t, PidFd f) {
        return t.group.files.install(f, true, 0, t.group.rlimits.cur(Resource.RLIMIT_NOFILE));
    }

    /** pidfd_pid: the pidfd at fd; EBADF when fd is not open or not a pidfd. */
    public static PidFd pidfdGet(Task t, int fd) {
        File f = t.group.files.get(fd);
        if (!(f instanceof PidFd p)) throw ErrnoException.of(Errno.EBADF);
        return p;
    }

    /**
     * pidfd_getfd: a duplicate of another process's descriptor, close-on-exec, if the caller
     * may attach to it (PTRACE_MODE_ATTACH_REALCREDS). ESRCH once the process is exiting (its
     * files are gone) or reaped; EBADF when it has no such descriptor.
     */
    static long pidfdGetfd(Task t, int pidfd, int fd, int flags) {
        if (flags != 0) return -Errno.EINVAL;
        PidFd p = pidfdGet(t, pidfd);
        if (!p.alive()) return -Errno.ESRCH;
        TaskGroup g = p.group;
        if (!Ptrace.mayAttachRealCreds(t, g)) return -Errno.EPERM;
        File f = g.zombie ? null : g.files.get(fd);
        if (f == null) return g.exiting() ? -Errno.ESRCH : -Errno.EBADF;
        return t.group.files.install(f, true, 0, t.group.rlimits.cur(Resource.RLIMIT_NOFILE));
    }
}
