package dev.kava.fs.proc;

import dev.kava.kernel.Cred;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;

/** Who may look at a process through procfs (ptrace_may_access, task_dump_owner). */
final class ProcAccess {
    private ProcAccess() {}

    /**
     * ptrace_may_access(PTRACE_MODE_READ_FSCREDS): a thread of the same process always; root
     * (CAP_SYS_PTRACE) always; otherwise the caller's fsuid and fsgid must match all of the
     * target's ids and the target must be dumpable. A null reader is the kernel itself.
     */
    static boolean mayAccess(Task reader, TaskGroup target) {
        if (reader == null || reader.group == target) return true;
        Cred c = reader.group.cred, tc = target.cred;
        if (c.fsuid() == 0) return true;
        boolean ids = c.fsuid() == tc.uid() && c.fsuid() == tc.euid() && c.fsuid() == tc.suid()
                && c.fsgid() == tc.gid() && c.fsgid() == tc.egid() && c.fsgid() == tc.sgid();
        return ids && target.dumpable == 1;
    }

    /** task_dump_owner: the process's effective ids while it is dumpable (SUID_DUMP_USER), root otherwise. */
    static int ownerUid(TaskGroup g) {
        return g.dumpable == 1 ? g.cred.euid() : 0;
    }

    static int ownerGid(TaskGroup g) {
        return g.dumpable == 1 ? g.cred.egid() : 0;
    }
}
