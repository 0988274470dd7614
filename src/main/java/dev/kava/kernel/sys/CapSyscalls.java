package dev.kava.kernel.sys;

import dev.kava.abi.Capability;
import dev.kava.abi.Errno;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.Cred;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/**
 * Reading capabilities (kernel/capability.c capget, security/commoncap.c cap_capget) and the
 * bounding set (PR_CAPBSET_READ). kava has no capability sets of its own: a task holds every
 * capability exactly while its effective uid is 0, as a process without file capabilities in
 * the initial user namespace does under Linux's uid emulation (cap_emulate_setxuid keeps the
 * permitted set while any of the real, effective and saved uids is 0, and the effective set
 * while the effective uid is). The inheritable and ambient sets are empty and the bounding set
 * is full, since nothing can change them: capset, PR_CAPBSET_DROP, PR_SET_KEEPCAPS and the
 * securebits are not supported (ENOSYS, EINVAL).
 */
public final class CapSyscalls {
    private CapSyscalls() {}

    static void register(SyscallTable t) {
        t.register(SyscallNr.CAPGET, (task, a) -> capget(task, a[0], a[1]));
    }

    /** The effective set of a task with these credentials. */
    public static long effective(Cred c) {
        return c.euid() == 0 ? Capability.CAP_FULL_SET : 0;
    }

    /** The permitted set of a task with these credentials. */
    public static long permitted(Cred c) {
        return c.uid() == 0 || c.euid() == 0 || c.suid() == 0 ? Capability.CAP_FULL_SET : 0;
    }

    /**
     * capget: cap_validate_magic first (an unknown version is answered with the kernel's, EINVAL;
     * a NULL data pointer makes that a successful probe), then the target (0 or a pid; ESRCH),
     * then one (version 1) or two 32-bit words of each set.
     */
    static long capget(Task t, long header, long data) {
        int version = t.mem.read32(header);
        int words;
        switch (version) {
            case Capability.VERSION_1 -> words = 1;
            case Capability.VERSION_2, Capability.VERSION_3 -> words = 2;
            default -> {
                t.mem.write32(header, Capability.VERSION_3);
                return data == 0 ? 0 : -Errno.EINVAL;
            }
        }
        if (data == 0) return 0;
        int pid = t.mem.read32(header + 4);
        if (pid < 0) return -Errno.EINVAL;
        Task target = pid == 0 ? t : t.kernel.findTask(pid);
        if (target == null) return -Errno.ESRCH;
        Cred c = target.group.cred;
        long eff = effective(c), prm = permitted(c);
        byte[] out = new byte[words * Capability.DATA_SIZE];
        for (int i = 0; i < words; i++) {
            putWord(out, i * Capability.DATA_SIZE, (int) (eff >>> (32 * i)));
            putWord(out, i * Capability.DATA_SIZE + 4, (int) (prm >>> (32 * i)));
            // inheritable: empty
        }
        t.mem.write(data, out);
        return 0;
    }

    private static void putWord(byte[] b, int at, int v) {
        dev.kava.kernel.Uaccess.putInt(b, at, v);
    }

    /** PR_CAPBSET_READ: whether cap is in the bounding set (always, it is full); EINVAL for no such capability. */
    static long bsetRead(long cap) {
        if (cap < 0 || cap > Capability.CAP_LAST_CAP) return -Errno.EINVAL;
        return 1;
    }
}
