package dev.kava.kernel;

/** Who may act on another process as a debugger would (kernel/ptrace.c). kava has no ptrace itself yet. */
public final class Ptrace {
    private Ptrace() {}

    /**
     * __ptrace_may_access with PTRACE_MODE_ATTACH_REALCREDS (pidfd_getfd, process_vm_readv): a
     * thread of the same process always; a caller with CAP_SYS_PTRACE (effective uid 0) always;
     * otherwise the caller's real uid and gid must match all of the target's (real, effective,
     * saved) and the target must be dumpable.
     */
    public static boolean mayAttachRealCreds(Task caller, TaskGroup target) {
        if (caller.group == target) return true;
        Cred c = caller.group.cred, tc = target.cred;
        if (c.euid() == 0) return true;
        boolean ids = c.uid() == tc.uid() && c.uid() == tc.euid() && c.uid() == tc.suid()
                && c.gid() == tc.gid() && c.gid() == tc.egid() && c.gid() == tc.sgid();
        return ids && target.dumpable == 1;
    }
}
