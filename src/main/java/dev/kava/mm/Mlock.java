package dev.kava.mm;

import dev.kava.abi.Errno;
import dev.kava.abi.Mman;
import dev.kava.abi.Resource;
import dev.kava.abi.SyscallNr;
import dev.kava.kernel.SyscallTable;
import dev.kava.kernel.Task;

/**
 * mlock, mlock2, munlock, mlockall and munlockall (mm/mlock.c): VM_LOCKED on the areas, the
 * pages faulted in at once (unless locked on fault), within RLIMIT_MEMLOCK unless the caller
 * has CAP_IPC_LOCK. kava never swaps or reclaims anonymous memory, so a locked page differs
 * from another only in what is counted (VmLck, Locked:) and in the limits.
 */
public final class Mlock {
    private Mlock() {}

    public static void register(SyscallTable t) {
        t.register(SyscallNr.MLOCK, (task, a) -> doMlock(task, a[0], a[1], Mmap.VM_LOCKED));
        t.register(SyscallNr.MLOCK2, (task, a) -> mlock2(task, a[0], a[1], (int) a[2]));
        t.register(SyscallNr.MUNLOCK, (task, a) -> munlock(task, a[0], a[1]));
        t.register(SyscallNr.MLOCKALL, (task, a) -> mlockall(task, (int) a[0]));
        t.register(SyscallNr.MUNLOCKALL, (task, a) -> munlockall(task));
    }

    /** CAP_IPC_LOCK: kava's capabilities are those of effective uid 0. */
    static boolean capIpcLock(Task t) {
        return t.group.cred.euid() == 0;
    }

    /** can_do_mlock: a non-zero RLIMIT_MEMLOCK, or CAP_IPC_LOCK. */
    private static boolean canDoMlock(Task t) {
        return t.group.rlimits.cur(Resource.RLIMIT_MEMLOCK) != 0 || capIpcLock(t);
    }

    /**
     * The page-aligned [start, end) of a user range: PAGE_ALIGN(len + offset_in_page(start)),
     * wrapping as Linux's unsigned arithmetic does (an end below the start is then EINVAL).
     */
    private static long[] range(long start, long len) {
        long alignedLen = (len + (start & Page.MASK) + Page.MASK) & ~Page.MASK;
        long s = start & ~Page.MASK;
        return new long[]{s, s + alignedLen};
    }

    /** do_mlock: the check against RLIMIT_MEMLOCK counts only what is not locked already. */
    static long doMlock(Task t, long start, long len, int flags) {
        if (!canDoMlock(t)) return -Errno.EPERM;
        long[] r = range(start, len);
        Mmap mm = Mmap.limited(t);
        long limitPages = t.group.rlimits.cur(Resource.RLIMIT_MEMLOCK) >>> Page.SHIFT;
        long err;
        synchronized (mm) {
            long locked = ((r[1] - r[0]) >>> Page.SHIFT) + (mm.lockedBytes() >>> Page.SHIFT);
            if (Long.compareUnsigned(locked, limitPages) > 0 && !capIpcLock(t)) {
                locked -= mm.lockedBytesIn(r[0], r[1]) >>> Page.SHIFT;
            }
            if (Long.compareUnsigned(locked, limitPages) > 0 && !capIpcLock(t)) return -Errno.ENOMEM;
            err = mm.applyLockFlags(r[0], r[1], flags);
        }
        if (err != 0) return err;
        mm.populateLocked(r[0], r[1]);
        return 0;
    }

    static long mlock2(Task t, long start, long len, int flags) {
        if ((flags & ~Mman.MLOCK_ONFAULT) != 0) return -Errno.EINVAL;
        int vmFlags = Mmap.VM_LOCKED | ((flags & Mman.MLOCK_ONFAULT) != 0 ? Mmap.VM_LOCKONFAULT : 0);
        return doMlock(t, start, len, vmFlags);
    }

    static long munlock(Task t, long start, long len) {
        long[] r = range(start, len);
        return t.group.mm.applyLockFlags(r[0], r[1], 0);
    }

    /** mlockall: MCL_CURRENT locks every area now (if the whole address space fits the limit); MCL_FUTURE every later one. */
    static long mlockall(Task t, int flags) {
        if (flags == 0 || (flags & ~(Mman.MCL_CURRENT | Mman.MCL_FUTURE | Mman.MCL_ONFAULT)) != 0
                || flags == Mman.MCL_ONFAULT) {
            return -Errno.EINVAL;
        }
        if (!canDoMlock(t)) return -Errno.EPERM;
        Mmap mm = Mmap.limited(t);
        long limit = t.group.rlimits.cur(Resource.RLIMIT_MEMLOCK);
        synchronized (mm) {
            if ((flags & Mman.MCL_CURRENT) != 0 && Long.compareUnsigned(mm.totalBytes() >>> Page.SHIFT, limit >>> Page.SHIFT) > 0
                    && !capIpcLock(t)) {
                return -Errno.ENOMEM;
            }
            mm.applyMlockall(flags);
        }
        if ((flags & Mman.MCL_CURRENT) != 0) mm.populateLocked(0, Mmap.TASK_SIZE);
        return 0;
    }

    static long munlockall(Task t) {
        t.group.mm.applyMlockall(0);
        return 0;
    }
}
