package dev.kava.kernel.sys;

import dev.kava.abi.Errno;
import dev.kava.abi.Prctl;
import dev.kava.abi.Signal;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.Cred;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.Uaccess;

import java.util.Arrays;

/**
 * Credentials (kernel/sys.c and kernel/groups.c: setuid, setreuid, setresuid, setfsuid and
 * their gid twins, getgroups, setgroups), process groups and sessions (setpgid, setsid), and
 * prctl's per-process options. CAP_SETUID / CAP_SETGID are held exactly when the effective
 * uid is 0, as for a process without file capabilities.
 */
public final class CredSyscalls {
    private CredSyscalls() {}

    /** NGROUPS_MAX (include/uapi/linux/limits.h). */
    public static final int NGROUPS_MAX = 65536;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.SETUID, (task, a) -> setuid(task, (int) a[0], true));
        t.register(SyscallNr.SETGID, (task, a) -> setuid(task, (int) a[0], false));
        t.register(SyscallNr.SETREUID, (task, a) -> setreuid(task, (int) a[0], (int) a[1], true));
        t.register(SyscallNr.SETREGID, (task, a) -> setreuid(task, (int) a[0], (int) a[1], false));
        t.register(SyscallNr.SETRESUID, (task, a) -> setresuid(task, (int) a[0], (int) a[1], (int) a[2], true));
        t.register(SyscallNr.SETRESGID, (task, a) -> setresuid(task, (int) a[0], (int) a[1], (int) a[2], false));
        t.register(SyscallNr.SETFSUID, (task, a) -> setfsuid(task, (int) a[0], true));
        t.register(SyscallNr.SETFSGID, (task, a) -> setfsuid(task, (int) a[0], false));
        t.register(SyscallNr.GETGROUPS, (task, a) -> getgroups(task, (int) a[0], a[1]));
        t.register(SyscallNr.SETGROUPS, (task, a) -> setgroups(task, (int) a[0], a[1]));
        t.register(SyscallNr.SETPGID, (task, a) -> setpgid(task, (int) a[0], (int) a[1]));
        t.register(SyscallNr.SETSID, (task, a) -> setsid(task));
        t.register(SyscallNr.PRCTL, (task, a) -> prctl(task, (int) a[0], a[1], a[2], a[3], a[4]));
        CapSyscalls.register(t);
    }

    /** The ids of one kind: real, effective, saved, fs. */
    private record Ids(int r, int e, int s, int fs) {}

    private static Ids ids(Cred c, boolean user) {
        return user ? new Ids(c.uid(), c.euid(), c.suid(), c.fsuid()) : new Ids(c.gid(), c.egid(), c.sgid(), c.fsgid());
    }

    private static Cred with(Cred c, boolean user, Ids n) {
        return user ? new Cred(n.r, n.e, n.s, n.fs, c.gid(), c.egid(), c.sgid(), c.fsgid())
                : new Cred(c.uid(), c.euid(), c.suid(), c.fsuid(), n.r, n.e, n.s, n.fs);
    }

    /** CAP_SETUID / CAP_SETGID (and the others a root process has). */
    private static boolean capable(Cred c) {
        return c.euid() == 0;
    }

    static long setuid(Task t, int id, boolean user) {
        if (id == -1) return -Errno.EINVAL;
        synchronized (t.group) {
            Cred c = t.group.cred;
            Ids o = ids(c, user);
            int r = o.r, s = o.s;
            if (capable(c)) {
                r = id;
                s = id;
            } else if (id != o.r && id != o.s) {
                return -Errno.EPERM;
            }
            t.group.cred = with(c, user, new Ids(r, id, s, id));
        }
        return 0;
    }

    static long setreuid(Task t, int rid, int eid, boolean user) {
        synchronized (t.group) {
            Cred c = t.group.cred;
            Ids o = ids(c, user);
            boolean cap = capable(c);
            int r = o.r, e = o.e, s = o.s;
            if (rid != -1) {
                if (o.r != rid && o.e != rid && !cap) return -Errno.EPERM;
                r = rid;
            }
            if (eid != -1) {
                if (o.r != eid && o.e != eid && o.s != eid && !cap) return -Errno.EPERM;
                e = eid;
            }
            if (rid != -1 || (eid != -1 && eid != o.r)) s = e;
            t.group.cred = with(c, user, new Ids(r, e, s, e));
        }
        return 0;
    }

    static long setresuid(Task t, int rid, int eid, int sid, boolean user) {
        synchronized (t.group) {
            Cred c = t.group.cred;
            Ids o = ids(c, user);
            if ((rid == -1 || rid == o.r) && (eid == -1 || (eid == o.e && eid == o.fs)) && (sid == -1 || sid == o.s)) {
                return 0;
            }
            boolean rNew = rid != -1 && rid != o.r && rid != o.e && rid != o.s;
            boolean eNew = eid != -1 && eid != o.r && eid != o.e && eid != o.s;
            boolean sNew = sid != -1 && sid != o.r && sid != o.e && sid != o.s;
            if ((rNew || eNew || sNew) && !capable(c)) return -Errno.EPERM;
            int r = rid != -1 ? rid : o.r, e = eid != -1 ? eid : o.e, s = sid != -1 ? sid : o.s;
            t.group.cred = with(c, user, new Ids(r, e, s, e));
        }
        return 0;
    }

    /** setfsuid/setfsgid: always returns the old value; changes it only when allowed. */
    static long setfsuid(Task t, int id, boolean user) {
        synchronized (t.group) {
            Cred c = t.group.cred;
            Ids o = ids(c, user);
            if (id != -1 && (id == o.r || id == o.e || id == o.s || id == o.fs || capable(c)) && id != o.fs) {
                t.group.cred = with(c, user, new Ids(o.r, o.e, o.s, id));
            }
            return o.fs;
        }
    }

    static long getgroups(Task t, int size, long list) {
        if (size < 0) return -Errno.EINVAL;
        int[] g = t.group.groups;
        if (size == 0) return g.length;
        if (size < g.length) return -Errno.EINVAL;
        byte[] b = new byte[g.length * 4];
        for (int i = 0; i < g.length; i++) Uaccess.putInt(b, i * 4, g[i]);
        t.mem.write(list, b);
        return g.length;
    }

    static long setgroups(Task t, int size, long list) {
        if (!capable(t.group.cred)) return -Errno.EPERM;
        if (Integer.compareUnsigned(size, NGROUPS_MAX) > 0) return -Errno.EINVAL;
        int[] g = new int[size];
        if (size > 0) {
            byte[] b = t.mem.read(list, size * 4);
            for (int i = 0; i < size; i++) g[i] = Uaccess.getInt(b, i * 4);
        }
        // groups_sort: kept sorted as unsigned ids.
        Integer[] boxed = Arrays.stream(g).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, Integer::compareUnsigned);
        t.group.groups = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
        return 0;
    }

    /** setpgid (kernel/sys.c), checks in Linux's order. */
    static long setpgid(Task t, int pid, int pgid) {
        TaskGroup me = t.group;
        if (pid == 0) pid = me.tgid;
        if (pgid == 0) pgid = pid;
        if (pgid < 0) return -Errno.EINVAL;
        synchronized (t.kernel.tasklist) {
            TaskGroup p = t.kernel.findGroup(pid);
            if (p == null) return t.kernel.findTask(pid) != null ? -Errno.EINVAL : -Errno.ESRCH;
            if (p.parent == me) {
                if (p.sid != me.sid) return -Errno.EPERM;
                if (p.didExec) return -Errno.EACCES;
            } else if (p != me) {
                return -Errno.ESRCH;
            }
            if (p.sid == p.tgid) return -Errno.EPERM;
            if (pgid != pid) {
                boolean found = false;
                for (TaskGroup g : t.kernel.groupsInPgid(pgid)) {
                    if (g.sid == me.sid) {
                        found = true;
                        break;
                    }
                }
                if (!found) return -Errno.EPERM;
            }
            p.pgid = pgid;
        }
        return 0;
    }

    /** setsid: a new session and process group led by the caller; EPERM when its pid already names a group. */
    static long setsid(Task t) {
        TaskGroup me = t.group;
        synchronized (t.kernel.tasklist) {
            if (!t.kernel.groupsInPgid(me.tgid).isEmpty()) return -Errno.EPERM;
            me.sid = me.tgid;
            me.pgid = me.tgid;
            me.tty = null; // proc_clear_tty: a new session has no controlling terminal
        }
        return me.tgid;
    }

    static long prctl(Task t, int option, long arg2, long arg3, long arg4, long arg5) {
        TaskGroup g = t.group;
        switch (option) {
            case Prctl.PR_SET_PDEATHSIG -> {
                if (arg2 < 0 || arg2 > Signal.NSIG) return -Errno.EINVAL;
                g.pdeathSignal = (int) arg2;
                return 0;
            }
            case Prctl.PR_GET_PDEATHSIG -> {
                t.mem.write32(arg2, g.pdeathSignal);
                return 0;
            }
            case Prctl.PR_GET_DUMPABLE -> {
                return g.dumpable;
            }
            case Prctl.PR_SET_DUMPABLE -> {
                if (arg2 != 0 && arg2 != 1) return -Errno.EINVAL;
                g.dumpable = (int) arg2;
                return 0;
            }
            case Prctl.PR_SET_NAME -> {
                // strncpy_from_user of at most TASK_COMM_LEN - 1 bytes: a fault only past the string matters not.
                byte[] b = new byte[Prctl.TASK_COMM_LEN - 1];
                int n = 0;
                while (n < b.length) {
                    byte[] one = t.mem.read(arg2 + n, 1);
                    if (one[0] == 0) break;
                    b[n++] = one[0];
                }
                t.setComm(Arrays.copyOf(b, n)); // the calling thread's comm only
                return 0;
            }
            case Prctl.PR_GET_NAME -> {
                byte[] b = new byte[Prctl.TASK_COMM_LEN];
                byte[] c = t.commBytes();
                System.arraycopy(c, 0, b, 0, Math.min(c.length, Prctl.TASK_COMM_LEN - 1));
                t.mem.write(arg2, b);
                return 0;
            }
            case Prctl.PR_SET_NO_NEW_PRIVS -> {
                if (arg2 != 1 || arg3 != 0 || arg4 != 0 || arg5 != 0) return -Errno.EINVAL;
                g.noNewPrivs = true;
                return 0;
            }
            case Prctl.PR_GET_NO_NEW_PRIVS -> {
                if (arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0) return -Errno.EINVAL;
                return g.noNewPrivs ? 1 : 0;
            }
            case Prctl.PR_SET_CHILD_SUBREAPER -> {
                g.childSubreaper = arg2 != 0;
                return 0;
            }
            case Prctl.PR_GET_CHILD_SUBREAPER -> {
                t.mem.write32(arg2, g.childSubreaper ? 1 : 0);
                return 0;
            }
            case Prctl.PR_CAPBSET_READ -> {
                return CapSyscalls.bsetRead(arg2);
            }
            case Prctl.PR_RSEQ_SLICE_EXTENSION -> {
                return dev.kava.kernel.rseq.Rseq.prctlSliceExtension(t, arg2, arg3, arg4, arg5);
            }
            default -> {
                t.kernel.log().once("prctl:" + option, t.describe() + ": prctl option " + option + " is not supported: -EINVAL");
                return -Errno.EINVAL;
            }
        }
    }
}
