package dev.kava.kernel;

import dev.kava.abi.Errno;
import dev.kava.abi.Sched;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.File;
import dev.kava.fs.NsFs;
import dev.kava.fs.PidFd;

/**
 * setns(2) (kernel/nsproxy.c): the calling task joins a namespace named by a /proc/PID/ns file,
 * or the namespaces of the process a pidfd refers to. Only UTS namespaces can be joined: kava
 * has a single namespace of every other kind, and joining one of those (which in Linux also
 * resets the root, the credentials, ...) is ENOSYS.
 */
public final class Setns {
    private Setns() {}

    /** check_setns_flags: the namespace types a pidfd may name. */
    private static final int PIDFD_FLAGS = (int) (Sched.CLONE_NEWNS | Sched.CLONE_NEWUTS | Sched.CLONE_NEWIPC
            | Sched.CLONE_NEWNET | Sched.CLONE_NEWTIME | Sched.CLONE_NEWUSER | Sched.CLONE_NEWPID | Sched.CLONE_NEWCGROUP);

    public static void register(SyscallTable t) {
        t.register(SyscallNr.SETNS, (task, a) -> setns(task, (int) a[0], (int) a[1]));
    }

    public static long setns(Task t, int fd, int flags) {
        File f = fd < 0 ? null : t.group.files.get(fd);
        if (f == null) return -Errno.EBADF;
        NsFs.Ns ns = NsFs.nsOf(f);
        if (ns != null) {
            if (flags != 0 && ns.type() != flags) return -Errno.EINVAL;
            if (ns.uts() == null) return NsProxy.unsupported(t, "setns", ns.type());
            return install(t, ns.uts());
        }
        if (!(f instanceof PidFd pf)) return -Errno.EINVAL;
        if (flags == 0 || (flags & ~PIDFD_FLAGS) != 0) return -Errno.EINVAL;
        // validate_nsset: the target must still be there and be open to the caller (PTRACE_MODE_READ_REALCREDS).
        Task target = pf.thread != null ? pf.thread : pf.group.leader();
        if (!pf.alive() || target == null) return -Errno.ESRCH;
        if (!Ptrace.mayAttachRealCreds(t, pf.group)) return -Errno.EPERM;
        if ((flags & ~Sched.CLONE_NEWUTS) != 0) return NsProxy.unsupported(t, "setns", flags);
        return install(t, target.nsproxy.uts());
    }

    /** utsns_install, then commit_nsset: CAP_SYS_ADMIN, and a new nsproxy for the caller alone. */
    private static long install(Task t, UtsNamespace uts) {
        if (!NsProxy.capableSysAdmin(t)) return -Errno.EPERM;
        t.nsproxy = new NsProxy(uts);
        return 0;
    }
}
