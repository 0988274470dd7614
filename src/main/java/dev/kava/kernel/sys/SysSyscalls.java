package dev.kava.kernel.sys;

import dev.kava.abi.Errno;
import dev.kava.abi.Personality;
import dev.kava.abi.Resource;
import dev.kava.abi.SyscallNr;
import dev.kava.abi.Utsname;
import dev.kava.fs.FdTable;
import dev.kava.kernel.NsProxy;
import dev.kava.kernel.Rlimits;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.TaskGroup;
import dev.kava.kernel.Uaccess;
import dev.kava.kernel.UtsNamespace;

import java.nio.charset.StandardCharsets;

/**
 * Identity and limits: uname, sethostname and setdomainname, the get*id calls,
 * prlimit64/getrlimit/setrlimit, umask (kernel/sys.c), set_tid_address (kernel/fork.c) and set_robust_list (kernel/futex).
 */
public final class SysSyscalls {
    private SysSyscalls() {}

    /** The new_utsname fields every UTS namespace shares; nodename and domainname are the namespace's ({@link UtsNamespace}). */
    public static final String SYSNAME = "Linux", RELEASE = "7.0.0", VERSION = "#1 SMP PREEMPT kava", MACHINE = "riscv64";

    /** sizeof(struct robust_list_head) on 64-bit. */
    private static final long ROBUST_LIST_HEAD_SIZE = 24;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.UNAME, (task, a) -> uname(task, a[0]));
        t.register(SyscallNr.SETHOSTNAME, (task, a) -> sethostname(task, a[0], (int) a[1]));
        t.register(SyscallNr.SETDOMAINNAME, (task, a) -> setdomainname(task, a[0], (int) a[1]));
        t.register(SyscallNr.GETPID, (task, a) -> task.group.tgid);
        t.register(SyscallNr.GETTID, (task, a) -> task.tid);
        t.register(SyscallNr.GETPPID, (task, a) -> task.group.ppid());
        t.register(SyscallNr.GETUID, (task, a) -> task.group.cred.uid());
        t.register(SyscallNr.GETEUID, (task, a) -> task.group.cred.euid());
        t.register(SyscallNr.GETGID, (task, a) -> task.group.cred.gid());
        t.register(SyscallNr.GETEGID, (task, a) -> task.group.cred.egid());
        t.register(SyscallNr.GETRESUID, (task, a) -> getres(task, a, true));
        t.register(SyscallNr.GETRESGID, (task, a) -> getres(task, a, false));
        t.register(SyscallNr.GETPGID, (task, a) -> getpgid(task, (int) a[0]));
        t.register(SyscallNr.GETSID, (task, a) -> getsid(task, (int) a[0]));
        t.register(SyscallNr.PRLIMIT64, (task, a) -> Rlimits.prlimit64(task, (int) a[0], (int) a[1], a[2], a[3]));
        t.register(SyscallNr.GETRLIMIT, (task, a) -> Rlimits.getrlimit(task, (int) a[0], a[1]));
        t.register(SyscallNr.SETRLIMIT, (task, a) -> Rlimits.setrlimit(task, (int) a[0], a[1]));
        t.register(SyscallNr.SYSINFO, (task, a) -> sysinfo(task, a[0]));
        t.register(SyscallNr.SET_TID_ADDRESS, (task, a) -> {
            task.clearChildTid = a[0];
            return task.tid;
        });
    }

    /** COMPAT_UTS_MACHINE (arch/riscv/include/asm/compat.h): what uname says under PER_LINUX32. */
    static final String COMPAT_MACHINE = "riscv32";

    /**
     * newuname, with override_release (UNAME26) and override_architecture (PER_LINUX32): the
     * host and domain names are the caller's UTS namespace's, copied whole.
     */
    private static long uname(Task t, long addr) {
        int personality = t.personality;
        UtsNamespace uts = t.nsproxy.uts();
        byte[] b = new byte[Utsname.SIZE];
        put(b, Utsname.SYSNAME, SYSNAME);
        System.arraycopy(uts.nodename(), 0, b, Utsname.NODENAME, Utsname.FIELD_LEN);
        put(b, Utsname.RELEASE, (personality & Personality.UNAME26) != 0 ? uname26Release() : RELEASE);
        put(b, Utsname.VERSION, VERSION);
        put(b, Utsname.MACHINE, (personality & Personality.PER_MASK) == Personality.PER_LINUX32 ? COMPAT_MACHINE : MACHINE);
        System.arraycopy(uts.domainname(), 0, b, Utsname.DOMAINNAME, Utsname.FIELD_LEN);
        t.mem.write(addr, b);
        return 0;
    }

    /**
     * sethostname (kernel/sys.c): CAP_SYS_ADMIN first (EPERM), then len
     * (an int) from 0 to __NEW_UTS_LEN (EINVAL), then the copy (EFAULT); the field becomes the
     * len bytes, NUL-padded, in the caller's UTS namespace. A bad pointer throws EFAULT.
     */
    public static long sethostname(Task t, long name, int len) {
        return setUtsName(t, name, len, true);
    }

    /** setdomainname: as {@link #sethostname}, for the NIS domain name. */
    public static long setdomainname(Task t, long name, int len) {
        return setUtsName(t, name, len, false);
    }

    private static long setUtsName(Task t, long name, int len, boolean host) {
        if (!NsProxy.capableSysAdmin(t)) return -Errno.EPERM;
        if (len < 0 || len > Utsname.NEW_UTS_LEN) return -Errno.EINVAL;
        byte[] v = t.mem.read(name, len);
        UtsNamespace uts = t.nsproxy.uts();
        if (host) uts.setNodename(v);
        else uts.setDomainname(v);
        return 0;
    }

    /**
     * override_release: "2.6.(60 + the patch level)" and whatever follows the release's first
     * three numbers, for programs that cannot parse a 3.x or later version.
     */
    static String uname26Release() {
        String[] parts = RELEASE.split("\\.");
        int patchlevel = Integer.parseInt(parts[1]);
        int i = 0, dots = 0;
        while (i < RELEASE.length()) {
            char c = RELEASE.charAt(i);
            if (c == '.' && ++dots >= 3) break;
            if (!Character.isDigit(c) && c != '.') break;
            i++;
        }
        return "2.6." + (patchlevel + 60) + RELEASE.substring(i);
    }

    private static void put(byte[] b, int off, String s) {
        byte[] v = s.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(v, 0, b, off, Math.min(v.length, Utsname.FIELD_LEN - 1));
    }

    /**
     * sysinfo (kernel/sys.c do_sysinfo) into struct sysinfo (include/uapi/linux/sysinfo.h): on
     * 64-bit uptime, loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap at
     * 8-byte steps from 0, procs (u16) at 80, totalhigh 88, freehigh 96, mem_unit (u32) 104; 112 bytes.
     */
    private static long sysinfo(Task t, long addr) {
        byte[] b = new byte[112];
        long uptimeNs = t.kernel.clock().monotonicNanos();
        Uaccess.putLong(b, 0, uptimeNs / 1_000_000_000L + (uptimeNs % 1_000_000_000L != 0 ? 1 : 0));
        long total = t.kernel.memoryBytes();
        long free = Math.max(0, total - t.kernel.usedMemoryBytes());
        Uaccess.putLong(b, 32, total);
        Uaccess.putLong(b, 40, free);
        Uaccess.putShort(b, 80, t.kernel.processCount());
        Uaccess.putInt(b, 104, 1);
        t.mem.write(addr, b);
        return 0;
    }

    private static long getres(Task t, long[] a, boolean user) {
        var c = t.group.cred;
        // put_user in order: real, effective, saved; a fault stops there with EFAULT.
        t.mem.write32(a[0], user ? c.uid() : c.gid());
        t.mem.write32(a[1], user ? c.euid() : c.egid());
        t.mem.write32(a[2], user ? c.suid() : c.sgid());
        return 0;
    }

    private static long getpgid(Task t, int pid) {
        TaskGroup g = pid == 0 ? t.group : t.kernel.findGroup(pid);
        return g == null ? -Errno.ESRCH : g.pgid;
    }

    private static long getsid(Task t, int pid) {
        TaskGroup g = pid == 0 ? t.group : t.kernel.findGroup(pid);
        return g == null ? -Errno.ESRCH : g.sid;
    }
}
