package dev.kava.mm;

import dev.kava.abi.Errno;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.ErrnoException;
import dev.kava.kernel.Ptrace;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;
import dev.kava.kernel.Uaccess;

/**
 * process_vm_readv and process_vm_writev (mm/process_vm_access.c): copies between the caller's
 * iovecs and another process's, page by page. The first fault on either side ends the copy:
 * the call returns the bytes moved until then, or EFAULT when there were none.
 */
public final class ProcessVmAccess {
    private ProcessVmAccess() {}

    /** UIO_MAXIOV */
    private static final int UIO_MAXIOV = 1024;
    /** MAX_RW_COUNT */
    private static final long MAX_RW_COUNT = Integer.MAX_VALUE & ~Page.MASK;

    public static void register(SyscallTable t) {
        t.register(SyscallNr.PROCESS_VM_READV, (task, a) -> processVmRw(task, (int) a[0], a[1], a[2], a[3], a[4], a[5], false));
        t.register(SyscallNr.PROCESS_VM_WRITEV, (task, a) -> processVmRw(task, (int) a[0], a[1], a[2], a[3], a[4], a[5], true));
    }

    /**
     * iovec_from_user: at most UIO_MAXIOV entries, no negative length; {base, len} pairs. With
     * local set (import_iovec), each must also lie in user space and the total is capped at MAX_RW_COUNT.
     */
    private static long[] iovecs(Task t, long uvec, long nr, boolean local) {
        if (Long.compareUnsigned(nr, UIO_MAXIOV) > 0) throw ErrnoException.of(Errno.EINVAL);
        if (nr == 0) return new long[0];
        byte[] raw = t.mem.read(uvec, (int) nr * 16);
        long[] v = new long[(int) nr * 2];
        for (int i = 0; i < nr; i++) {
            v[2 * i] = Uaccess.getLong(raw, 16 * i);
            v[2 * i + 1] = Uaccess.getLong(raw, 16 * i + 8);
            if (v[2 * i + 1] < 0) throw ErrnoException.of(Errno.EINVAL);
        }
        if (!local) return v;
        long total = 0;
        for (int i = 0; i < nr; i++) {
            long base = v[2 * i], len = v[2 * i + 1];
            if (Long.compareUnsigned(base + len, base) < 0 || Long.compareUnsigned(base + len, Mmap.TASK_SIZE) > 0) {
                throw ErrnoException.of(Errno.EFAULT); // access_ok
            }
            if (len > MAX_RW_COUNT - total) v[2 * i + 1] = len = MAX_RW_COUNT - total;
            total += len;
        }
        return v;
    }

    static long processVmRw(Task t, int pid, long lvec, long liovcnt, long rvec, long riovcnt, long flags, boolean write) {
        if (flags != 0) return -Errno.EINVAL;
        long[] local = iovecs(t, lvec, liovcnt, true);
        long total = 0;
        for (int i = 1; i < local.length; i += 2) total += local[i];
        if (total == 0) return 0;
        long[] remote = iovecs(t, rvec, riovcnt, false);
        boolean any = false;
        for (int i = 1; i < remote.length; i += 2) any |= remote[i] > 0;
        if (!any) return 0;
        Task target = t.kernel.findTask(pid);
        if (target == null || target.group.zombie || target.group.mm == null) return -Errno.ESRCH;
        // mm_access(PTRACE_MODE_ATTACH_REALCREDS); its EACCES is reported as EPERM.
        if (!Ptrace.mayAttachRealCreds(t, target.group)) return -Errno.EPERM;
        AddressSpace mine = t.mem.addressSpace(), theirs = target.group.mm.as;
        byte[] buf = new byte[(int) Page.SIZE];
        long copied = 0;
        int li = 0;
        long lOff = 0;
        boolean fault = false;
        outer:
        for (int ri = 0; ri < remote.length; ri += 2) {
            long rBase = remote[ri], rLen = remote[ri + 1];
            for (long rOff = 0; rOff < rLen; ) {
                while (li < local.length && lOff == local[li + 1]) {
                    li += 2;
                    lOff = 0;
                }
                if (li >= local.length) break outer;
                long ra = rBase + rOff, la = local[li] + lOff;
                // One chunk stays within a page on both sides: a fault then ends the copy at a page boundary.
                long n = Math.min(rLen - rOff, local[li + 1] - lOff);
                n = Math.min(n, Page.SIZE - (ra & Page.MASK));
                n = Math.min(n, Page.SIZE - (la & Page.MASK));
                int len = (int) n;
                if (Long.compareUnsigned(ra + n, ra) < 0) { fault = true; break outer; }
                if (write) {
                    if (!mine.copyFromUser(la, buf, 0, len)) { fault = true; break outer; }
                    if (!theirs.copyToUser(ra, buf, 0, len)) { fault = true; break outer; }
                } else {
                    if (!theirs.copyFromUser(ra, buf, 0, len)) { fault = true; break outer; }
                    if (!mine.copyToUser(la, buf, 0, len)) { fault = true; break outer; }
                }
                rOff += n;
                lOff += n;
                copied += n;
            }
        }
        if (copied > 0) return copied;
        return fault ? -Errno.EFAULT : 0;
    }
}
