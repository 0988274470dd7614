package dev.kava.kernel;

import dev.kava.abi.Errno;
import dev.kava.abi.Sched;

/**
 * struct nsproxy (include/linux/nsproxy.h, kernel/nsproxy.c): the namespaces a task lives in.
 * Each {@link Task} points at one; threads and children share their creator's unless clone or
 * unshare asks for a new namespace, which makes a new nsproxy (an nsproxy never changes once
 * made, so readers need no lock). kava has per-task UTS namespaces only: the mount, IPC,
 * network, PID, cgroup and time namespaces are the kernel's single initial ones, and asking for
 * a new one of those is ENOSYS ({@link #UNSUPPORTED}).
 */
public record NsProxy(UtsNamespace uts) {
    /** The CLONE_NEW* flags that make a new nsproxy (copy_namespaces, unshare_nsproxy_namespaces). */
    public static final long NEW_NAMESPACES = Sched.CLONE_NEWNS | Sched.CLONE_NEWUTS | Sched.CLONE_NEWIPC
            | Sched.CLONE_NEWPID | Sched.CLONE_NEWNET | Sched.CLONE_NEWCGROUP | Sched.CLONE_NEWTIME;
    /** The namespace flags kava cannot honour yet (CLONE_NEWUSER lives in the cred, not here, but is one of them). */
    public static final long UNSUPPORTED = (NEW_NAMESPACES & ~Sched.CLONE_NEWUTS) | Sched.CLONE_NEWUSER;

    /**
     * The ENOSYS kava gives for namespaces it does not have, with a one-time kernel log line
     * (what flags and which call): never a namespace that only pretends to be new.
     */
    public static long unsupported(Task t, String call, long flags) {
        t.kernel.log().once(call + "-namespaces", t.describe() + ": " + call + " flags 0x" + Long.toHexString(flags)
                + ": namespaces other than UTS (CLONE_NEWUTS) are not implemented: -ENOSYS");
        return -Errno.ENOSYS;
    }

    /**
     * copy_namespaces / unshare_nsproxy_namespaces for the namespaces kava has: this nsproxy
     * when flags ask for no new namespace, else a new one with a copy of the UTS namespace
     * (create_new_namespaces). The caller checked CAP_SYS_ADMIN and {@link #UNSUPPORTED}.
     */
    public NsProxy copy(Kernel k, long flags) {
        if ((flags & Sched.CLONE_NEWUTS) == 0) return this;
        return new NsProxy(uts.copy(k.allocNsInum()));
    }

    /** ns_capable(user_ns, CAP_SYS_ADMIN): kava has the initial user namespace only, where root has every capability. */
    public static boolean capableSysAdmin(Task t) {
        return t.group.cred.euid() == 0;
    }
}
