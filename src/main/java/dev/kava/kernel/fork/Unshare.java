package dev.kava.kernel.fork;

import dev.kava.abi.Errno;
import dev.kava.abi.Sched;
import dev.kava.abi.SyscallNr;
import dev.kava.fs.FdTable;
import dev.kava.fs.FsContext;
import dev.kava.kernel.Kernel;
import dev.kava.kernel.NsProxy;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;

/**
 * unshare(2) (kernel/fork.c ksys_unshare): the calling task stops sharing what clone made it
 * share. The checks run in Linux's order: implied flags, check_unshare_flags (unknown flags,
 * then CLONE_THREAD, CLONE_SIGHAND and CLONE_VM, which need nothing shared to unshare), then
 * unshare_fs, unshare_fd and unshare_nsproxy_namespaces (CAP_SYS_ADMIN), and only then does
 * anything change.
 *
 * <p>kava keeps the descriptor table and fs_struct per process ({@link TaskGroup}), not per
 * thread: in a multithreaded process, where Linux would give the calling thread alone a
 * private copy, unshare(CLONE_FILES) and unshare(CLONE_FS) are ENOSYS. New namespaces other
 * than UTS are ENOSYS too ({@link NsProxy#UNSUPPORTED}).
 */
public final class Unshare {
    private Unshare() {}

    /** The flags check_unshare_flags accepts. */
    static final long UNSHARE_FLAGS = Sched.CLONE_THREAD | Sched.CLONE_FS | Sched.CLONE_NEWNS | Sched.CLONE_SIGHAND
            | Sched.CLONE_VM | Sched.CLONE_FILES | Sched.CLONE_SYSVSEM | Sched.CLONE_NEWUTS | Sched.CLONE_NEWIPC
            | Sched.CLONE_NEWNET | Sched.CLONE_NEWUSER | Sched.CLONE_NEWPID | Sched.CLONE_NEWCGROUP | Sched.CLONE_NEWTIME;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.UNSHARE, (task, a) -> unshare(task, a[0]));
    }

    public static long unshare(Task t, long flags) {
        // Unsharing a user namespace also unshares the thread group and fs; the VM implies the
        // signal handlers, which imply the thread group; a mount namespace implies fs.
        if ((flags & Sched.CLONE_NEWUSER) != 0) flags |= Sched.CLONE_THREAD | Sched.CLONE_FS;
        if ((flags & Sched.CLONE_VM) != 0) flags |= Sched.CLONE_SIGHAND;
        if ((flags & Sched.CLONE_SIGHAND) != 0) flags |= Sched.CLONE_THREAD;
        if ((flags & Sched.CLONE_NEWNS) != 0) flags |= Sched.CLONE_FS;

        TaskGroup g = t.group;
        Kernel k = t.kernel;
        // check_unshare_flags: "not implemented, but pretend it works if there is nothing to unshare".
        if ((flags & ~UNSHARE_FLAGS) != 0) return -Errno.EINVAL;
        boolean singleThreaded = g.threadsSnapshot().size() <= 1;
        if ((flags & (Sched.CLONE_THREAD | Sched.CLONE_SIGHAND | Sched.CLONE_VM)) != 0 && !singleThreaded) return -Errno.EINVAL;
        if ((flags & (Sched.CLONE_SIGHAND | Sched.CLONE_VM)) != 0 && g.sighand.isShared()) return -Errno.EINVAL;
        if ((flags & Sched.CLONE_VM) != 0 && k.mmShared(g.mm)) return -Errno.EINVAL;

        if ((flags & NsProxy.UNSUPPORTED) != 0) return NsProxy.unsupported(t, "unshare", flags);
        // unshare_fs and unshare_fd: a copy when someone else uses the current one (its
        // users counts every thread in Linux, where threads of one process share it too).
        boolean newFs = (flags & Sched.CLONE_FS) != 0 && (g.fs.isShared() || !singleThreaded);
        boolean newFd = (flags & Sched.CLONE_FILES) != 0 && (g.files.isShared() || !singleThreaded);
        if ((newFs || newFd) && !singleThreaded) {
            k.log().once("unshare-per-thread", t.describe() + ": unshare flags 0x" + Long.toHexString(flags)
                    + " in a multithreaded process: per-thread descriptor tables and fs_structs are not implemented: -ENOSYS");
            return -Errno.ENOSYS;
        }
        // unshare_nsproxy_namespaces
        if ((flags & NsProxy.NEW_NAMESPACES) != 0 && !NsProxy.capableSysAdmin(t)) return -Errno.EPERM;

        // Nothing can fail from here on.
        if ((flags & Sched.CLONE_SYSVSEM) != 0) dev.kava.ipc.Sem.exitSem(t); // "CLONE_SYSVSEM is equivalent to sys_exit()"
        if ((flags & NsProxy.NEW_NAMESPACES) != 0) t.nsproxy = t.nsproxy.copy(k, flags); // switch_task_namespaces
        if (newFs) {
            FsContext old = g.fs;
            g.fs = old.copy();
            old.put();
        }
        if (newFd) {
            FdTable old = g.files;
            g.files = old.copy();
            Kernel.dropFiles(old);
        }
        return 0;
    }
}
